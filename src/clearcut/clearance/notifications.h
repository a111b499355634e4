#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/audit_event.h"
#include "clearcut/base/result.h"
#include "clearcut/domain/notification.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Who an event concerns, before the production's members are looked up.
enum class Audience : uint8_t {
  kContacts,       // the production's studio contacts
  kLegal,          // the production's legal
  kRequester,      // the partner who declared the use case
  kMentioned,      // members @mentioned in a comment (Plan::mentions)
  kScanSubmitter,  // who submitted the delivery scan
  kAssignee,       // the member a use case was assigned to (use_case.assigned)
};

// What an audit event causes: which people hear of it. Every notifying event also goes to
// the production's enabled webhooks.
struct NotificationPlan {
  std::vector<Audience> audiences;
  std::vector<std::string> mentions;  // lower-cased names, for kMentioned
};

// The notifications `event` causes, from its action and payload alone (pure): none for most
// events. use_case.submitted: contacts; use_case.escalated: contacts and legal;
// use_case.changes_requested, .approved, .rejected: the requester; comment.added: the members
// mentioned; consent.revoked, .expired, .expiring: contacts and legal; approval.expiring:
// contacts, legal and the requester; scan.finished in error or not passing: the scan's
// submitter; use_case.assigned to someone: the assignee; use_case.due_soon and .overdue: the
// assignee, else the contacts (notified) or legal (escalated).
std::optional<NotificationPlan> plan_notifications(const audit::AuditEvent& event);

// The names @mentioned in `text`, lower-cased, each once, in order: "@alice" and
// "@alice@studio.example" (a name is what precedes a member's e-mail's '@', or the whole
// address). An '@' inside a word (an e-mail address written out) mentions no one.
std::vector<std::string> find_mentions(std::string_view text);

// What a person chooses how to hear of by e-mail (domain::NotificationPreference::topic):
// immediately (the default), in a daily digest, or not at all. Webhooks hear of everything.
struct NotificationTopic {
  std::string_view name;
  std::string_view description;  // what it covers, as the settings page says it
};
inline constexpr NotificationTopic kNotificationTopics[] = {
    {"submissions", "A partner submits a use case on a production where you are a contact"},
    {"escalations", "A use case is escalated to legal"},
    {"decisions", "Your use case is approved, rejected or sent back for changes"},
    {"mentions", "Someone @mentions you in a comment"},
    {"consents", "A performer's consent is revoked or has expired"},
    {"expiring", "An approval or a consent expires soon"},
    {"scans", "A delivery scan you submitted fails or cannot finish"},
    {"tasks", "A case is assigned to you, or is coming due or overdue"},
};

// The topic of an audit action that notifies people ("" for any other).
std::string_view notification_topic(std::string_view action);
bool is_notification_topic(std::string_view name);

// "ev<sequence>.<channel>.<user|webhook><id>": unique per (event, recipient, channel), so the
// same event's notification is stored once however often it is enqueued.
std::string idempotency_key(uint64_t sequence, domain::NotificationChannel channel, int64_t target);

// Writes the notifications that the event at `sequence` causes into the outbox, in `tx` (the
// transaction that appended it): one e-mail per recipient (members of the event's production
// only, never the actor, never a disabled account; held for the recipient's digest, or left
// out, when their preference for the event's topic says so; a recipient's delegate, while the
// delegation holds at the event's time and the delegate is a member too, is a recipient as
// well) and one delivery per enabled webhook, each carrying the payload its channel renders:
//   {"event", "production": {id, code, title}, "subject": {type, id}, "use_case": {id,
//    summary} | null, "actor", "time", "what" (what happened), "todo" (what the reader must
//    do), "path" (the web UI page, to append to the public base URL)}
base::Status enqueue_notifications(store::Transaction& tx, const audit::AuditEvent& event,
                                   uint64_t sequence);

}  // namespace clearcut::clearance
