#include "clearcut/clearance/notice_sweep.h"

#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

#include "clearcut/clearance/waiting.h"
#include "clearcut/clearance/working_days.h"
#include "clearcut/domain/validation.h"

namespace clearcut::clearance {
namespace {

using nlohmann::json;
using std::chrono::system_clock;

// "2026-12-07" of a UTC instant.
std::string utc_date(system_clock::time_point t) {
  std::time_t seconds = system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[16];
  std::strftime(text, sizeof(text), "%Y-%m-%d", &tm);
  return text;
}

// Whether `expires_at` lies in (now, now + days].
bool expires_within(const std::string& expires_at, system_clock::time_point now, int days) {
  auto expiry = domain::parse_rfc3339_utc(expires_at);
  return expiry.has_value() && *expiry > now && *expiry <= now + std::chrono::hours(24) * days;
}

}  // namespace

system_clock::time_point NoticeSweep::digest_cutoff(system_clock::time_point now, int digest_hour) {
  auto day = std::chrono::floor<std::chrono::days>(now);
  auto cutoff = day + std::chrono::hours(digest_hour);
  return cutoff <= now ? cutoff : cutoff - std::chrono::days(1);
}

base::Result<int> NoticeSweep::run() {
  int expiring = CC_TRY(send_expiry_notices());
  int reminders = CC_TRY(send_task_reminders());
  int digests = CC_TRY(send_digests());
  return expiring + reminders + digests;
}

base::Result<bool> NoticeSweep::notice_once(const std::string& key, const std::string& action,
                                            const std::string& subject_type, int64_t subject_id,
                                            const std::string& payload_json) {
  auto tx = CC_TRY(store_.begin());
  std::string now = format_rfc3339(clock_.now());
  if (!CC_TRY(tx->outbox().claim_notice(key, now))) {
    return false;
  }
  audit::AuditEvent event{
      0, now, "system", action, subject_type, std::to_string(subject_id), payload_json};
  CC_TRY(audit_.append(*tx, std::move(event)));
  CC_TRY(tx->commit());
  return true;
}

base::Result<int> NoticeSweep::send_expiry_notices() {
  if (options_.expiry_notice_days <= 0) {
    return 0;
  }
  const auto now = clock_.now();
  std::vector<domain::Approval> approvals;
  std::vector<domain::Consent> consents;
  std::vector<domain::Approval> current;
  {
    auto tx = CC_TRY(store_.begin());
    approvals = CC_TRY(tx->approvals().list_expiring_approvals());
    for (const domain::Approval& a : approvals) {
      if (!expires_within(a.expires_at, now, options_.expiry_notice_days)) {
        continue;
      }
      domain::UseCase use_case = CC_TRY(tx->use_cases().get(a.use_case_id));
      if (use_case.state == domain::UseCaseState::kApproved) {
        current.push_back(a);
      }
    }
    consents = CC_TRY(tx->approvals().list_consents_to_lapse());
  }
  int sent = 0;
  for (const domain::Approval& a : current) {
    std::string key = "approval.expiring." + std::to_string(a.id) + "." + a.expires_at;
    json payload = {{"notice_key", key},
                    {"use_case_id", a.use_case_id},
                    {"expires_at", a.expires_at},
                    {"days", options_.expiry_notice_days}};
    sent += CC_TRY(notice_once(key, "approval.expiring", "approval", a.id, payload.dump())) ? 1 : 0;
  }
  for (const domain::Consent& c : consents) {
    if (!expires_within(c.expires_at, now, options_.expiry_notice_days)) {
      continue;
    }
    std::string key = "consent.expiring." + std::to_string(c.id) + "." + c.expires_at;
    json payload = {{"notice_key", key},
                    {"performer", c.performer},
                    {"expires_at", c.expires_at},
                    {"days", options_.expiry_notice_days}};
    sent += CC_TRY(notice_once(key, "consent.expiring", "consent", c.id, payload.dump())) ? 1 : 0;
  }
  return sent;
}

base::Result<int> NoticeSweep::send_task_reminders() {
  struct Reminder {
    domain::UseCase use_case;
    std::string action;  // use_case.due_soon or use_case.overdue
    std::string since;
    std::string due_at;
  };
  std::vector<Reminder> reminders;
  const auto now = clock_.now();
  {
    auto tx = CC_TRY(store_.begin());
    std::map<int64_t, int> answer_days;
    std::vector<int64_t> production_ids;
    for (const domain::Production& production : CC_TRY(tx->accounts().list_productions())) {
      answer_days[production.id] = production.answer_within_days;
      production_ids.push_back(production.id);
    }
    CC_TRY(for_each_waiting(
        *tx, production_ids, {domain::UseCaseState::kNotified, domain::UseCaseState::kEscalated},
        [&](const domain::UseCase& use_case, const Waiting& waiting) -> base::Status {
          auto since = domain::parse_rfc3339_utc(waiting.since);
          if (!since) {
            return {};
          }
          const int days = answer_days[use_case.production_id];
          system_clock::time_point due = add_working_days(*since, days);
          if (now > due) {
            reminders.push_back({use_case, "use_case.overdue", waiting.since, format_rfc3339(due)});
          } else if (days > 1 && now >= add_working_days(*since, days - 1)) {
            reminders.push_back(
                {use_case, "use_case.due_soon", waiting.since, format_rfc3339(due)});
          }
          return {};
        }));
  }
  int sent = 0;
  for (const Reminder& r : reminders) {
    std::string key = r.action + "." + std::to_string(r.use_case.id) + "." + r.since;
    json payload = {{"notice_key", key},
                    {"state", domain::use_case_state_name(r.use_case.state)},
                    {"since", r.since},
                    {"due_at", r.due_at},
                    {"assignee_id", r.use_case.assignee_id}};
    sent += CC_TRY(notice_once(key, r.action, "use_case", r.use_case.id, payload.dump())) ? 1 : 0;
  }
  return sent;
}

base::Result<int> NoticeSweep::send_digests() {
  const auto now = clock_.now();
  const auto cutoff_time = digest_cutoff(now, options_.digest_hour);
  const std::string cutoff = format_rfc3339(cutoff_time);
  std::vector<int64_t> users;
  {
    auto tx = CC_TRY(store_.begin());
    users = CC_TRY(tx->outbox().users_with_digest_items(cutoff));
  }
  int sent = 0;
  for (int64_t user_id : users) {
    auto tx = CC_TRY(store_.begin());
    std::vector<domain::DigestItem> items = CC_TRY(tx->outbox().take_digest_items(user_id, cutoff));
    if (items.empty()) {
      continue;  // another server took them
    }
    domain::User user = CC_TRY(tx->accounts().get_user(user_id));
    if (user.disabled) {
      CC_TRY(tx->commit());  // a disabled account hears nothing: its items go
      continue;
    }
    json list = json::array();
    for (const domain::DigestItem& item : items) {
      json payload = json::parse(item.payload_json, nullptr, false);
      if (!payload.is_object()) {
        continue;
      }
      list.push_back({{"event", item.event_action},
                      {"time", payload.value("time", json(item.created_at))},
                      {"production", payload.value("production", json(nullptr))},
                      {"what", payload.value("what", json(""))},
                      {"todo", payload.value("todo", json(""))},
                      {"path", payload.value("path", json("/#/"))}});
    }
    std::string date = utc_date(cutoff_time);
    size_t count = list.size();
    json body = {
        {"event", "digest"},
        {"what", "Your clearcut digest for " + date + ": " + std::to_string(count) +
                     (count == 1 ? " notification." : " notifications.")},
        {"todo", "Each one below says what to do and links to its page."},
        {"path", "/#/"},
        {"time", format_rfc3339(now)},
        {"items", list},
        {"footer", "clearcut sent this digest because your notification settings ask for one."}};
    domain::Notification n;
    n.idempotency_key = "digest.user" + std::to_string(user_id) + "." + date;
    n.event_action = "digest";
    n.channel = domain::NotificationChannel::kEmail;
    n.recipient_user_id = user_id;
    n.address = user.email;
    n.payload_json = body.dump();
    n.created_at = n.next_attempt_at = format_rfc3339(now);
    if (!CC_TRY(tx->outbox().enqueue(n))) {
      continue;  // today's digest went already: these wait for tomorrow's (tx rolls back)
    }
    CC_TRY(tx->commit());
    ++sent;
  }
  return sent;
}

}  // namespace clearcut::clearance
