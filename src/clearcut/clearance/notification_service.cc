#include "clearcut/clearance/notification_service.h"

#include <nlohmann/json.hpp>

#include "clearcut/clearance/notifications.h"
#include "clearcut/clearance/password.h"

namespace clearcut::clearance {
namespace {

using domain::Role;
using nlohmann::json;

constexpr size_t kMinSecret = 16;

base::Error denied(const std::string& what) {
  return base::Error(base::ErrorCode::kPermissionDenied, what);
}

// Admins, and contacts on the production, manage its webhooks; other members are refused;
// outsiders do not see the production.
base::Status check_manager(const Actor& actor, int64_t production_id) {
  if (actor.admin() || actor.has_role(production_id, Role::kContact)) {
    return {};
  }
  if (actor.member_of(production_id)) {
    return denied("only the production's contacts and admins manage its webhooks");
  }
  return base::not_found("no production " + std::to_string(production_id));
}

base::Status check_admin(const Actor& actor) {
  if (!actor.admin()) {
    return denied("only admins read the outbox");
  }
  return {};
}

}  // namespace

base::Status NotificationService::record(store::Transaction& tx, const Actor& actor,
                                         const std::string& action, const std::string& subject_type,
                                         int64_t subject_id, const std::string& payload_json) {
  audit::AuditEvent event{0,
                          format_rfc3339(clock_.now()),
                          actor.audit_name(),
                          action,
                          subject_type,
                          std::to_string(subject_id),
                          payload_json};
  CC_TRY(audit_.append(tx, std::move(event)));
  return {};
}

base::Result<domain::Webhook> NotificationService::managed_webhook(store::Transaction& tx,
                                                                   const Actor& actor,
                                                                   int64_t webhook_id) {
  auto webhook = tx.outbox().get_webhook(webhook_id);
  if (!webhook.has_value() || (!actor.admin() && !actor.member_of(webhook->production_id))) {
    return base::not_found("no webhook " + std::to_string(webhook_id));
  }
  CC_TRY(check_manager(actor, webhook->production_id));
  return webhook;
}

base::Result<std::vector<domain::NotificationPreference>> NotificationService::preferences(
    const Actor& actor) {
  auto tx = CC_TRY(store_.begin());
  std::vector<domain::NotificationPreference> chosen =
      CC_TRY(tx->outbox().list_preferences(actor.user.id));
  std::vector<domain::NotificationPreference> all;
  for (const NotificationTopic& topic : kNotificationTopics) {
    domain::NotificationPreference p{actor.user.id, std::string(topic.name),
                                     domain::Delivery::kImmediate, ""};
    for (const domain::NotificationPreference& c : chosen) {
      if (c.topic == topic.name) {
        p = c;
      }
    }
    all.push_back(p);
  }
  return all;
}

base::Result<domain::NotificationPreference> NotificationService::set_preference(
    const Actor& actor, const std::string& topic, domain::Delivery delivery) {
  if (!is_notification_topic(topic)) {
    std::string names;
    for (const NotificationTopic& t : kNotificationTopics) {
      names += (names.empty() ? "" : ", ") + std::string(t.name);
    }
    return base::invalid_argument("no notification topic \"" + topic + "\" (expected one of " +
                                  names + ")")
        .with_field("topic");
  }
  auto tx = CC_TRY(store_.begin());
  domain::NotificationPreference p{actor.user.id, topic, delivery, format_rfc3339(clock_.now())};
  CC_TRY(tx->outbox().set_preference(p));
  CC_TRY(record(*tx, actor, "preference.set", "user", actor.user.id,
                json({{"topic", topic},
                      {"delivery", domain::delivery_name(delivery)},
                      {"updated_at", p.updated_at}})
                    .dump()));
  CC_TRY(tx->commit());
  return p;
}

base::Result<domain::Webhook> NotificationService::create_webhook(const Actor& actor,
                                                                  int64_t production_id,
                                                                  WebhookRequest request) {
  CC_TRY(check_manager(actor, production_id));
  if (request.secret.empty()) {
    request.secret = random_hex(32);
  } else if (request.secret.size() < kMinSecret) {
    return base::invalid_argument("a webhook secret has at least 16 characters")
        .with_field("secret");
  }
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().get_production(production_id));
  domain::Webhook webhook;
  webhook.production_id = production_id;
  webhook.url = request.url;
  webhook.secret = request.secret;
  webhook.format = request.format;
  webhook.created_by = actor.user.id;
  webhook.created_at = format_rfc3339(clock_.now());
  webhook.id = CC_TRY(tx->outbox().create_webhook(webhook));
  CC_TRY(record(*tx, actor, "webhook.created", "webhook", webhook.id,
                json({{"production_id", production_id},
                      {"url", webhook.url},
                      {"format", webhook.format},
                      {"created_at", webhook.created_at}})
                    .dump()));
  CC_TRY(tx->commit());
  return webhook;
}

base::Result<std::vector<domain::Webhook>> NotificationService::list_webhooks(
    const Actor& actor, int64_t production_id) {
  CC_TRY(check_manager(actor, production_id));
  auto tx = CC_TRY(store_.begin());
  return tx->outbox().list_webhooks(production_id);
}

base::Result<domain::Webhook> NotificationService::disable_webhook(const Actor& actor,
                                                                   int64_t webhook_id) {
  auto tx = CC_TRY(store_.begin());
  domain::Webhook webhook = CC_TRY(managed_webhook(*tx, actor, webhook_id));
  if (webhook.disabled) {
    return webhook;
  }
  CC_TRY(tx->outbox().disable_webhook(webhook_id));
  CC_TRY(record(*tx, actor, "webhook.disabled", "webhook", webhook_id, "{}"));
  CC_TRY(tx->commit());
  webhook.disabled = true;
  return webhook;
}

base::Result<domain::Notification> NotificationService::test_webhook(const Actor& actor,
                                                                     int64_t webhook_id) {
  auto tx = CC_TRY(store_.begin());
  domain::Webhook webhook = CC_TRY(managed_webhook(*tx, actor, webhook_id));
  if (webhook.disabled) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "webhook " + std::to_string(webhook_id) + " is disabled");
  }
  domain::Production production = CC_TRY(tx->accounts().get_production(webhook.production_id));
  std::string now = format_rfc3339(clock_.now());
  audit::AuditEvent event{
      0, now, actor.audit_name(), "webhook.tested", "webhook", std::to_string(webhook_id), "{}"};
  uint64_t sequence = CC_TRY(audit_.append(*tx, event));
  domain::Notification n;
  n.idempotency_key = idempotency_key(sequence, domain::NotificationChannel::kWebhook, webhook_id);
  n.event_sequence = static_cast<int64_t>(sequence);
  n.event_action = "webhook.tested";
  n.production_id = production.id;
  n.channel = domain::NotificationChannel::kWebhook;
  n.webhook_id = webhook_id;
  n.address = webhook.url;
  n.payload_json =
      json({{"event", "webhook.tested"},
            {"production",
             {{"id", production.id}, {"code", production.code}, {"title", production.title}}},
            {"subject", {{"type", "webhook"}, {"id", std::to_string(webhook_id)}}},
            {"use_case", nullptr},
            {"actor", actor.user.name},
            {"time", now},
            {"what", actor.user.name + " sent a test delivery to this webhook."},
            {"todo", "Nothing: check that your receiver verified its signature."},
            {"path", "/#/p/" + std::to_string(production.id)}})
          .dump();
  n.created_at = n.next_attempt_at = now;
  CC_TRY(tx->outbox().enqueue(n));
  std::vector<domain::Notification> rows =
      CC_TRY(tx->outbox().list({std::nullopt, webhook_id, 0, 1}));
  CC_TRY(tx->commit());
  return rows.at(0);
}

base::Result<std::vector<domain::Notification>> NotificationService::deliveries(const Actor& actor,
                                                                                int64_t webhook_id,
                                                                                int64_t before_id,
                                                                                int limit) {
  auto tx = CC_TRY(store_.begin());
  CC_TRY(managed_webhook(*tx, actor, webhook_id));
  return tx->outbox().list({std::nullopt, webhook_id, before_id, limit});
}

base::Result<std::vector<domain::Notification>> NotificationService::list_outbox(
    const Actor& actor, const store::OutboxFilter& filter) {
  CC_TRY(check_admin(actor));
  auto tx = CC_TRY(store_.begin());
  return tx->outbox().list(filter);
}

base::Result<domain::Notification> NotificationService::retry(const Actor& actor,
                                                              int64_t notification_id) {
  CC_TRY(check_admin(actor));
  auto tx = CC_TRY(store_.begin());
  std::string now = format_rfc3339(clock_.now());
  CC_TRY(tx->outbox().retry(notification_id, now));
  CC_TRY(record(*tx, actor, "notification.retried", "notification", notification_id, "{}"));
  domain::Notification n = CC_TRY(tx->outbox().get(notification_id));
  CC_TRY(tx->commit());
  return n;
}

}  // namespace clearcut::clearance
