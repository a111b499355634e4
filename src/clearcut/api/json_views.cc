#include "clearcut/api/json_views.h"

#include "clearcut/clearance/checklist.h"

namespace clearcut::api {
namespace {

nlohmann::json optional_text(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json parsed_or_null(const std::string& text) {
  if (text.empty()) {
    return nullptr;
  }
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace

nlohmann::json to_json(const domain::User& user) {
  return {{"id", user.id},
          {"organization_id", user.organization_id},
          {"email", user.email},
          {"name", user.name},
          {"admin", user.admin},
          {"disabled", user.disabled},
          {"created_at", user.created_at}};
}

nlohmann::json to_json(const domain::Production& p) {
  return {{"id", p.id},
          {"organization_id", p.organization_id},
          {"code", p.code},
          {"title", p.title},
          {"created_at", p.created_at},
          {"answer_within_days", p.answer_within_days}};
}

namespace {
nlohmann::json outcome_json(const std::optional<domain::Outcome>& outcome) {
  return outcome ? nlohmann::json(domain::outcome_name(*outcome)) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json to_json(const clearance::EditPreview& preview) {
  nlohmann::json changes = nlohmann::json::array();
  for (const clearance::FieldChange& change : preview.changes) {
    changes.push_back({{"field", change.field},
                       {"from", optional_text(change.from)},
                       {"to", optional_text(change.to)}});
  }
  return {{"changes", std::move(changes)},
          {"outdated_approvals", preview.outdated_approvals},
          {"state_before", domain::use_case_state_name(preview.state_before)},
          {"state_after", domain::use_case_state_name(preview.state_after)},
          {"outcome_before", outcome_json(preview.outcome_before)},
          {"outcome_after", outcome_json(preview.outcome_after)}};
}

nlohmann::json to_json(const domain::UseCase& u, bool with_details) {
  nlohmann::json out = {{"id", u.id},
                        {"production_id", u.production_id},
                        {"created_by", u.created_by},
                        {"summary", u.summary},
                        {"state", domain::use_case_state_name(u.state)},
                        {"outcome", outcome_json(u.outcome)},
                        {"declaration_digest", u.declaration_digest},
                        {"policy_digest", optional_text(u.policy_digest)},
                        {"revision", u.revision},
                        {"created_at", u.created_at},
                        {"updated_at", u.updated_at},
                        {"assignee_id", u.assignee_id == 0 ? nlohmann::json(nullptr)
                                                           : nlohmann::json(u.assignee_id)}};
  if (with_details) {
    out["declaration"] = parsed_or_null(u.declaration_json);
    out["decision"] = parsed_or_null(u.decision_json);
    out["engine_version"] = optional_text(u.engine_version);
  }
  return out;
}

nlohmann::json to_json(const domain::UseCaseEvent& e) {
  return {{"id", e.id},
          {"kind", domain::use_case_event_kind_name(e.kind)},
          {"actor_id", e.actor_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(e.actor_id)},
          {"from_state", optional_text(e.from_state)},
          {"to_state", e.to_state},
          {"note", e.note},
          {"at", e.at}};
}

nlohmann::json to_json(const domain::Comment& c) {
  return {{"id", c.id}, {"author_id", c.author_id}, {"body", c.body}, {"created_at", c.created_at}};
}

nlohmann::json to_json(const domain::Approval& a) {
  return {{"id", a.id},
          {"use_case_id", a.use_case_id},
          {"approver_id", a.approver_id},
          {"granted", a.granted},
          {"declaration_digest", a.declaration_digest},
          {"conditions", a.conditions},
          {"scope", parsed_or_null(a.scope.json)},
          {"expires_at", optional_text(a.expires_at)},
          {"outdated", a.outdated},
          {"signer_name", a.signer_name},
          {"reason", a.reason},
          {"created_at", a.created_at}};
}

nlohmann::json to_json(const domain::ChecklistItem& item) {
  std::optional<clearance::EvidenceKind> kind = clearance::checklist_evidence_kind(item.name);
  std::string_view met_by = "declaration";  // a question: amend the declaration
  if (item.kind == domain::ChecklistItemKind::kAction && kind) {
    met_by = *kind == clearance::EvidenceKind::kConsent    ? "consent"
             : *kind == clearance::EvidenceKind::kRegistry ? "registry"
             : *kind == clearance::EvidenceKind::kDocument ? "document"
                                                           : "statement";
  }
  return {{"id", item.id},
          {"use_case_id", item.use_case_id},
          {"kind", domain::checklist_item_kind_name(item.kind)},
          {"name", item.name},
          {"rules", item.rules},
          {"conditional", item.conditional},
          {"met_by", met_by},
          {"state", domain::checklist_item_state_name(item.state)},
          {"evidence", parsed_or_null(item.evidence_json)},
          {"reason", optional_text(item.reason)},
          {"decided_by",
           item.decided_by == 0 ? nlohmann::json(nullptr) : nlohmann::json(item.decided_by)},
          {"decided_at", optional_text(item.decided_at)},
          {"note", optional_text(item.note)}};
}

nlohmann::json to_json(const domain::Consent& c) {
  return {
      {"id", c.id},
      {"production_id", c.production_id},
      {"use_case_id", c.use_case_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(c.use_case_id)},
      {"performer", c.performer},
      {"kind", domain::consent_kind_name(c.kind)},
      {"scope", c.scope},
      {"document_sha256", c.document_sha256},
      {"expires_at", optional_text(c.expires_at)},
      {"revoked_at", optional_text(c.revoked_at)},
      {"lapsed_at", optional_text(c.lapsed_at)},
      {"recorded_by", c.recorded_by},
      {"created_at", c.created_at}};
}

nlohmann::json to_json(const domain::Tool& t) {
  nlohmann::json out = {{"id", t.id},
                        {"name", t.name},
                        {"vendor", t.vendor},
                        {"license_tier", t.license_tier},
                        {"reviewed_on", t.reviewed_on}};
  for (const domain::FieldSpec& field : domain::stage_fields()) {
    if (field.kind != domain::FieldKind::kText) {
      int8_t v = t.scalars[field.slot];
      out[std::string(field.path)] =
          v == domain::kAbsent ? nlohmann::json(nullptr)
                               : nlohmann::json(std::string(domain::scalar_text(field, v)));
    }
  }
  return out;
}

nlohmann::json to_json(const domain::Attachment& a) {
  return {
      {"id", a.id},
      {"production_id", a.production_id == 0 ? nlohmann::json() : nlohmann::json(a.production_id)},
      {"parent_type", domain::attachment_parent_name(a.parent_type)},
      {"parent_id", a.parent_id},
      {"sha256", a.sha256},
      {"size", a.size},
      {"content_type", a.content_type},
      {"file_name", a.file_name},
      {"added_by", a.added_by},
      {"added_at", a.added_at},
      {"download", "/api/v1/attachments/" + std::to_string(a.id) + "/content"}};
}

nlohmann::json to_json(const domain::Asset& a, AssetJson form) {
  const bool request = form == AssetJson::kRequest;
  auto text = [request](const std::string& value) {
    return request ? nlohmann::json(value) : optional_text(value);
  };
  nlohmann::json out = {{"use_case_id", a.use_case_id},
                        {"file_name", a.file_name},
                        {"media_type", a.media_type},
                        {"sha256", a.sha256},
                        {"pdq", text(a.pdq)},
                        {"pdq_quality", a.pdq_quality},
                        {"width", a.width},
                        {"height", a.height},
                        {"duration_ms", a.duration_ms},
                        {"manifest_id", text(a.manifest_id)},
                        // A decimal string: JavaScript numbers lose a uint64's low bits.
                        {"watermark_payload", std::to_string(a.watermark_payload)},
                        {"thumbnail", text(a.thumbnail)},
                        {"frame_pdq", a.frame_pdq},
                        {"audio_fingerprint", text(a.audio_fingerprint)}};
  if (!request) {
    out["id"] = a.id;
    out["production_id"] = a.production_id;
    out["status"] = domain::asset_status_name(a.status);
    out["created_by"] = a.created_by;
    out["created_at"] = a.created_at;
  }
  return out;
}

nlohmann::json to_json(const domain::ScanJob& j) {
  bool finished = j.state == domain::ScanJobState::kFinished;
  nlohmann::json summary = nlohmann::json::parse(j.summary_json, nullptr, false);
  return {{"id", j.id},
          {"production_id", j.production_id},
          {"paths", j.paths},
          {"stride", j.stride},
          {"radius", j.radius},
          {"state", domain::scan_job_state_name(j.state)},
          {"passes", finished ? nlohmann::json(j.passes) : nlohmann::json(nullptr)},
          {"summary", summary.is_object() ? summary : nlohmann::json(nullptr)},
          {"error", optional_text(j.error)},
          {"files_done", j.files_done},
          {"files_total", j.files_total},
          {"attempts", j.attempts},
          {"worker", optional_text(j.worker)},
          {"submitted_by", j.submitted_by},
          {"submitted_at", j.submitted_at},
          {"started_at", optional_text(j.started_at)},
          {"heartbeat_at", optional_text(j.heartbeat_at)},
          {"finished_at", optional_text(j.finished_at)}};
}

nlohmann::json to_json(const domain::CrossProductionMatch& m) {
  nlohmann::json finding = nlohmann::json::parse(m.finding_json, nullptr, false);
  return {{"id", m.id},
          {"scan_id", m.scan_job_id},
          {"scanning_production_id", m.scanning_production_id},
          {"production_id", m.production_id},
          {"asset_id", m.asset_id},
          {"found_at", m.found_at},
          {"finding", finding.is_object() ? finding : nlohmann::json(nullptr)}};
}

nlohmann::json to_json(const domain::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", t.created_at},
          {"last_used_at", optional_text(t.last_used_at)},
          {"revoked", t.revoked}};
}

nlohmann::json to_json(const store::PolicyPackRecord& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"version", p.version},
          {"digest", p.digest},
          {"active", p.active},
          {"loaded_by", p.loaded_by},
          {"loaded_at", p.loaded_at}};
}

nlohmann::json to_json(const clearance::Actor& actor) {
  nlohmann::json roles = nlohmann::json::array();
  for (const auto& m : actor.memberships) {
    roles.push_back({{"production_id", m.production_id}, {"role", domain::role_name(m.role)}});
  }
  nlohmann::json out = to_json(actor.user);
  out["roles"] = roles;
  return out;
}

}  // namespace clearcut::api
