#include "clearcut/store/sql/approval_rows.h"

#include <string>

#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using base::Status;
using domain::Approval;
using domain::Consent;

std::string_view scope_text(const domain::ApprovalScope& scope) {
  return scope.json;
}
std::optional<domain::ApprovalScope> read_scope(std::string_view text) {
  return domain::read_approval_scope(text);
}

constexpr auto kConsents = table<Consent>(
    "consents", key<&Consent::id>("id"), field<&Consent::production_id>("production_id"),
    optional_field<&Consent::use_case_id>("use_case_id"), field<&Consent::performer>("performer"),
    enum_field<&Consent::kind, domain::consent_kind_name, domain::parse_consent_kind>("kind"),
    field<&Consent::scope>("scope"), field<&Consent::document_sha256>("document_sha256"),
    optional_field<&Consent::expires_at>("expires_at"),
    optional_field<&Consent::revoked_at>("revoked_at"), field<&Consent::recorded_by>("recorded_by"),
    field<&Consent::created_at>("created_at"), optional_field<&Consent::lapsed_at>("lapsed_at"));

constexpr auto kApprovals = table<Approval>(
    "approvals", key<&Approval::id>("id"), field<&Approval::use_case_id>("use_case_id"),
    field<&Approval::approver_id>("approver_id"), field<&Approval::granted>("granted"),
    field<&Approval::declaration_digest>("declaration_digest"),
    field<&Approval::conditions>("conditions"),
    enum_field<&Approval::scope, scope_text, read_scope>("scope_json"),
    optional_field<&Approval::expires_at>("expires_at"), field<&Approval::outdated>("outdated"),
    field<&Approval::created_at>("created_at"), field<&Approval::signer_name>("signer_name"),
    field<&Approval::reason>("reason"));

}  // namespace

// Consents.

Result<int64_t> SqlApprovalRecords::add_consent(const Consent& consent) {
  CC_TRY(domain::check_time(consent.created_at, "created_at"));
  CC_TRY(domain::check_optional_time(consent.expires_at, "expires_at"));
  CC_TRY(domain::check_optional_time(consent.revoked_at, "revoked_at"));
  CC_TRY(domain::check_optional_time(consent.lapsed_at, "lapsed_at"));
  return single_integer(
      CC_TRY(statements_.run("add consent", kConsents.insert(), kConsents.values(consent),
                             {{}, "production, use case of that production, or user not found"})));
}

Result<Consent> SqlApprovalRecords::get_consent(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get consent", kConsents.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("consent", id);
  }
  return kConsents.read(rows[0]);
}

Status SqlApprovalRecords::revoke_consent(int64_t id, const std::string& revoked_at) {
  constexpr std::string_view kAction = "revoke consent";
  CC_TRY(domain::check_time(revoked_at, "revoked_at"));
  SqlRows rows = CC_TRY(statements_.run(
      kAction,
      "UPDATE consents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id",
      {revoked_at, id}));
  return statements_.changed(kAction, rows, "consents", "consent", id,
                             "consent " + std::to_string(id) + " is already revoked");
}

Result<std::vector<Consent>> SqlApprovalRecords::list_consents(int64_t production_id) {
  return kConsents.read_all(CC_TRY(statements_.run(
      "list consents", kConsents.select("WHERE production_id = ? ORDER BY id"), {production_id})));
}

Result<std::vector<Consent>> SqlApprovalRecords::list_consents_to_lapse() {
  return kConsents.read_all(CC_TRY(statements_.run(
      "list consents to lapse",
      kConsents.select("WHERE expires_at IS NOT NULL AND revoked_at IS NULL AND lapsed_at IS NULL "
                       "ORDER BY id"),
      {})));
}

Status SqlApprovalRecords::lapse_consent(int64_t id, const std::string& lapsed_at) {
  constexpr std::string_view kAction = "lapse consent";
  CC_TRY(domain::check_time(lapsed_at, "lapsed_at"));
  SqlRows rows = CC_TRY(statements_.run(
      kAction, "UPDATE consents SET lapsed_at = ? WHERE id = ? AND lapsed_at IS NULL RETURNING id",
      {lapsed_at, id}));
  return statements_.changed(kAction, rows, "consents", "consent", id,
                             "consent " + std::to_string(id) + " has already lapsed");
}

// Approvals.

Result<int64_t> SqlApprovalRecords::add_approval(const Approval& approval) {
  CC_TRY(domain::check_time(approval.created_at, "created_at"));
  CC_TRY(domain::check_optional_time(approval.expires_at, "expires_at"));
  return single_integer(
      CC_TRY(statements_.run("add approval", kApprovals.insert(), kApprovals.values(approval),
                             {{}, "use case or user not found"})));
}

Result<Approval> SqlApprovalRecords::get_approval(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get approval", kApprovals.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("approval", id);
  }
  return kApprovals.read(rows[0]);
}

Result<std::vector<Approval>> SqlApprovalRecords::list_approvals(int64_t use_case_id) {
  return kApprovals.read_all(CC_TRY(statements_.run(
      "list approvals", kApprovals.select("WHERE use_case_id = ? ORDER BY id"), {use_case_id})));
}

Result<std::vector<Approval>> SqlApprovalRecords::list_expiring_approvals() {
  return kApprovals.read_all(CC_TRY(statements_.run(
      "list expiring approvals",
      kApprovals.select(
          "WHERE granted = ? AND outdated = ? AND expires_at IS NOT NULL ORDER BY id"),
      {true, false})));
}

Status SqlApprovalRecords::mark_approvals_outdated(int64_t use_case_id) {
  constexpr std::string_view kAction = "mark approvals outdated";
  SqlRows rows =
      CC_TRY(statements_.run(kAction, "SELECT id FROM use_cases WHERE id = ?", {use_case_id}));
  if (rows.empty()) {
    return missing("use case", use_case_id);
  }
  CC_TRY(statements_.run(kAction,
                         "UPDATE approvals SET outdated = ? WHERE use_case_id = ? AND NOT outdated",
                         {true, use_case_id}));
  return {};
}

}  // namespace clearcut::store::sql
