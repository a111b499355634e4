#include "clearcut/clearance/state_replay.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "clearcut/base/hex.h"
#include "clearcut/clearance/audit_payloads.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::clearance {
namespace {

using Json = nlohmann::json;

// Numeric ids in numeric order, others by bytes.
struct IdLess {
  bool operator()(const std::string& a, const std::string& b) const {
    auto digits = [](const std::string& s) {
      return !s.empty() &&
             std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    bool digits_a = digits(a);
    bool digits_b = digits(b);
    if (digits_a && digits_b && a.size() != b.size()) {
      return a.size() < b.size();
    }
    return a < b;
  }
};

using Row = std::map<std::string, std::string>;
using Table = std::map<std::string, Row, IdLess>;

// The tables in the order they are reported.
constexpr const char* kTables[] = {"organizations",     "users",       "api_tokens",
                                   "productions",       "memberships", "tools",
                                   "policy_packs",      "use_cases",   "use_case_events",
                                   "comments",          "consents",    "approvals",
                                   "checklist_items",   "assets",      "scan_jobs",
                                   "webhooks",          "attachments", "user_identities",
                                   "sso_role_mappings", "notices",     "notification_preferences",
                                   "delegations"};

// How a value is compared: strings as they are, anything else as compact JSON.
std::string text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string sha256_hex(const std::string& data) {
  return base::to_hex(crypto::sha256(data));
}

// The user id in an actor name ("user:7"); "0" for the system, the CLI, workers.
std::string actor_user(const std::string& actor) {
  if (actor.rfind("user:", 0) == 0) {
    return actor.substr(5);
  }
  return "0";
}

// Copies payload fields that are present into `row`, under the column names given.
void copy(const Json& payload, Row& row,
          std::initializer_list<std::pair<const char*, const char*>> fields) {
  for (const auto& [field, column] : fields) {
    if (payload.contains(field)) {
      row[column] = text(payload[field]);
    }
  }
}

class Replayer {
 public:
  void apply(const audit::AuditEvent& event) {
    Json payload = Json::parse(event.payload_json, nullptr, false);
    if (payload.is_discarded() || !payload.is_object()) {
      payload = Json::object();
    }
    const std::string& id = event.subject_id;
    const std::string& action = event.action;
    const std::string actor = actor_user(event.actor);
    if (payload.contains("notice_key")) {
      // A notice the sweep sent once: its key is in the ledger (notice_sweep.h).
      tables_["notices"][text(payload["notice_key"])];
    }
    if (action == "organization.created") {
      Row& row = tables_["organizations"][id];
      row["created_at"] = event.time;
      copy(payload, row, {{"name", "name"}});
    } else if (action == "user.created") {
      Row& row = tables_["users"][id];
      row["disabled"] = "false";
      row["created_at"] = event.time;
      copy(payload, row,
           {{"email", "email"},
            {"admin", "admin"},
            {"name", "name"},
            {"organization_id", "organization_id"},
            {"password_sha256", "password_hash (sha256)"}});
    } else if (action == "user.password_reset") {
      copy(payload, tables_["users"][id], {{"password_sha256", "password_hash (sha256)"}});
    } else if (action == "preference.set") {
      if (payload.contains("topic")) {
        Row& row = tables_["notification_preferences"]
                          ["user_id=" + id + ",topic=" + text(payload["topic"])];
        copy(payload, row, {{"delivery", "delivery"}, {"updated_at", "updated_at"}});
      }
    } else if (action == "user.identity_linked") {
      if (payload.contains("issuer") && payload.contains("subject")) {
        Row& row =
            tables_["user_identities"][text(payload["issuer"]) + "#" + text(payload["subject"])];
        row["user_id"] = id;
        copy(payload, row, {{"created_at", "created_at"}});
      }
    } else if (action == "sso_mapping.created") {
      Row& row = tables_["sso_role_mappings"][id];
      copy(payload, row,
           {{"claim", "claim"},
            {"value", "claim_value"},
            {"production_id", "production_id"},
            {"role", "role"},
            {"created_at", "created_at"}});
    } else if (action == "sso_mapping.deleted") {
      tables_["sso_role_mappings"].erase(id);
    } else if (action == "token.created") {
      Row& row = tables_["api_tokens"][id];
      row["user_id"] = actor;
      row["revoked"] = "false";
      row["created_at"] = event.time;
      copy(payload, row, {{"name", "name"}, {"user_id", "user_id"}, {"token_hash", "token_hash"}});
    } else if (action == "token.revoked") {
      tables_["api_tokens"][id]["revoked"] = "true";
    } else if (action == "production.created") {
      Row& row = tables_["productions"][id];
      row["answer_within_days"] = "2";  // the default before production.updated existed
      copy(payload, row,
           {{"code", "code"},
            {"title", "title"},
            {"organization_id", "organization_id"},
            {"created_at", "created_at"},
            {"answer_within_days", "answer_within_days"}});
    } else if (action == "production.updated") {
      copy(payload, tables_["productions"][id],
           {{"title", "title"}, {"answer_within_days", "answer_within_days"}});
    } else if (action == "delegation.set") {
      Row& row = tables_["delegations"][id];
      copy(payload, row,
           {{"delegate_id", "delegate_id"}, {"until", "until"}, {"created_at", "created_at"}});
    } else if (action == "delegation.removed") {
      tables_["delegations"].erase(id);
    } else if (action == "use_case.assigned") {
      // Not a line of the use case's history: the assignee column only.
      copy(payload, tables_["use_cases"][id], {{"assignee_id", "assignee_id"}});
    } else if (action == "use_case.due_soon" || action == "use_case.overdue") {
      // Reminders change no row.
    } else if (action == "membership.set") {
      if (payload.contains("user_id")) {
        Row& row =
            tables_["memberships"]["user_id=" + text(payload["user_id"]) + ",production_id=" + id];
        copy(payload, row, {{"role", "role"}});
      }
    } else if (action == "membership.removed") {
      if (payload.contains("user_id")) {
        tables_["memberships"].erase("user_id=" + text(payload["user_id"]) +
                                     ",production_id=" + id);
      }
    } else if (action == "tool.saved") {
      if (payload.contains("id")) {
        Row& row = tables_["tools"][text(payload["id"])];
        row.clear();
        copy(payload, row,
             {{"name", "name"},
              {"vendor", "vendor"},
              {"license_tier", "license_tier"},
              {"reviewed_on", "reviewed_on"}});
        // Events written before a stage fact existed carry fewer slots; the store reads the
        // missing ones as absent, and so does the replay.
        if (payload.contains("scalars")) {
          Json scalars = payload["scalars"];
          while (scalars.is_array() &&
                 scalars.size() < static_cast<size_t>(domain::kStageScalarCount)) {
            scalars.push_back(static_cast<int>(domain::kAbsent));
          }
          row["scalars"] = text(scalars);
        }
      }
    } else if (action == "tool.deleted") {
      if (payload.contains("id")) {
        tables_["tools"].erase(text(payload["id"]));
      }
    } else if (action == "policy_pack.activated") {
      for (auto& [pack_id, pack] : tables_["policy_packs"]) {
        pack["active"] = "false";
      }
      Row& row = tables_["policy_packs"][id];
      row["active"] = "true";
      row["loaded_by"] = actor;
      copy(payload, row,
           {{"name", "name"},
            {"version", "version"},
            {"digest", "digest"},
            {"text_sha256", "text (sha256)"},
            {"loaded_at", "loaded_at"}});
    } else if (action.rfind("use_case.", 0) == 0 && event.subject_type == "use_case") {
      apply_use_case(event, payload, action.substr(9), actor);
    } else if (action == "comment.added") {
      if (payload.contains("comment_id")) {
        Row& row = tables_["comments"][text(payload["comment_id"])];
        row["use_case_id"] = id;
        row["author_id"] = actor;
        copy(payload, row, {{"body", "body"}, {"created_at", "created_at"}});
      }
    } else if (action == "consent.recorded") {
      Row& row = tables_["consents"][id];
      row["recorded_by"] = actor;
      row["revoked"] = "false";
      row["lapsed_at"] = "";  // no consent lapsed before the sweep that writes consent.expired
      copy(payload, row,
           {{"performer", "performer"},
            {"kind", "kind"},
            {"scope", "scope"},
            {"document_sha256", "document_sha256"},
            {"use_case_id", "use_case_id"},
            {"expires_at", "expires_at"},
            {"production_id", "production_id"},
            {"created_at", "created_at"}});
    } else if (action == "consent.revoked") {
      Row& row = tables_["consents"][id];
      row["revoked"] = "true";
      copy(payload, row, {{"revoked_at", "revoked_at"}});
    } else if (action == "consent.expired") {
      copy(payload, tables_["consents"][id], {{"lapsed_at", "lapsed_at"}});
    } else if (action == "webhook.created") {
      // The secret is not in the event (the audit log is read more widely than the webhook
      // table): a changed secret only breaks the receivers' checks, a changed address would
      // send the production's notifications elsewhere, and that is compared.
      Row& row = tables_["webhooks"][id];
      row["created_by"] = actor;
      row["disabled"] = "false";
      copy(payload, row,
           {{"production_id", "production_id"},
            {"url", "url"},
            {"format", "format"},
            {"created_at", "created_at"}});
    } else if (action == "webhook.disabled") {
      tables_["webhooks"][id]["disabled"] = "true";
    } else if (action == "approval.granted") {
      Row& row = tables_["approvals"][id];
      row["approver_id"] = actor;
      row["granted"] = "true";
      row["outdated"] = "false";
      copy(payload, row,
           {{"use_case_id", "use_case_id"},
            {"declaration_digest", "declaration_digest"},
            {"conditions", "conditions"},
            {"scope", "scope_json"},
            {"expires_at", "expires_at"},
            {"signer_name", "signer_name"},
            {"reason", "reason"},
            {"created_at", "created_at"}});
    } else if (action == "checklist.derived") {
      apply_checklist(id, payload);
    } else if (action == "checklist.evidence" || action == "checklist.waived") {
      Row& row = tables_["checklist_items"][id];
      bool waived = action == "checklist.waived";
      row["state"] = waived ? "waived" : "met";
      row["evidence_json"] =
          waived || !payload.contains("evidence") ? "" : payload["evidence"].dump();
      row["reason"] = waived && payload.contains("reason") ? text(payload["reason"]) : "";
      row["decided_by"] = actor;
      copy(payload, row, {{"use_case_id", "use_case_id"}, {"decided_at", "decided_at"}});
    } else if (action == "checklist.confirmed") {
      // The disclosure's confirmation joins the item's evidence; nothing else changes.
      if (payload.contains("evidence")) {
        tables_["checklist_items"][id]["evidence_json"] = payload["evidence"].dump();
      }
    } else if (action == "asset.registered") {
      Row& row = tables_["assets"][id];
      row["created_by"] = actor;
      copy(payload, row,
           {{"use_case_id", "use_case_id"},
            {"sha256", "sha256"},
            {"pdq", "pdq"},
            {"manifest_id", "manifest_id"},
            {"watermark_payload", "watermark_payload"},
            {"status", "status"},
            {"production_id", "production_id"},
            {"file_name", "file_name"},
            {"media_type", "media_type"},
            {"width", "width"},
            {"height", "height"},
            {"duration_ms", "duration_ms"},
            {"pdq_quality", "pdq_quality"},
            {"created_at", "created_at"},
            {"frame_pdq_sha256", "frame_pdq_sha256"},
            {"audio_fingerprint_sha256", "audio_fingerprint_sha256"}});
    } else if (action == "asset.status") {
      copy(payload, tables_["assets"][id], {{"status", "status"}});
    } else if (action == "attachment.added") {
      // Downloads (attachment.downloaded) change no row.
      Row& row = tables_["attachments"][id];
      row["added_by"] = actor;
      copy(payload, row,
           {{"production_id", "production_id"},
            {"parent_type", "parent_type"},
            {"parent_id", "parent_id"},
            {"sha256", "sha256"},
            {"size", "size"},
            {"content_type", "content_type"},
            {"file_name", "file_name"},
            {"added_at", "added_at"}});
    } else if (action == "scan.submitted") {
      Row& row = tables_["scan_jobs"][id];
      row["submitted_by"] = actor;
      row["submitted_at"] = event.time;
      row["finished"] = "false";
      copy(payload, row,
           {{"production_id", "production_id"},
            {"paths", "paths_json"},
            {"stride", "stride"},
            {"radius", "radius"}});
    } else if (action == "scan.finished") {
      Row& row = tables_["scan_jobs"][id];
      row["finished"] = "true";
      copy(payload, row, {{"state", "state"}, {"passes", "passes"}});
    }
  }

  std::map<std::string, Table>& tables() { return tables_; }

 private:
  // "checklist.derived": the use case's items after a triage; new ones start open.
  void apply_checklist(const std::string& use_case_id, const Json& payload) {
    Table& items = tables_["checklist_items"];
    if (payload.contains("removed") && payload["removed"].is_array()) {
      for (const Json& removed : payload["removed"]) {
        items.erase(text(removed));
      }
    }
    if (!payload.contains("items") || !payload["items"].is_array()) {
      return;
    }
    for (const Json& item : payload["items"]) {
      if (!item.is_object() || !item.contains("id")) {
        continue;
      }
      std::string id = text(item["id"]);
      if (!items.count(id)) {
        items[id] = {{"state", "open"},
                     {"evidence_json", ""},
                     {"reason", ""},
                     {"decided_by", "0"},
                     {"decided_at", ""}};
      }
      Row& row = items[id];
      row["use_case_id"] = use_case_id;
      copy(item, row, {{"kind", "kind"}, {"name", "name"}, {"conditional", "conditional"}});
      if (item.contains("rules") && item["rules"].is_array()) {
        std::vector<std::string> rules;
        for (const Json& rule : item["rules"]) {
          rules.push_back(text(rule));
        }
        row["rules"] = domain::checklist_rules_text(rules);
      }
    }
  }

  void apply_use_case(const audit::AuditEvent& event, const Json& payload, const std::string& kind,
                      const std::string& actor) {
    const std::string& id = event.subject_id;
    Row& row = tables_["use_cases"][id];
    copy(payload, row,
         {{"to", "state"},
          {"revision", "revision"},
          {"declaration_digest", "declaration_digest"},
          {"outcome", "outcome"},
          {"policy_digest", "policy_digest"},
          {"summary", "summary"},
          {"engine_version", "engine_version"},
          {"declaration_sha256", "declaration_json (sha256)"},
          {"decision_sha256", "decision_json (sha256)"},
          {"updated_at", "updated_at"},
          {"production_id", "production_id"},
          {"created_by", "created_by"},
          {"created_at", "created_at"}});
    // A change of state ends an assignment (UseCaseRecords::update).
    if (kind == "created" || (payload.contains("from") && payload.contains("to") &&
                              text(payload["from"]) != text(payload["to"]))) {
      row["assignee_id"] = "0";
    }
    int& count = use_case_events_[id];
    ++count;
    Row& history = tables_["use_case_events"][id + "#" + std::to_string(count)];
    history["kind"] = kind;
    history["actor_id"] = actor;
    history["note"] = payload.contains("note") ? text(payload["note"]) : "";
    copy(payload, history, {{"from", "from_state"}, {"to", "to_state"}, {"at", "at"}});
    // An edit after submission outdates the use case's approvals (update_declaration), and so
    // does the revocation of a consent they relied on (revoke_consent).
    if ((kind == "edited" && payload.contains("from") && text(payload["from"]) != "draft") ||
        kind == "suspended") {
      for (auto& [approval_id, approval] : tables_["approvals"]) {
        if (approval["use_case_id"] == id) {
          approval["outdated"] = "true";
        }
      }
    }
  }

  std::map<std::string, Table> tables_;
  std::map<std::string, int> use_case_events_;
};

std::string flag(bool value) {
  return value ? "true" : "false";
}

std::string num(int64_t value) {
  return std::to_string(value);
}

// The database's rows, in the shape the replayer builds.
base::Result<std::map<std::string, Table>> read_state(store::Transaction& tx) {
  std::map<std::string, Table> tables;
  for (const char* name : kTables) {
    tables[name];
  }
  for (const domain::Organization& o : CC_TRY(tx.accounts().list_organizations())) {
    tables["organizations"][num(o.id)] = {{"name", o.name}, {"created_at", o.created_at}};
  }
  for (const domain::User& listed : CC_TRY(tx.accounts().list_users())) {
    domain::User u = CC_TRY(tx.accounts().get_user(listed.id));
    tables["users"][num(u.id)] = {{"email", u.email},
                                  {"admin", flag(u.admin)},
                                  {"name", u.name},
                                  {"organization_id", num(u.organization_id)},
                                  {"password_hash (sha256)", sha256_hex(u.password_hash)},
                                  {"disabled", flag(u.disabled)},
                                  {"created_at", u.created_at}};
    for (const domain::ApiToken& t : CC_TRY(tx.accounts().list_tokens(u.id))) {
      tables["api_tokens"][num(t.id)] = {{"user_id", num(t.user_id)},
                                         {"name", t.name},
                                         {"token_hash", t.token_hash},
                                         {"revoked", flag(t.revoked)},
                                         {"created_at", t.created_at}};
    }
    for (const domain::Membership& m : CC_TRY(tx.accounts().list_memberships_of_user(u.id))) {
      tables["memberships"]
            ["user_id=" + num(m.user_id) + ",production_id=" + num(m.production_id)] = {
                {"role", std::string(domain::role_name(m.role))}};
    }
  }
  for (const domain::UserIdentity& i : CC_TRY(tx.accounts().list_identities())) {
    tables["user_identities"][i.issuer + "#" + i.subject] = {{"user_id", num(i.user_id)},
                                                             {"created_at", i.created_at}};
  }
  for (const std::string& key : CC_TRY(tx.outbox().list_notice_keys())) {
    tables["notices"][key];
  }
  for (const domain::NotificationPreference& p : CC_TRY(tx.outbox().list_all_preferences())) {
    tables["notification_preferences"]["user_id=" + num(p.user_id) + ",topic=" + p.topic] = {
        {"delivery", std::string(domain::delivery_name(p.delivery))}, {"updated_at", p.updated_at}};
  }
  for (const domain::SsoRoleMapping& m : CC_TRY(tx.accounts().list_sso_mappings())) {
    tables["sso_role_mappings"][num(m.id)] = {{"claim", m.claim},
                                              {"claim_value", m.value},
                                              {"production_id", num(m.production_id)},
                                              {"role", std::string(domain::role_name(m.role))},
                                              {"created_at", m.created_at}};
  }
  std::vector<domain::Production> productions = CC_TRY(tx.accounts().list_productions());
  for (const domain::Production& p : productions) {
    tables["productions"][num(p.id)] = {{"code", p.code},
                                        {"title", p.title},
                                        {"organization_id", num(p.organization_id)},
                                        {"created_at", p.created_at},
                                        {"answer_within_days", num(p.answer_within_days)}};
  }
  for (const domain::Delegation& d : CC_TRY(tx.accounts().list_delegations(0))) {
    tables["delegations"][num(d.user_id)] = {
        {"delegate_id", num(d.delegate_id)}, {"until", d.until}, {"created_at", d.created_at}};
  }
  for (const domain::Tool& t : CC_TRY(tx.policy().list_tools())) {
    Json scalars = Json::array();
    for (int8_t scalar : t.scalars) {
      scalars.push_back(static_cast<int>(scalar));
    }
    tables["tools"][t.id] = {{"name", t.name},
                             {"vendor", t.vendor},
                             {"license_tier", t.license_tier},
                             {"reviewed_on", t.reviewed_on},
                             {"scalars", scalars.dump()}};
  }
  for (const store::PolicyPackRecord& listed : CC_TRY(tx.policy().list_policy_packs())) {
    store::PolicyPackRecord p = CC_TRY(tx.policy().get_policy_pack(listed.id));
    tables["policy_packs"][num(p.id)] = {{"name", p.name},
                                         {"version", p.version},
                                         {"digest", p.digest},
                                         {"text (sha256)", sha256_hex(p.text)},
                                         {"active", flag(listed.active)},
                                         {"loaded_by", num(p.loaded_by)},
                                         {"loaded_at", p.loaded_at}};
  }
  store::UseCaseFilter filter;
  filter.limit = store::kMaxListLimit;
  for (;;) {
    std::vector<domain::UseCase> page = CC_TRY(tx.use_cases().list(filter));
    for (const domain::UseCase& u : page) {
      std::string id = num(u.id);
      tables["use_cases"][id] = {{"state", std::string(domain::use_case_state_name(u.state))},
                                 {"revision", num(u.revision)},
                                 {"declaration_digest", u.declaration_digest},
                                 {"outcome", std::string(domain::use_case_outcome_text(u.outcome))},
                                 {"policy_digest", u.policy_digest},
                                 {"summary", u.summary},
                                 {"engine_version", u.engine_version},
                                 {"declaration_json (sha256)", sha256_hex(u.declaration_json)},
                                 {"decision_json (sha256)", sha256_hex(u.decision_json)},
                                 {"updated_at", u.updated_at},
                                 {"production_id", num(u.production_id)},
                                 {"created_by", num(u.created_by)},
                                 {"created_at", u.created_at},
                                 {"assignee_id", num(u.assignee_id)}};
      int n = 0;
      for (const domain::UseCaseEvent& e : CC_TRY(tx.use_cases().list_events(u.id))) {
        tables["use_case_events"][id + "#" + std::to_string(++n)] = {
            {"kind", std::string(domain::use_case_event_kind_name(e.kind))},
            {"actor_id", num(e.actor_id)},
            {"note", e.note},
            {"from_state", e.from_state},
            {"to_state", e.to_state},
            {"at", e.at}};
      }
      for (const domain::Comment& c : CC_TRY(tx.use_cases().list_comments(u.id))) {
        tables["comments"][num(c.id)] = {{"use_case_id", num(c.use_case_id)},
                                         {"author_id", num(c.author_id)},
                                         {"body", c.body},
                                         {"created_at", c.created_at}};
      }
      for (const domain::Approval& a : CC_TRY(tx.approvals().list_approvals(u.id))) {
        Json scope = Json::parse(a.scope.json, nullptr, false);
        tables["approvals"][num(a.id)] = {
            {"use_case_id", num(a.use_case_id)},
            {"approver_id", num(a.approver_id)},
            {"granted", flag(a.granted)},
            {"outdated", flag(a.outdated)},
            {"declaration_digest", a.declaration_digest},
            {"conditions", a.conditions},
            {"scope_json", scope.is_discarded() ? a.scope.json : scope.dump()},
            {"expires_at", a.expires_at},
            {"signer_name", a.signer_name},
            {"reason", a.reason},
            {"created_at", a.created_at}};
      }
      for (const domain::ChecklistItem& c : CC_TRY(tx.use_cases().list_checklist(u.id))) {
        Json evidence = Json::parse(c.evidence_json, nullptr, false);
        tables["checklist_items"][num(c.id)] = {
            {"use_case_id", num(c.use_case_id)},
            {"kind", std::string(domain::checklist_item_kind_name(c.kind))},
            {"name", c.name},
            {"rules", domain::checklist_rules_text(c.rules)},
            {"conditional", flag(c.conditional)},
            {"state", std::string(domain::checklist_item_state_name(c.state))},
            {"evidence_json", evidence.is_discarded() ? c.evidence_json : evidence.dump()},
            {"reason", c.reason},
            {"decided_by", num(c.decided_by)},
            {"decided_at", c.decided_at}};
      }
    }
    if (page.size() < static_cast<size_t>(filter.limit)) {
      break;
    }
    filter.after_id = page.back().id;
  }
  for (const domain::Production& p : productions) {
    for (const domain::Consent& c : CC_TRY(tx.approvals().list_consents(p.id))) {
      tables["consents"][num(c.id)] = {{"performer", c.performer},
                                       {"kind", std::string(domain::consent_kind_name(c.kind))},
                                       {"scope", c.scope},
                                       {"document_sha256", c.document_sha256},
                                       {"use_case_id", num(c.use_case_id)},
                                       {"expires_at", c.expires_at},
                                       {"production_id", num(c.production_id)},
                                       {"recorded_by", num(c.recorded_by)},
                                       {"revoked", flag(!c.revoked_at.empty())},
                                       {"revoked_at", c.revoked_at},
                                       {"lapsed_at", c.lapsed_at},
                                       {"created_at", c.created_at}};
    }
    for (const domain::Webhook& w : CC_TRY(tx.outbox().list_webhooks(p.id))) {
      tables["webhooks"][num(w.id)] = {{"production_id", num(w.production_id)},
                                       {"url", w.url},
                                       {"format", w.format},
                                       {"disabled", flag(w.disabled)},
                                       {"created_by", num(w.created_by)},
                                       {"created_at", w.created_at}};
    }
    for (int64_t after = 0;;) {
      std::vector<domain::Asset> page = CC_TRY(tx.assets().list(p.id, after, store::kMaxListLimit));
      for (const domain::Asset& a : page) {
        tables["assets"][num(a.id)] = {{"use_case_id", num(a.use_case_id)},
                                       {"sha256", a.sha256},
                                       {"pdq", a.pdq},
                                       {"manifest_id", a.manifest_id},
                                       {"watermark_payload", std::to_string(a.watermark_payload)},
                                       {"status", std::string(domain::asset_status_name(a.status))},
                                       {"production_id", num(a.production_id)},
                                       {"file_name", a.file_name},
                                       {"media_type", a.media_type},
                                       {"width", num(a.width)},
                                       {"height", num(a.height)},
                                       {"duration_ms", num(a.duration_ms)},
                                       {"pdq_quality", num(a.pdq_quality)},
                                       {"created_by", num(a.created_by)},
                                       {"created_at", a.created_at},
                                       {"frame_pdq_sha256", frame_pdq_digest(a)},
                                       {"audio_fingerprint_sha256", audio_fingerprint_digest(a)}};
      }
      if (page.size() < static_cast<size_t>(store::kMaxListLimit)) {
        break;
      }
      after = page.back().id;
    }
    for (int64_t before = 0;;) {
      std::vector<domain::ScanJob> page =
          CC_TRY(tx.scan_jobs().list(p.id, before, store::kMaxListLimit));
      for (const domain::ScanJob& j : page) {
        bool finished =
            j.state == domain::ScanJobState::kFinished || j.state == domain::ScanJobState::kError;
        tables["scan_jobs"][num(j.id)] = {
            {"production_id", num(j.production_id)},
            {"paths_json", Json(j.paths).dump()},
            {"stride", num(j.stride)},
            {"radius", num(j.radius)},
            {"submitted_by", num(j.submitted_by)},
            {"submitted_at", j.submitted_at},
            {"finished", flag(finished)},
            {"state", std::string(domain::scan_job_state_name(j.state))},
            {"passes", flag(j.passes)}};
      }
      if (page.size() < static_cast<size_t>(store::kMaxListLimit)) {
        break;
      }
      before = page.back().id;
    }
  }
  for (int64_t after = 0;;) {
    std::vector<domain::Attachment> page =
        CC_TRY(tx.attachments().list_all(after, store::kMaxListLimit));
    for (const domain::Attachment& a : page) {
      tables["attachments"][num(a.id)] = {
          {"production_id", num(a.production_id)},
          {"parent_type", std::string(domain::attachment_parent_name(a.parent_type))},
          {"parent_id", a.parent_id},
          {"sha256", a.sha256},
          {"size", num(a.size)},
          {"content_type", a.content_type},
          {"file_name", a.file_name},
          {"added_by", num(a.added_by)},
          {"added_at", a.added_at}};
    }
    if (page.size() < static_cast<size_t>(store::kMaxListLimit)) {
      break;
    }
    after = page.back().id;
  }
  return tables;
}

}  // namespace

std::string StateDifference::to_string() const {
  std::string where = table + " id " + id;
  if (column.empty()) {
    return where + ": " +
           (found == "(no row)" ? "row is missing (the audit log created it)"
                                : "row was not written by any audit event");
  }
  return where + " column " + column + ": expected \"" + expected + "\", found \"" + found + "\"";
}

base::Result<std::vector<StateDifference>> compare_state_with_events(
    std::span<const audit::AuditEvent> events, store::Transaction& tx) {
  Replayer replayer;
  for (const audit::AuditEvent& event : events) {
    replayer.apply(event);
  }
  std::map<std::string, Table>& expected = replayer.tables();
  std::map<std::string, Table> found = CC_TRY(read_state(tx));
  std::vector<StateDifference> differences;
  for (const char* name : kTables) {
    const Table& want = expected[name];
    const Table& have = found[name];
    std::vector<std::string> ids;
    for (const auto& [id, row] : want) {
      ids.push_back(id);
    }
    for (const auto& [id, row] : have) {
      if (!want.count(id)) {
        ids.push_back(id);
      }
    }
    std::sort(ids.begin(), ids.end(), IdLess());
    for (const std::string& id : ids) {
      auto w = want.find(id);
      auto h = have.find(id);
      if (h == have.end()) {
        differences.push_back({name, id, "", "row", "(no row)"});
        continue;
      }
      if (w == want.end()) {
        differences.push_back({name, id, "", "(no row)", "row"});
        continue;
      }
      for (const auto& [column, value] : w->second) {
        auto cell = h->second.find(column);
        if (cell != h->second.end() && cell->second != value) {
          differences.push_back({name, id, column, value, cell->second});
        }
      }
    }
  }
  return differences;
}

}  // namespace clearcut::clearance
