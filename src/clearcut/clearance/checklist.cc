#include "clearcut/clearance/checklist.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "clearcut/domain/validation.h"

namespace clearcut::clearance {
namespace {

using domain::ChecklistItem;
using domain::ChecklistItemKind;
using domain::ChecklistItemState;
using Json = nlohmann::json;

void add_unique(std::vector<std::string>* list, const std::string& value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) {
    list->push_back(value);
  }
}

std::vector<std::string> strings(const Json& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) {
    return out;
  }
  for (const Json& value : *it) {
    if (value.is_string()) {
      out.push_back(value.get<std::string>());
    }
  }
  return out;
}

ChecklistItem* find_item(std::vector<ChecklistItem>* items, ChecklistItemKind kind,
                         const std::string& name) {
  for (ChecklistItem& item : *items) {
    if (item.kind == kind && item.name == name) {
      return &item;
    }
  }
  return nullptr;
}

const ChecklistItem* find_item(const std::vector<ChecklistItem>& items, ChecklistItemKind kind,
                               const std::string& name) {
  return find_item(const_cast<std::vector<ChecklistItem>*>(&items), kind, name);
}

// The scalar of the declaration at `path` is the vocabulary word `word`.
bool declares(const domain::Declaration& d, std::string_view path, std::string_view word) {
  const domain::FieldSpec* field = domain::find_field(domain::FieldScope::kDeclaration, path);
  CC_CHECK(field != nullptr);
  std::optional<int> index = domain::vocabulary_index(*field, word);
  CC_CHECK(index.has_value());
  return d.scalars[field->slot] == *index;
}

}  // namespace

std::optional<EvidenceKind> checklist_evidence_kind(std::string_view action) {
  static constexpr std::pair<std::string_view, EvidenceKind> kKinds[] = {
      {"talent_consent", EvidenceKind::kConsent},
      {"all_party_consent", EvidenceKind::kConsent},
      {"rights_clearance", EvidenceKind::kDocument},
      {"audience_disclosure", EvidenceKind::kStatement},
      {"guild_compliance", EvidenceKind::kStatement},
      {"human_authorship", EvidenceKind::kStatement},
      {"use_enterprise_tool", EvidenceKind::kRegistry},
      {"review_tool_terms", EvidenceKind::kRegistry},
      {"talent_qa", EvidenceKind::kStatement},
  };
  for (const auto& [name, kind] : kKinds) {
    if (name == action) {
      return kind;
    }
  }
  return std::nullopt;
}

base::Result<std::vector<ChecklistItem>> derive_checklist(std::string_view decision_json) {
  Json decision = Json::parse(decision_json, nullptr, false);
  if (decision.is_discarded() || !decision.is_object() || !decision.contains("rules") ||
      !decision["rules"].is_array()) {
    return base::invalid_argument("not a decision").with_field("decision_json");
  }
  std::vector<ChecklistItem> items;
  auto action_item = [&](const std::string& action, bool conditional) -> ChecklistItem* {
    if (!checklist_evidence_kind(action)) {
      return nullptr;
    }
    ChecklistItem* item = find_item(&items, ChecklistItemKind::kAction, action);
    if (item == nullptr) {
      items.emplace_back();
      item = &items.back();
      item->kind = ChecklistItemKind::kAction;
      item->name = action;
      item->conditional = conditional;
    }
    item->conditional = item->conditional && conditional;
    return item;
  };
  for (const std::string& action : strings(decision, "actions")) {
    action_item(action, false);
  }
  for (const Json& rule : decision["rules"]) {
    if (!rule.is_object() || rule.value("unknown", false)) {
      continue;
    }
    for (const std::string& action : strings(rule, "actions")) {
      if (ChecklistItem* item = action_item(action, false)) {
        add_unique(&item->rules, rule.value("id", ""));
      }
    }
  }
  std::vector<std::string> questions = strings(decision, "unknown");
  if (auto it = decision.find("conditional_actions"); it != decision.end() && it->is_array()) {
    for (const Json& conditional : *it) {
      if (!conditional.is_object()) {
        continue;
      }
      for (const std::string& action : strings(conditional, "actions")) {
        if (ChecklistItem* item = action_item(action, true)) {
          add_unique(&item->rules, conditional.value("rule", ""));
        }
      }
      for (const std::string& field : strings(conditional, "unknown")) {
        add_unique(&questions, field);
      }
    }
  }
  // The rules whose condition came out unknown ask each question.
  for (const std::string& field : questions) {
    ChecklistItem question;
    question.kind = ChecklistItemKind::kQuestion;
    question.name = field;
    question.conditional = true;
    for (const Json& rule : decision["rules"]) {
      if (!rule.is_object() || !rule.value("unknown", false) || !rule.contains("facts")) {
        continue;
      }
      for (const Json& fact : rule["facts"]) {
        if (fact.is_object() && fact.value("field", "") == field) {
          add_unique(&question.rules, rule.value("id", ""));
        }
      }
    }
    items.push_back(std::move(question));
  }
  return items;
}

ChecklistChanges reconcile_checklist(const std::vector<ChecklistItem>& stored,
                                     const std::vector<ChecklistItem>& derived) {
  ChecklistChanges changes;
  for (const ChecklistItem& want : derived) {
    const ChecklistItem* have = find_item(stored, want.kind, want.name);
    if (have == nullptr) {
      changes.added.push_back(want);
      changes.result.push_back(want);
      continue;
    }
    ChecklistItem kept = *have;
    kept.rules = want.rules;
    kept.conditional = want.conditional;
    if (kept.rules != have->rules || kept.conditional != have->conditional) {
      changes.updated.push_back(kept);
    }
    changes.result.push_back(std::move(kept));
  }
  for (const ChecklistItem& have : stored) {
    if (find_item(derived, have.kind, have.name) == nullptr) {
      changes.removed.push_back(have);
    }
  }
  return changes;
}

std::vector<int64_t> covering_consents(const domain::Declaration& declaration,
                                       const std::vector<domain::Consent>& consents,
                                       int64_t use_case_id,
                                       std::chrono::system_clock::time_point now) {
  std::vector<domain::ConsentKind> needed;
  if (declares(declaration, "talent.digital_replica", "create")) {
    needed.push_back(domain::ConsentKind::kReplicaCreation);
  }
  if (declares(declaration, "talent.digital_replica", "use")) {
    needed.push_back(domain::ConsentKind::kReplicaUse);
  }
  if (declares(declaration, "talent.alteration", "significant")) {
    needed.push_back(domain::ConsentKind::kAlteration);
  }
  std::vector<int64_t> ids;
  std::vector<domain::ConsentKind> covered;
  for (const domain::Consent& consent : consents) {
    if (consent.use_case_id != use_case_id && consent.use_case_id != 0) {
      continue;
    }
    bool needed_kind =
        needed.empty() || std::find(needed.begin(), needed.end(), consent.kind) != needed.end();
    if (!needed_kind || !consent.revoked_at.empty()) {
      continue;
    }
    // An expiry that does not read as a time is not trusted to be in the future.
    if (!consent.expires_at.empty()) {
      auto expiry = domain::parse_rfc3339_utc(consent.expires_at);
      if (!expiry || *expiry <= now) {
        continue;
      }
    }
    ids.push_back(consent.id);
    covered.push_back(consent.kind);
  }
  for (domain::ConsentKind kind : needed) {
    if (std::find(covered.begin(), covered.end(), kind) == covered.end()) {
      return {};
    }
  }
  return ids;
}

void apply_consent_coverage(const std::vector<int64_t>& consent_ids,
                            std::vector<ChecklistItem>* items) {
  if (consent_ids.empty()) {
    return;
  }
  for (ChecklistItem& item : *items) {
    if (item.kind == ChecklistItemKind::kAction && item.state == ChecklistItemState::kOpen &&
        checklist_evidence_kind(item.name) == EvidenceKind::kConsent) {
      item.state = ChecklistItemState::kMet;
      item.evidence_json = Json({{"consent_ids", consent_ids}}).dump();
    }
  }
}

void apply_tool_reviews(const domain::Declaration& declaration,
                        const domain::ToolRegistry& registry, const domain::ReviewPeriod& period,
                        std::vector<ChecklistItem>* items) {
  const domain::FieldSpec* enterprise =
      domain::find_field(domain::FieldScope::kStage, "enterprise_agreement");
  const domain::FieldSpec* reviewed =
      domain::find_field(domain::FieldScope::kStage, "terms_reviewed");
  CC_CHECK(enterprise != nullptr && reviewed != nullptr);
  for (ChecklistItem& item : *items) {
    if (item.kind != ChecklistItemKind::kAction ||
        checklist_evidence_kind(item.name) != EvidenceKind::kRegistry ||
        item.state == ChecklistItemState::kWaived) {
      continue;
    }
    const bool needs_agreement = item.name == "use_enterprise_tool";
    Json tools = Json::array();
    std::string shortfalls;
    auto fall_short = [&](size_t stage, const std::string& what) {
      shortfalls += (shortfalls.empty() ? "" : "; ") + ("pipeline[" + std::to_string(stage) + "]") +
                    (declaration.pipeline[stage].label().empty()
                         ? ""
                         : " (" + declaration.pipeline[stage].label() + ")") +
                    ": " + what;
    };
    for (size_t i = 0; i < declaration.pipeline.size(); ++i) {
      const domain::Stage& stage = declaration.pipeline[i];
      const domain::Tool* tool = stage.tool.empty() ? nullptr : registry.find(stage.tool);
      if (tool == nullptr) {
        fall_short(i, stage.tool.empty() ? "no tool from the registry, so no review on file"
                                         : "tool '" + stage.tool + "' is not in the registry");
        continue;
      }
      if (std::string stale = domain::stale_review(*tool, period); !stale.empty()) {
        fall_short(i, "tool '" + tool->id + "' counts as not reviewed: " + stale);
      } else if (tool->scalars[reviewed->slot] != domain::kYes) {
        fall_short(i, "the registry does not say tool '" + tool->id + "' had its terms reviewed");
      } else if (needs_agreement && tool->scalars[enterprise->slot] != domain::kYes) {
        fall_short(i,
                   "the registry does not say tool '" + tool->id + "' has an enterprise agreement");
      } else {
        tools.push_back({{"id", tool->id}, {"reviewed_on", tool->reviewed_on}});
      }
    }
    if (declaration.pipeline.empty()) {
      shortfalls = "the declaration names no pipeline, so no tool review is on file";
    }
    if (shortfalls.empty()) {
      item.state = ChecklistItemState::kMet;
      item.evidence_json = Json({{"tools", tools}}).dump();
      item.note.clear();
    } else {
      item.state = ChecklistItemState::kOpen;
      item.evidence_json.clear();
      item.note = shortfalls;
    }
    item.decided_by = 0;
    item.decided_at.clear();
  }
}

bool disclosure_unconfirmed(const std::vector<domain::ChecklistItem>& items) {
  return std::any_of(items.begin(), items.end(), [](const domain::ChecklistItem& item) {
    if (item.name != "audience_disclosure" || item.state != domain::ChecklistItemState::kMet) {
      return false;
    }
    Json evidence = Json::parse(item.evidence_json, nullptr, false);
    return !evidence.is_object() || !evidence.contains("confirmation");
  });
}

}  // namespace clearcut::clearance
