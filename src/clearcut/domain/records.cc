#include "clearcut/domain/account.h"
#include "clearcut/domain/asset.h"
#include "clearcut/domain/attachment.h"
#include "clearcut/domain/checklist.h"
#include "clearcut/domain/notification.h"
#include "clearcut/domain/scan_job.h"
#include "clearcut/domain/use_case.h"

namespace clearcut::domain {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> parse_name(std::string_view name, const std::string_view (&names)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) {
      return static_cast<Enum>(i);
    }
  }
  return std::nullopt;
}

constexpr std::string_view kRoleNames[] = {"partner", "contact", "legal"};
constexpr std::string_view kStateNames[] = {"draft",    "submitted", "notified", "escalated",
                                            "approved", "rejected",  "withdrawn"};
constexpr std::string_view kEventKindNames[] = {
    "created",   "submitted", "edited",   "withdrawn", "acknowledged", "changes_requested",
    "escalated", "rejected",  "approved", "retriaged", "suspended"};
constexpr std::string_view kOutcomeNames[] = {"notify", "escalate", "written_approval"};
constexpr std::string_view kConsentKindNames[] = {"replica_creation", "replica_use", "alteration"};
constexpr std::string_view kAssetStatusNames[] = {"provisional", "cleared", "rejected"};
constexpr std::string_view kAttachmentParentNames[] = {"use_case", "consent", "approval", "tool"};
constexpr std::string_view kScanJobStateNames[] = {"queued", "running", "finished", "error"};
constexpr std::string_view kChecklistItemKindNames[] = {"action", "question"};
constexpr std::string_view kChecklistItemStateNames[] = {"open", "met", "waived"};

}  // namespace

std::string_view role_name(Role role) {
  return kRoleNames[static_cast<int>(role)];
}
std::optional<Role> parse_role(std::string_view name) {
  return parse_name<Role>(name, kRoleNames);
}

std::string_view use_case_state_name(UseCaseState state) {
  return kStateNames[static_cast<int>(state)];
}
std::optional<UseCaseState> parse_use_case_state(std::string_view name) {
  return parse_name<UseCaseState>(name, kStateNames);
}
bool is_open(UseCaseState state) {
  return state == UseCaseState::kSubmitted || state == UseCaseState::kNotified ||
         state == UseCaseState::kEscalated;
}

std::string_view use_case_outcome_text(const std::optional<Outcome>& outcome) {
  return outcome ? outcome_name(*outcome) : std::string_view();
}
std::optional<std::optional<Outcome>> parse_use_case_outcome(std::string_view text) {
  if (text.empty()) {
    return std::optional<Outcome>();
  }
  std::optional<Outcome> outcome = parse_outcome(text);
  if (!outcome) {
    return std::nullopt;
  }
  return outcome;
}

std::string_view use_case_event_kind_name(UseCaseEventKind kind) {
  return kEventKindNames[static_cast<int>(kind)];
}
std::optional<UseCaseEventKind> parse_use_case_event_kind(std::string_view name) {
  return parse_name<UseCaseEventKind>(name, kEventKindNames);
}

std::string_view outcome_name(Outcome outcome) {
  return kOutcomeNames[static_cast<int>(outcome)];
}
std::optional<Outcome> parse_outcome(std::string_view name) {
  return parse_name<Outcome>(name, kOutcomeNames);
}

std::string_view consent_kind_name(ConsentKind kind) {
  return kConsentKindNames[static_cast<int>(kind)];
}
std::optional<ConsentKind> parse_consent_kind(std::string_view name) {
  return parse_name<ConsentKind>(name, kConsentKindNames);
}

std::string_view asset_status_name(AssetStatus status) {
  return kAssetStatusNames[static_cast<int>(status)];
}
std::optional<AssetStatus> parse_asset_status(std::string_view name) {
  return parse_name<AssetStatus>(name, kAssetStatusNames);
}

std::string_view attachment_parent_name(AttachmentParent parent) {
  return kAttachmentParentNames[static_cast<int>(parent)];
}
std::optional<AttachmentParent> parse_attachment_parent(std::string_view name) {
  return parse_name<AttachmentParent>(name, kAttachmentParentNames);
}

std::string_view scan_job_state_name(ScanJobState state) {
  return kScanJobStateNames[static_cast<int>(state)];
}
std::optional<ScanJobState> parse_scan_job_state(std::string_view name) {
  return parse_name<ScanJobState>(name, kScanJobStateNames);
}

std::string_view checklist_item_kind_name(ChecklistItemKind kind) {
  return kChecklistItemKindNames[static_cast<int>(kind)];
}
std::optional<ChecklistItemKind> parse_checklist_item_kind(std::string_view name) {
  return parse_name<ChecklistItemKind>(name, kChecklistItemKindNames);
}

std::string_view checklist_item_state_name(ChecklistItemState state) {
  return kChecklistItemStateNames[static_cast<int>(state)];
}
std::optional<ChecklistItemState> parse_checklist_item_state(std::string_view name) {
  return parse_name<ChecklistItemState>(name, kChecklistItemStateNames);
}

constexpr std::string_view kNotificationChannelNames[] = {"email", "webhook"};
constexpr std::string_view kNotificationStateNames[] = {"pending", "sending", "sent", "dead"};
constexpr std::string_view kDeliveryNames[] = {"immediate", "digest", "off"};

std::string_view notification_channel_name(NotificationChannel channel) {
  return kNotificationChannelNames[static_cast<int>(channel)];
}
std::optional<NotificationChannel> parse_notification_channel(std::string_view name) {
  return parse_name<NotificationChannel>(name, kNotificationChannelNames);
}
std::string_view notification_state_name(NotificationState state) {
  return kNotificationStateNames[static_cast<int>(state)];
}
std::optional<NotificationState> parse_notification_state(std::string_view name) {
  return parse_name<NotificationState>(name, kNotificationStateNames);
}

std::string_view delivery_name(Delivery delivery) {
  return kDeliveryNames[static_cast<int>(delivery)];
}
std::optional<Delivery> parse_delivery(std::string_view name) {
  return parse_name<Delivery>(name, kDeliveryNames);
}

std::string checklist_rules_text(const std::vector<std::string>& rules) {
  std::string out;
  for (const std::string& rule : rules) {
    out += out.empty() ? "" : " ";
    out += rule;
  }
  return out;
}
std::optional<std::vector<std::string>> parse_checklist_rules(std::string_view text) {
  std::vector<std::string> rules;
  while (!text.empty()) {
    size_t space = text.find(' ');
    std::string_view rule = text.substr(0, space);
    if (rule.empty()) {
      return std::nullopt;
    }
    rules.emplace_back(rule);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  }
  return rules;
}

}  // namespace clearcut::domain
