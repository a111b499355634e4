#include "clearcut/store/sql/outbox_rows.h"

#include <algorithm>
#include <string>

#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using base::Status;

constexpr auto kOutbox = table<Notification>(
    "outbox", key<&Notification::id>("id"),
    field<&Notification::idempotency_key>("idempotency_key"),
    field<&Notification::event_sequence>("event_sequence"),
    field<&Notification::event_action>("event_action"),
    optional_field<&Notification::production_id>("production_id"),
    enum_field<&Notification::channel, domain::notification_channel_name,
               domain::parse_notification_channel>("channel"),
    optional_field<&Notification::recipient_user_id>("recipient_user_id"),
    optional_field<&Notification::webhook_id>("webhook_id"),
    field<&Notification::address>("address"), field<&Notification::payload_json>("payload_json"),
    enum_field<&Notification::state, domain::notification_state_name,
               domain::parse_notification_state>("state"),
    field<&Notification::attempts>("attempts"),
    field<&Notification::next_attempt_at>("next_attempt_at"),
    field<&Notification::lease_owner>("lease_owner"),
    field<&Notification::lease_until>("lease_until"),
    field<&Notification::last_error>("last_error"), field<&Notification::created_at>("created_at"),
    field<&Notification::sent_at>("sent_at"));

constexpr auto kWebhooks = table<Webhook>(
    "webhooks", key<&Webhook::id>("id"), field<&Webhook::production_id>("production_id"),
    field<&Webhook::url>("url"), field<&Webhook::secret>("secret"),
    field<&Webhook::format>("format"), field<&Webhook::disabled>("disabled"),
    optional_field<&Webhook::created_by>("created_by"), field<&Webhook::created_at>("created_at"));

constexpr auto kPreferences = table<NotificationPreference>(
    "notification_preferences", field<&NotificationPreference::user_id>("user_id"),
    field<&NotificationPreference::topic>("topic"),
    enum_field<&NotificationPreference::delivery, domain::delivery_name, domain::parse_delivery>(
        "delivery"),
    field<&NotificationPreference::updated_at>("updated_at"));

constexpr auto kDigestItems = table<DigestItem>(
    "digest_items", key<&DigestItem::id>("id"),
    field<&DigestItem::idempotency_key>("idempotency_key"), field<&DigestItem::user_id>("user_id"),
    field<&DigestItem::event_sequence>("event_sequence"),
    field<&DigestItem::event_action>("event_action"),
    optional_field<&DigestItem::production_id>("production_id"),
    field<&DigestItem::payload_json>("payload_json"), field<&DigestItem::created_at>("created_at"));

std::string not_leased(int64_t id, const std::string& owner) {
  return "notification " + std::to_string(id) + " is not being sent by " + owner;
}

}  // namespace

Result<bool> SqlOutboxRecords::enqueue(const Notification& record) {
  CC_TRY(domain::check_not_empty(record.idempotency_key, "idempotency_key"));
  CC_TRY(domain::check_not_empty(record.event_action, "event_action"));
  CC_TRY(domain::check_not_empty(record.address, "address"));
  CC_TRY(domain::check_time(record.created_at, "created_at"));
  CC_TRY(domain::check_time(record.next_attempt_at, "next_attempt_at"));
  bool email = record.channel == NotificationChannel::kEmail;
  if ((email ? record.recipient_user_id : record.webhook_id) == 0 ||
      (email ? record.webhook_id : record.recipient_user_id) != 0) {
    return base::invalid_argument(
        "an e-mail names its recipient and no webhook, a webhook delivery its webhook and no "
        "recipient");
  }
  // Only what was asked is taken: a new notification is pending and was never tried.
  Notification pending;
  pending.idempotency_key = record.idempotency_key;
  pending.event_sequence = record.event_sequence;
  pending.event_action = record.event_action;
  pending.production_id = record.production_id;
  pending.channel = record.channel;
  pending.recipient_user_id = record.recipient_user_id;
  pending.webhook_id = record.webhook_id;
  pending.address = record.address;
  pending.payload_json = record.payload_json;
  pending.next_attempt_at = record.next_attempt_at;
  pending.created_at = record.created_at;
  SqlRows rows = CC_TRY(
      statements_.run("enqueue notification",
                      kOutbox.insert("ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"),
                      kOutbox.values(pending), {{}, "production, user or webhook not found"}));
  return !rows.empty();
}

Result<Notification> SqlOutboxRecords::get(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get notification", kOutbox.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("notification", id);
  }
  return kOutbox.read(rows[0]);
}

Result<std::vector<Notification>> SqlOutboxRecords::list(const OutboxFilter& filter) {
  CC_TRY(check_limit(filter.limit));
  std::string where = "WHERE id < ?";
  std::vector<SqlValue> params = {page_below(filter.before_id)};
  if (filter.state) {
    where += " AND state = ?";
    params.emplace_back(std::string(domain::notification_state_name(*filter.state)));
  }
  if (filter.webhook_id != 0) {
    where += " AND webhook_id = ?";
    params.emplace_back(filter.webhook_id);
  }
  where += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(int64_t{filter.limit});
  return kOutbox.read_all(
      CC_TRY(statements_.run("list notifications", kOutbox.select(where), params)));
}

Result<std::vector<Notification>> SqlOutboxRecords::claim(const std::string& owner,
                                                          const std::string& now,
                                                          const std::string& lease_until,
                                                          int limit) {
  CC_TRY(domain::check_not_empty(owner, "owner"));
  CC_TRY(domain::check_time(now, "now"));
  CC_TRY(domain::check_time(lease_until, "lease_until"));
  CC_TRY(check_limit(limit));
  // A sending row whose lease ended belongs to a dispatcher that died or stalled: taking it
  // over may deliver it a second time (at least once), never zero times.
  std::string sql =
      "UPDATE outbox SET state = 'sending', lease_owner = ?, lease_until = ?, "
      "attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE (state = 'pending' AND "
      "next_attempt_at <= ?) OR (state = 'sending' AND lease_until < ?) ORDER BY id LIMIT ?" +
      std::string(statements_.dialect().skip_locked) + ") RETURNING " + kOutbox.columns();
  std::vector<Notification> claimed = CC_TRY(kOutbox.read_all(CC_TRY(statements_.run(
      "claim notifications", sql, {owner, lease_until, now, now, int64_t{limit}}))));
  std::sort(claimed.begin(), claimed.end(),
            [](const Notification& a, const Notification& b) { return a.id < b.id; });
  return claimed;
}

Status SqlOutboxRecords::mark_sent(int64_t id, const std::string& owner, const std::string& now) {
  constexpr std::string_view kAction = "mark notification sent";
  CC_TRY(domain::check_time(now, "now"));
  SqlRows rows = CC_TRY(statements_.run(
      kAction,
      "UPDATE outbox SET state = 'sent', sent_at = ?, lease_owner = '', lease_until = '', "
      "last_error = '' WHERE id = ? AND state = 'sending' AND lease_owner = ? RETURNING id",
      {now, id, owner}));
  return statements_.changed(kAction, rows, "outbox", "notification", id, not_leased(id, owner));
}

Status SqlOutboxRecords::mark_failed(int64_t id, const std::string& owner, const std::string& error,
                                     const std::string& next_attempt_at, bool dead) {
  constexpr std::string_view kAction = "mark notification failed";
  CC_TRY(domain::check_time(next_attempt_at, "next_attempt_at"));
  SqlRows rows = CC_TRY(statements_.run(
      kAction,
      "UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ?, lease_owner = '', "
      "lease_until = '' WHERE id = ? AND state = 'sending' AND lease_owner = ? RETURNING id",
      {std::string(dead ? "dead" : "pending"), next_attempt_at, error, id, owner}));
  return statements_.changed(kAction, rows, "outbox", "notification", id, not_leased(id, owner));
}

Status SqlOutboxRecords::retry(int64_t id, const std::string& now) {
  constexpr std::string_view kAction = "retry notification";
  CC_TRY(domain::check_time(now, "now"));
  SqlRows rows = CC_TRY(
      statements_.run(kAction,
                      "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ? "
                      "WHERE id = ? AND state = 'dead' RETURNING id",
                      {now, id}));
  return statements_.changed(kAction, rows, "outbox", "notification", id,
                             "notification " + std::to_string(id) + " is not a dead letter");
}

Result<int64_t> SqlOutboxRecords::create_webhook(const Webhook& webhook) {
  CC_TRY(domain::check_time(webhook.created_at, "created_at"));
  if (!webhook.url.starts_with("http://") && !webhook.url.starts_with("https://")) {
    return base::invalid_argument("a webhook URL starts with http:// or https://")
        .with_field("url");
  }
  CC_TRY(domain::check_not_empty(webhook.secret, "secret"));
  if (webhook.format != "json" && webhook.format != "slack") {
    return base::invalid_argument("a webhook's format is json or slack").with_field("format");
  }
  return single_integer(
      CC_TRY(statements_.run("create webhook", kWebhooks.insert(), kWebhooks.values(webhook),
                             {{}, "production or user not found"})));
}

Result<Webhook> SqlOutboxRecords::get_webhook(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get webhook", kWebhooks.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("webhook", id);
  }
  return kWebhooks.read(rows[0]);
}

Result<std::vector<Webhook>> SqlOutboxRecords::list_webhooks(int64_t production_id) {
  return kWebhooks.read_all(CC_TRY(statements_.run(
      "list webhooks", kWebhooks.select("WHERE production_id = ? ORDER BY id"), {production_id})));
}

Status SqlOutboxRecords::disable_webhook(int64_t id) {
  constexpr std::string_view kAction = "disable webhook";
  SqlRows rows = CC_TRY(statements_.run(
      kAction, "UPDATE webhooks SET disabled = ? WHERE id = ? RETURNING id", {true, id}));
  return statements_.changed(kAction, rows, "webhooks", "webhook", id);
}

Result<bool> SqlOutboxRecords::claim_notice(const std::string& key, const std::string& now) {
  CC_TRY(domain::check_not_empty(key, "notice_key"));
  CC_TRY(domain::check_time(now, "now"));
  SqlRows rows = CC_TRY(statements_.run(
      "claim notice",
      "INSERT INTO notices (notice_key, created_at) VALUES (?, ?) ON CONFLICT (notice_key) DO "
      "NOTHING RETURNING notice_key",
      {key, now}));
  return !rows.empty();
}

Result<std::vector<std::string>> SqlOutboxRecords::list_notice_keys() {
  SqlRows rows = CC_TRY(
      statements_.run("list notices", "SELECT notice_key FROM notices ORDER BY notice_key", {}));
  std::vector<std::string> keys;
  keys.reserve(rows.size());
  for (const auto& row : rows) {
    SqlRowReader reader(row);
    keys.push_back(reader.text());
    CC_TRY(reader.status());
  }
  return keys;
}

Status SqlOutboxRecords::set_preference(const NotificationPreference& preference) {
  CC_TRY(domain::check_not_empty(preference.topic, "topic"));
  CC_TRY(domain::check_time(preference.updated_at, "updated_at"));
  CC_TRY(statements_.run("set preference",
                         kPreferences.insert("ON CONFLICT (user_id, topic) DO UPDATE SET delivery "
                                             "= excluded.delivery, updated_at = "
                                             "excluded.updated_at"),
                         kPreferences.values(preference), {{}, "user not found"}));
  return {};
}

Result<std::vector<NotificationPreference>> SqlOutboxRecords::list_preferences(int64_t user_id) {
  return kPreferences.read_all(CC_TRY(statements_.run(
      "list preferences", kPreferences.select("WHERE user_id = ? ORDER BY topic"), {user_id})));
}

Result<std::vector<NotificationPreference>> SqlOutboxRecords::list_all_preferences() {
  return kPreferences.read_all(CC_TRY(
      statements_.run("list preferences", kPreferences.select("ORDER BY user_id, topic"), {})));
}

Result<bool> SqlOutboxRecords::hold_for_digest(const DigestItem& item) {
  CC_TRY(domain::check_not_empty(item.idempotency_key, "idempotency_key"));
  CC_TRY(domain::check_not_empty(item.event_action, "event_action"));
  CC_TRY(domain::check_time(item.created_at, "created_at"));
  SqlRows rows = CC_TRY(
      statements_.run("hold for digest",
                      kDigestItems.insert("ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"),
                      kDigestItems.values(item), {{}, "user or production not found"}));
  return !rows.empty();
}

Result<std::vector<int64_t>> SqlOutboxRecords::users_with_digest_items(const std::string& before) {
  CC_TRY(domain::check_time(before, "before"));
  SqlRows rows = CC_TRY(statements_.run(
      "find digests due",
      "SELECT DISTINCT user_id FROM digest_items WHERE created_at < ? ORDER BY user_id", {before}));
  std::vector<int64_t> users;
  users.reserve(rows.size());
  for (const auto& row : rows) {
    SqlRowReader reader(row);
    users.push_back(reader.int64());
    CC_TRY(reader.status());
  }
  return users;
}

Result<std::vector<DigestItem>> SqlOutboxRecords::take_digest_items(int64_t user_id,
                                                                    const std::string& before) {
  CC_TRY(domain::check_time(before, "before"));
  std::vector<DigestItem> items = CC_TRY(kDigestItems.read_all(CC_TRY(
      statements_.run("take digest items",
                      "DELETE FROM digest_items WHERE user_id = ? AND created_at < ? RETURNING " +
                          kDigestItems.columns(),
                      {user_id, before}))));
  std::sort(items.begin(), items.end(),
            [](const DigestItem& a, const DigestItem& b) { return a.id < b.id; });
  return items;
}

Result<std::vector<DigestItem>> SqlOutboxRecords::list_digest_items(int64_t user_id) {
  return kDigestItems.read_all(CC_TRY(statements_.run(
      "list digest items", kDigestItems.select("WHERE user_id = ? ORDER BY id"), {user_id})));
}

}  // namespace clearcut::store::sql
