#include "clearcut/clearance/approval_certificate.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "clearcut/audit/merkle_proof.h"
#include "clearcut/base/base64.h"
#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::clearance {
namespace {

using Json = nlohmann::json;

// Parses JSON a service wrote; nullopt-like discarded value on failure.
Json parse_or_null(std::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  return json.is_discarded() ? Json() : json;
}

// The decision as the approver read it: the policy pack, outcome, headline, the rules that
// fired and the actions they ask for. The rules' prose stays in the pack.
Json decision_summary(std::string_view decision_json) {
  Json decision = parse_or_null(decision_json);
  if (!decision.is_object()) {
    return Json::object();
  }
  Json rules = Json::array();
  for (const Json& rule : decision.value("rules", Json::array())) {
    if (rule.is_object()) {
      rules.push_back({{"id", rule.value("id", "")}, {"outcome", rule.value("outcome", "")}});
    }
  }
  Json out = {{"policy", decision.value("policy", Json::object())},
              {"outcome", decision.value("outcome", "")},
              {"rules", std::move(rules)},
              {"actions", decision.value("actions", Json::array())}};
  if (decision.contains("headline")) {
    out["headline"] = decision["headline"];
  }
  return out;
}

Json consent_json(const domain::Consent& consent) {
  return {{"id", consent.id},
          {"performer", consent.performer},
          {"kind", domain::consent_kind_name(consent.kind)},
          {"scope", consent.scope},
          {"document_sha256", consent.document_sha256},
          {"use_case_id", consent.use_case_id},
          {"expires_at", consent.expires_at}};
}

Json checklist_item_json(const domain::ChecklistItem& item,
                         const std::vector<domain::Consent>& consents) {
  Json out = {{"kind", domain::checklist_item_kind_name(item.kind)},
              {"name", item.name},
              {"rules", item.rules},
              {"conditional", item.conditional},
              {"state", domain::checklist_item_state_name(item.state)}};
  if (item.state == domain::ChecklistItemState::kWaived) {
    out["reason"] = item.reason;
  }
  if (item.state == domain::ChecklistItemState::kMet) {
    Json evidence = parse_or_null(item.evidence_json);
    if (evidence.is_object() && evidence.contains("consent_ids")) {
      Json covering = Json::array();
      for (const Json& id : evidence["consent_ids"]) {
        auto consent = std::find_if(consents.begin(), consents.end(),
                                    [&](const domain::Consent& c) { return id == c.id; });
        if (consent != consents.end()) {
          covering.push_back(consent_json(*consent));
        }
      }
      evidence["consents"] = std::move(covering);
    }
    out["evidence"] = std::move(evidence);
  }
  if (item.decided_by != 0) {
    out["decided_by"] = item.decided_by;
    out["decided_at"] = item.decided_at;
  }
  return out;
}

base::Error bad_certificate(const std::string& message) {
  return base::invalid_argument("not a valid approval certificate: " + message);
}

base::Error failed_check(const std::string& message) {
  return base::Error(base::ErrorCode::kDataLoss, message);
}

// The keys `object` must have, exactly.
base::Status expect_keys(const Json& object, std::string_view where,
                         std::initializer_list<std::string_view> keys) {
  if (!object.is_object()) {
    return bad_certificate(std::string(where) + " is not an object");
  }
  std::set<std::string_view> wanted(keys.begin(), keys.end());
  for (const auto& [key, value] : object.items()) {
    if (!wanted.contains(key)) {
      return bad_certificate(std::string(where) + " has an unknown key '" + key + "'");
    }
  }
  for (std::string_view key : keys) {
    if (!object.contains(key)) {
      return bad_certificate(std::string(where) + " lacks '" + std::string(key) + "'");
    }
  }
  return {};
}

base::Result<std::string> string_at(const Json& object, const std::string& key) {
  if (!object[key].is_string()) {
    return bad_certificate("'" + key + "' is not a string");
  }
  return object[key].get<std::string>();
}

base::Result<uint64_t> count_at(const Json& object, const std::string& key) {
  if (!object[key].is_number_unsigned()) {
    return bad_certificate("'" + key + "' is not a non-negative integer");
  }
  return object[key].get<uint64_t>();
}

}  // namespace

std::string approval_event_payload(const domain::Approval& approval, const domain::User& approver,
                                   const domain::UseCase& use_case,
                                   const std::vector<domain::ChecklistItem>& checklist,
                                   const std::vector<domain::Consent>& consents) {
  Json items = Json::array();
  for (const domain::ChecklistItem& item : checklist) {
    items.push_back(checklist_item_json(item, consents));
  }
  // The first eight keys are those every approval.granted event has carried (state_replay.cc
  // rebuilds the approvals table from them).
  Json payload = {{"use_case_id", approval.use_case_id},
                  {"declaration_digest", approval.declaration_digest},
                  {"conditions", approval.conditions},
                  {"scope", parse_or_null(approval.scope.json)},
                  {"expires_at", approval.expires_at},
                  {"signer_name", approval.signer_name},
                  {"reason", approval.reason},
                  {"created_at", approval.created_at},
                  {"approver", {{"user_id", approver.id}, {"name", approver.name}}},
                  {"production_id", use_case.production_id},
                  {"use_case_summary", use_case.summary},
                  {"declaration", use_case.declaration_json},
                  {"decision", decision_summary(use_case.decision_json)},
                  {"checklist", std::move(items)}};
  return payload.dump();
}

base::Result<std::string> write_approval_certificate(const ApprovalCertificate& certificate) {
  Json approval = parse_or_null(certificate.event.payload_json);
  if (!approval.is_object()) {
    return base::invalid_argument("the approval event's payload is not a JSON object");
  }
  Json proof = Json::array();
  for (const audit::Hash& hash : certificate.inclusion_proof) {
    proof.push_back(base::base64_encode(hash));
  }
  const audit::AuditEvent& event = certificate.event;
  Json out = {{"format", kApprovalCertificateFormat},
              {"approval", std::move(approval)},
              {"audit_log",
               {{"checkpoint", certificate.checkpoint},
                {"event",
                 {{"action", event.action},
                  {"actor", event.actor},
                  {"sequence", event.sequence},
                  {"subject_id", event.subject_id},
                  {"subject_type", event.subject_type},
                  {"time", event.time}}},
                {"inclusion_proof", std::move(proof)},
                {"tree_size", certificate.tree_size}}}};
  return out.dump(2) + "\n";
}

base::Result<ApprovalCertificate> read_approval_certificate(std::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return bad_certificate("not JSON");
  }
  // One layout only: a byte changed anywhere, even in spacing, is a different certificate.
  if (json.dump(2) + "\n" != text) {
    return bad_certificate("not laid out as clearcut writes certificates (was it edited?)");
  }
  CC_TRY(expect_keys(json, "the certificate", {"approval", "audit_log", "format"}));
  if (json["format"] != kApprovalCertificateFormat) {
    return bad_certificate("the format is not " + std::string(kApprovalCertificateFormat));
  }
  if (!json["approval"].is_object()) {
    return bad_certificate("'approval' is not an object");
  }
  const Json& log = json["audit_log"];
  CC_TRY(expect_keys(log, "'audit_log'", {"checkpoint", "event", "inclusion_proof", "tree_size"}));
  const Json& event = log["event"];
  CC_TRY(expect_keys(event, "'audit_log.event'",
                     {"action", "actor", "sequence", "subject_id", "subject_type", "time"}));
  ApprovalCertificate out;
  out.event.sequence = CC_TRY(count_at(event, "sequence"));
  out.event.time = CC_TRY(string_at(event, "time"));
  out.event.actor = CC_TRY(string_at(event, "actor"));
  out.event.action = CC_TRY(string_at(event, "action"));
  out.event.subject_type = CC_TRY(string_at(event, "subject_type"));
  out.event.subject_id = CC_TRY(string_at(event, "subject_id"));
  out.event.payload_json = json["approval"].dump();
  out.tree_size = CC_TRY(count_at(log, "tree_size"));
  out.checkpoint = CC_TRY(string_at(log, "checkpoint"));
  if (!log["inclusion_proof"].is_array()) {
    return bad_certificate("'inclusion_proof' is not an array");
  }
  for (const Json& node : log["inclusion_proof"]) {
    auto bytes = node.is_string() ? base::base64_decode(node.get<std::string>()) : std::nullopt;
    audit::Hash hash{};
    if (!bytes || bytes->size() != hash.size()) {
      return bad_certificate("an inclusion proof hash is not 32 bytes of base64");
    }
    std::copy(bytes->begin(), bytes->end(), hash.begin());
    out.inclusion_proof.push_back(hash);
  }
  return out;
}

base::Result<audit::Checkpoint> verify_approval_certificate(
    const ApprovalCertificate& certificate, std::span<const audit::NoteVerifier> keys) {
  if (keys.empty()) {
    return base::invalid_argument("no key to check the checkpoint's signature with");
  }
  const audit::AuditEvent& event = certificate.event;
  if (event.action != kApprovalGrantedAction || event.subject_type != "approval") {
    return failed_check("the event is not an approval's grant but '" + event.action + "' of '" +
                        event.subject_type + "'");
  }
  Json approval = parse_or_null(event.payload_json);
  if (!approval.is_object() || !approval["declaration"].is_string() ||
      !approval["declaration_digest"].is_string()) {
    return failed_check("the approval does not carry the declaration and its digest");
  }
  std::string digest =
      base::to_hex(crypto::sha256(approval["declaration"].get_ref<const std::string&>()));
  if (digest != approval["declaration_digest"].get<std::string>()) {
    return failed_check("the declaration does not hash to the declaration digest");
  }
  // Signed by one of the keys, as the log it names (tlog-checkpoint: the key name is the
  // origin).
  std::optional<audit::Checkpoint> checkpoint;
  std::string why = "no key given";
  for (const audit::NoteVerifier& key : keys) {
    auto opened = audit::open_checkpoint(certificate.checkpoint, key, key.name());
    if (opened.has_value()) {
      checkpoint = *opened;
      break;
    }
    why = opened.error().message();
  }
  if (!checkpoint) {
    return failed_check("the checkpoint is not validly signed by the given key: " + why);
  }
  if (checkpoint->size != certificate.tree_size) {
    return failed_check("the checkpoint is of " + std::to_string(checkpoint->size) +
                        " events, the proof of " + std::to_string(certificate.tree_size));
  }
  auto leaf = audit::audit_event_leaf_hash(event);
  if (!leaf.has_value()) {
    return failed_check("the event cannot be encoded: " + leaf.error().message());
  }
  // RFC 9162 §2.1.3.2: the event's leaf at its sequence must lead to the signed root.
  auto included = audit::verify_inclusion(*leaf, event.sequence, certificate.tree_size,
                                          certificate.inclusion_proof, checkpoint->root_hash);
  if (!included.has_value()) {
    return failed_check("the event is not in the signed log: " + included.error().message());
  }
  return *checkpoint;
}

}  // namespace clearcut::clearance
