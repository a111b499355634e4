#include "clearcut/clearance/notifications.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "clearcut/base/text.h"
#include "clearcut/domain/validation.h"

namespace clearcut::clearance {
namespace {

using domain::Notification;
using domain::NotificationChannel;
using domain::Role;
using nlohmann::json;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '+';
}

// The integer a subject id or payload field holds; 0 when it holds none.
int64_t to_id(const std::string& text) {
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || value > (INT64_MAX - 9) / 10) {
      return 0;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

// What the recipient reads, resolved in the event's transaction.
struct Facts {
  int64_t production_id = 0;
  int64_t requester = 0;       // the use case's declarer
  int64_t scan_submitter = 0;  // the scan's submitter
  int64_t assignee = 0;        // who a use case was assigned to
  int64_t actor_id = 0;        // 0: not a user (the system, a worker)
  json use_case = nullptr;
  std::string what;
  std::string todo;
  std::string path;
};

std::string in_quotes(const std::string& text, size_t limit = 200) {
  return "\"" + (text.size() > limit ? text.substr(0, limit) + "..." : text) + "\"";
}

base::Result<Facts> gather(store::Transaction& tx, const audit::AuditEvent& event,
                           const json& payload) {
  Facts facts;
  std::string actor = event.actor;
  if (actor.starts_with("user:")) {
    facts.actor_id = to_id(actor.substr(5));
    if (facts.actor_id != 0) {
      actor = CC_TRY(tx.accounts().get_user(facts.actor_id)).name;
    }
  }
  int64_t subject = to_id(event.subject_id);
  const std::string& action = event.action;
  if (event.subject_type == "use_case") {
    domain::UseCase use_case = CC_TRY(tx.use_cases().get(subject));
    facts.production_id = use_case.production_id;
    facts.requester = use_case.created_by;
    facts.use_case = {{"id", use_case.id}, {"summary", use_case.summary}};
    facts.path = "/#/u/" + std::to_string(use_case.id);
    std::string named =
        "use case #" + std::to_string(use_case.id) + " " + in_quotes(use_case.summary);
    std::string note = payload.contains("note") && payload["note"].is_string()
                           ? " Their note: " + in_quotes(payload["note"].get<std::string>(), 1000)
                           : "";
    if (action == "use_case.submitted") {
      std::string outcome = payload.value("outcome", "");
      facts.what = actor + " submitted " + named + "; the policy triaged it " + outcome + ".";
      facts.todo = outcome == "notify"
                       ? "Acknowledge it, or ask for changes, on its page."
                       : "Review it: escalate it to legal, ask for changes or acknowledge it.";
    } else if (action == "use_case.escalated") {
      facts.what = actor + " escalated " + named + " to legal." + note;
      facts.todo = "Legal: go through its checklist and grant or refuse written approval.";
    } else if (action == "use_case.changes_requested") {
      facts.what = actor + " asked for changes to your " + named + "." + note;
      facts.todo = "Edit the declaration and submit it again.";
    } else if (action == "use_case.approved") {
      facts.what = actor + " approved your " + named + "." + note;
      facts.todo =
          "You may go ahead within the approval's scope; register each output "
          "(clearcut stamp) so that it is cleared for delivery.";
    } else if (action == "use_case.rejected") {
      facts.what = actor + " rejected your " + named + "." + note;
      facts.todo =
          "Do not use generative AI for this; read the reason and declare a revised "
          "use if it helps.";
    } else if (action == "use_case.assigned" || action == "use_case.due_soon" ||
               action == "use_case.overdue") {
      facts.assignee = payload.value("assignee_id", int64_t{0});
      std::string due = payload.value("due_at", "");
      facts.what =
          action == "use_case.assigned" ? actor + " assigned " + named + " to you."
          : action == "use_case.due_soon"
              ? "The studio's answer to " + named + " is due by " + due + "."
              : "The studio's answer to " + named + " is overdue: it was due by " + due + ".";
      facts.todo = payload.value("state", "") == "escalated"
                       ? "Go through its checklist and grant or refuse written approval."
                       : "Acknowledge it, escalate it to legal or ask for changes.";
    } else if (action == "comment.added") {
      facts.what = actor + " mentioned you in a comment on " + named + ": " +
                   in_quotes(payload.value("body", ""), 1000);
      facts.todo = "Read the comment and answer on the use case's page.";
    }
  } else if (event.subject_type == "approval") {
    domain::Approval approval = CC_TRY(tx.approvals().get_approval(subject));
    domain::UseCase use_case = CC_TRY(tx.use_cases().get(approval.use_case_id));
    facts.production_id = use_case.production_id;
    facts.requester = use_case.created_by;
    facts.use_case = {{"id", use_case.id}, {"summary", use_case.summary}};
    facts.path = "/#/u/" + std::to_string(use_case.id);
    facts.what = "The written approval of use case #" + std::to_string(use_case.id) + " " +
                 in_quotes(use_case.summary) + " expires on " + approval.expires_at + ".";
    facts.todo =
        "From then on its outputs are no longer cleared and fail delivery scans. If the use "
        "goes on, legal must renew the approval before that date.";
  } else if (event.subject_type == "consent") {
    domain::Consent consent = CC_TRY(tx.approvals().get_consent(subject));
    facts.production_id = consent.production_id;
    facts.path = "/#/p/" + std::to_string(consent.production_id);
    std::string named = "consent #" + std::to_string(consent.id) + " (" + consent.performer + ")";
    if (event.action == "consent.expiring") {
      facts.what = "The performer's " + named + " expires on " + consent.expires_at + ".";
      facts.todo =
          "When it expires, approved use cases that rely on it are suspended and their outputs "
          "provisional again: record renewed consent before that date if the use goes on.";
    } else {
      facts.what = event.action == "consent.expired"
                       ? "Consent #" + std::to_string(consent.id) + " (" + consent.performer +
                             ") expired on " + consent.expires_at + "."
                       : actor + " revoked " + named + ".";
      facts.todo =
          "Approved use cases that relied on it are suspended and their outputs "
          "provisional again: review them and record new consent where it is needed.";
    }
  } else if (event.subject_type == "scan_job") {
    domain::ScanJob job = CC_TRY(tx.scan_jobs().get(subject));
    facts.production_id = job.production_id;
    facts.scan_submitter = job.submitted_by;
    facts.path = "/#/scan/" + std::to_string(job.id);
    bool error = payload.value("state", "") == "error";
    facts.what = "Delivery scan #" + std::to_string(job.id) +
                 (error ? " could not finish: " + payload.value("error", "")
                        : " failed: the deliverable holds AI material that is not cleared.");
    facts.todo = error ? "Check the scan's paths and submit it again."
                       : "Open the report: clear or remove the flagged material before delivery.";
  }
  return facts;
}

// How `user_id` chose to hear of `action`'s topic (immediately when they never chose).
base::Result<domain::Delivery> delivery_for(store::Transaction& tx, int64_t user_id,
                                            std::string_view action) {
  std::string_view topic = notification_topic(action);
  for (const domain::NotificationPreference& p : CC_TRY(tx.outbox().list_preferences(user_id))) {
    if (p.topic == topic) {
      return p.delivery;
    }
  }
  return domain::Delivery::kImmediate;
}

bool is_member(const std::vector<domain::Membership>& members, int64_t user_id) {
  return std::any_of(members.begin(), members.end(),
                     [&](const domain::Membership& m) { return m.user_id == user_id; });
}

// Adds the delegate of each recipient whose delegation holds at `time` (inbox_service.h), when
// the delegate is a member of the production as well: a delegate borrows no access.
base::Status add_delegates(store::Transaction& tx, const std::string& time,
                           const std::vector<domain::Membership>& members,
                           std::set<int64_t>* recipients) {
  std::optional<std::chrono::system_clock::time_point> at = domain::parse_rfc3339_utc(time);
  std::set<int64_t> delegates;
  for (int64_t user_id : *recipients) {
    if (user_id == 0 || !at || !is_member(members, user_id)) {
      continue;
    }
    std::optional<domain::Delegation> d = CC_TRY(tx.accounts().find_delegation(user_id));
    if (!d) {
      continue;
    }
    std::optional<std::chrono::system_clock::time_point> until =
        domain::parse_rfc3339_utc(d->until);
    if (until && *at < *until && is_member(members, d->delegate_id)) {
      delegates.insert(d->delegate_id);
    }
  }
  recipients->insert(delegates.begin(), delegates.end());
  return {};
}

}  // namespace

std::vector<std::string> find_mentions(std::string_view text) {
  std::vector<std::string> names;
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    if (at > 0 && is_name_char(text[at - 1])) {
      continue;  // inside an address or a word
    }
    size_t end = at + 1;
    while (end < text.size() && (is_name_char(text[end]) || text[end] == '@')) {
      ++end;
    }
    std::string_view name = text.substr(at + 1, end - at - 1);
    while (!name.empty() && (name.back() == '.' || name.back() == '-' || name.back() == '@')) {
      name.remove_suffix(1);
    }
    if (name.empty() || name.front() == '@') {
      continue;
    }
    std::string lowered = base::ascii_lower(std::string(name));
    if (std::find(names.begin(), names.end(), lowered) == names.end()) {
      names.push_back(lowered);
    }
    at = end - 1;
  }
  return names;
}

std::optional<NotificationPlan> plan_notifications(const audit::AuditEvent& event) {
  const std::string& a = event.action;
  NotificationPlan plan;
  if (a == "use_case.submitted") {
    plan.audiences = {Audience::kContacts};
  } else if (a == "use_case.escalated") {
    plan.audiences = {Audience::kContacts, Audience::kLegal};
  } else if (a == "use_case.changes_requested" || a == "use_case.approved" ||
             a == "use_case.rejected") {
    plan.audiences = {Audience::kRequester};
  } else if (a == "consent.revoked" || a == "consent.expired" || a == "consent.expiring") {
    plan.audiences = {Audience::kContacts, Audience::kLegal};
  } else if (a == "approval.expiring") {
    plan.audiences = {Audience::kContacts, Audience::kLegal, Audience::kRequester};
  } else if (a == "comment.added" || a == "scan.finished" || a == "use_case.assigned" ||
             a == "use_case.due_soon" || a == "use_case.overdue") {
    json payload = json::parse(event.payload_json, nullptr, false);
    if (!payload.is_object()) {
      return std::nullopt;
    }
    const json& assignee = payload.contains("assignee_id") ? payload["assignee_id"] : json();
    const bool assigned = assignee.is_number_integer() && assignee.get<int64_t>() != 0;
    if (a == "use_case.assigned") {
      if (!assigned) {
        return std::nullopt;  // unassigned: nobody to tell
      }
      plan.audiences = {Audience::kAssignee};
    } else if (a == "use_case.due_soon" || a == "use_case.overdue") {
      // The assignee, else those the use case waits on.
      plan.audiences = {assigned                                    ? Audience::kAssignee
                        : payload.value("state", "") == "escalated" ? Audience::kLegal
                                                                    : Audience::kContacts};
    } else if (a == "comment.added") {
      const json& body = payload.contains("body") ? payload["body"] : json();
      plan.mentions = find_mentions(body.is_string() ? body.get<std::string>() : "");
      if (plan.mentions.empty()) {
        return std::nullopt;
      }
      plan.audiences = {Audience::kMentioned};
    } else {
      bool error = payload.value("state", "") == "error";
      const json& passes = payload.contains("passes") ? payload["passes"] : json(true);
      if (!error && !(passes.is_boolean() && !passes.get<bool>())) {
        return std::nullopt;
      }
      plan.audiences = {Audience::kScanSubmitter};
    }
  } else {
    return std::nullopt;
  }
  return plan;
}

std::string_view notification_topic(std::string_view action) {
  struct Entry {
    std::string_view action;
    std::string_view topic;
  };
  static constexpr Entry kEntries[] = {
      {"use_case.submitted", "submissions"},
      {"use_case.escalated", "escalations"},
      {"use_case.changes_requested", "decisions"},
      {"use_case.approved", "decisions"},
      {"use_case.rejected", "decisions"},
      {"comment.added", "mentions"},
      {"consent.revoked", "consents"},
      {"consent.expired", "consents"},
      {"consent.expiring", "expiring"},
      {"approval.expiring", "expiring"},
      {"scan.finished", "scans"},
      {"use_case.assigned", "tasks"},
      {"use_case.due_soon", "tasks"},
      {"use_case.overdue", "tasks"},
  };
  for (const Entry& e : kEntries) {
    if (e.action == action) {
      return e.topic;
    }
  }
  return "";
}

bool is_notification_topic(std::string_view name) {
  return std::any_of(std::begin(kNotificationTopics), std::end(kNotificationTopics),
                     [&](const NotificationTopic& t) { return t.name == name; });
}

std::string idempotency_key(uint64_t sequence, NotificationChannel channel, int64_t target) {
  return "ev" + std::to_string(sequence) + "." +
         std::string(domain::notification_channel_name(channel)) + "." +
         (channel == NotificationChannel::kEmail ? "user" : "webhook") + std::to_string(target);
}

base::Status enqueue_notifications(store::Transaction& tx, const audit::AuditEvent& event,
                                   uint64_t sequence) {
  std::optional<NotificationPlan> plan = plan_notifications(event);
  if (!plan) {
    return {};
  }
  json payload = json::parse(event.payload_json, nullptr, false);
  Facts facts = CC_TRY(gather(tx, event, payload));
  if (facts.production_id == 0) {
    return {};
  }
  domain::Production production = CC_TRY(tx.accounts().get_production(facts.production_id));
  std::vector<domain::Membership> members =
      CC_TRY(tx.accounts().list_members_of_production(facts.production_id));
  std::set<int64_t> recipients;
  for (Audience audience : plan->audiences) {
    if (audience == Audience::kRequester) {
      recipients.insert(facts.requester);
    } else if (audience == Audience::kScanSubmitter) {
      recipients.insert(facts.scan_submitter);
    } else if (audience == Audience::kAssignee) {
      recipients.insert(facts.assignee);
    }
  }
  for (const domain::Membership& m : members) {
    for (Audience audience : plan->audiences) {
      if ((audience == Audience::kContacts && m.role == Role::kContact) ||
          (audience == Audience::kLegal && m.role == Role::kLegal)) {
        recipients.insert(m.user_id);
      } else if (audience == Audience::kMentioned) {
        domain::User user = CC_TRY(tx.accounts().get_user(m.user_id));
        std::string email = base::ascii_lower(user.email);
        std::string name = email.substr(0, email.find('@'));
        if (std::find(plan->mentions.begin(), plan->mentions.end(), name) != plan->mentions.end() ||
            std::find(plan->mentions.begin(), plan->mentions.end(), email) !=
                plan->mentions.end()) {
          recipients.insert(m.user_id);
        }
      }
    }
  }
  CC_TRY(add_delegates(tx, event.time, members, &recipients));
  json body = {{"event", event.action},
               {"production",
                {{"id", production.id}, {"code", production.code}, {"title", production.title}}},
               {"subject", {{"type", event.subject_type}, {"id", event.subject_id}}},
               {"use_case", facts.use_case},
               {"actor", event.actor},
               {"time", event.time},
               {"what", facts.what},
               {"todo", facts.todo},
               {"path", facts.path}};
  if (facts.actor_id != 0) {
    body["actor"] = CC_TRY(tx.accounts().get_user(facts.actor_id)).name;
  }
  Notification n;
  n.event_sequence = static_cast<int64_t>(sequence);
  n.event_action = event.action;
  n.production_id = production.id;
  n.payload_json = body.dump();
  n.created_at = n.next_attempt_at = event.time;
  for (int64_t user_id : recipients) {
    bool member = is_member(members, user_id);
    // Every read path is per production: someone who left it hears nothing more of it.
    if (user_id == 0 || user_id == facts.actor_id || !member) {
      continue;
    }
    domain::User user = CC_TRY(tx.accounts().get_user(user_id));
    if (user.disabled) {
      continue;
    }
    n.channel = NotificationChannel::kEmail;
    n.recipient_user_id = user_id;
    n.webhook_id = 0;
    n.address = user.email;
    n.idempotency_key = idempotency_key(sequence, n.channel, user_id);
    domain::Delivery delivery = CC_TRY(delivery_for(tx, user_id, event.action));
    if (delivery == domain::Delivery::kOff) {
      continue;
    }
    if (delivery == domain::Delivery::kDigest) {
      domain::DigestItem item{0,
                              n.idempotency_key,
                              user_id,
                              n.event_sequence,
                              n.event_action,
                              n.production_id,
                              n.payload_json,
                              n.created_at};
      CC_TRY(tx.outbox().hold_for_digest(item));
      continue;
    }
    CC_TRY(tx.outbox().enqueue(n));
  }
  for (const domain::Webhook& hook : CC_TRY(tx.outbox().list_webhooks(production.id))) {
    if (hook.disabled) {
      continue;
    }
    n.channel = NotificationChannel::kWebhook;
    n.recipient_user_id = 0;
    n.webhook_id = hook.id;
    n.address = hook.url;
    n.idempotency_key = idempotency_key(sequence, n.channel, hook.id);
    CC_TRY(tx.outbox().enqueue(n));
  }
  return {};
}

}  // namespace clearcut::clearance
