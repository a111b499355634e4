// Webhooks of a production (register, list, test, disable, delivery log) and the outbox for
// admins (by state, dead letters included; send one again).

#include "clearcut/clearance/notifications.h"

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

// Never the secret: only the answer that created the webhook shows it.
json to_json(const domain::Webhook& webhook) {
  return {{"id", webhook.id},
          {"production_id", webhook.production_id},
          {"url", webhook.url},
          {"format", webhook.format},
          {"disabled", webhook.disabled},
          {"created_by", webhook.created_by},
          {"created_at", webhook.created_at}};
}

json to_json(const domain::Notification& n) {
  return {{"id", n.id},
          {"idempotency_key", n.idempotency_key},
          {"event_sequence", n.event_sequence},
          {"event", n.event_action},
          {"production_id", n.production_id},
          {"channel", domain::notification_channel_name(n.channel)},
          {"recipient_user_id", n.recipient_user_id},
          {"webhook_id", n.webhook_id},
          {"address", n.address},
          {"state", domain::notification_state_name(n.state)},
          {"attempts", n.attempts},
          {"next_attempt_at", n.next_attempt_at},
          {"last_error", n.last_error},
          {"created_at", n.created_at},
          {"sent_at", n.sent_at}};
}

json to_json(const std::vector<domain::NotificationPreference>& preferences) {
  json topics = json::array();
  for (const domain::NotificationPreference& p : preferences) {
    std::string_view description;
    for (const clearance::NotificationTopic& t : clearance::kNotificationTopics) {
      if (t.name == p.topic) {
        description = t.description;
      }
    }
    topics.push_back({{"topic", p.topic},
                      {"description", description},
                      {"delivery", domain::delivery_name(p.delivery)},
                      {"updated_at", p.updated_at.empty() ? json(nullptr) : json(p.updated_at)}});
  }
  return {{"topics", topics}};
}

HttpResponse page(const std::vector<domain::Notification>& items, int limit) {
  json next = items.size() == static_cast<size_t>(limit) ? json(items.back().id) : json(nullptr);
  json out = json::array();
  for (const domain::Notification& n : items) {
    out.push_back(to_json(n));
  }
  return ok({{"items", out}, {"next_before", next}});
}

}  // namespace

void add_notification_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("POST", v1 + "/productions/{production}/webhooks", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"url", "format", "secret"}));
               clearance::WebhookRequest request;
               request.url = CC_TRY(in.text("url"));
               if (in.has("format")) {
                 request.format = CC_TRY(in.text("format"));
               }
               if (in.has("secret")) {
                 request.secret = CC_TRY(in.text("secret"));
               }
               domain::Webhook webhook = CC_TRY(deps.notifications.create_webhook(
                   *c.actor, CC_TRY(c.id("production")), request));
               json body = to_json(webhook);
               body["secret"] = webhook.secret;
               return ok(body, 201);
             });
  router.add("GET", v1 + "/productions/{production}/webhooks", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto hooks =
                   CC_TRY(deps.notifications.list_webhooks(*c.actor, CC_TRY(c.id("production"))));
               json items = json::array();
               for (const domain::Webhook& hook : hooks) {
                 items.push_back(to_json(hook));
               }
               return ok({{"items", items}});
             });
  router.add("DELETE", v1 + "/webhooks/{webhook}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto hook =
                   CC_TRY(deps.notifications.disable_webhook(*c.actor, CC_TRY(c.id("webhook"))));
               return ok(to_json(hook));
             });
  router.add("POST", v1 + "/webhooks/{webhook}/test", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto n = CC_TRY(deps.notifications.test_webhook(*c.actor, CC_TRY(c.id("webhook"))));
               return ok(to_json(n), 202);
             });
  router.add("GET", v1 + "/webhooks/{webhook}/deliveries", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               int64_t before = CC_TRY(c.query_int("before", 0, 0, INT64_MAX));
               int limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 1000)));
               auto items = CC_TRY(
                   deps.notifications.deliveries(*c.actor, CC_TRY(c.id("webhook")), before, limit));
               return page(items, limit);
             });
  router.add("GET", v1 + "/me/notifications", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               return ok(to_json(CC_TRY(deps.notifications.preferences(*c.actor))));
             });
  router.add(
      "PUT", v1 + "/me/notifications/{topic}", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"delivery"}));
        std::string name = CC_TRY(in.text("delivery"));
        std::optional<domain::Delivery> delivery = domain::parse_delivery(name);
        if (!delivery) {
          return base::invalid_argument("expected immediate, digest or off").with_field("delivery");
        }
        CC_TRY(deps.notifications.set_preference(*c.actor, c.params.at("topic"), *delivery));
        return ok(to_json(CC_TRY(deps.notifications.preferences(*c.actor))));
      });
  router.add("GET", v1 + "/outbox", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               store::OutboxFilter filter;
               filter.before_id = CC_TRY(c.query_int("before", 0, 0, INT64_MAX));
               filter.limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 1000)));
               if (std::optional<std::string> state = c.request.query_param("state")) {
                 filter.state = domain::parse_notification_state(*state);
                 if (!filter.state) {
                   return base::invalid_argument("expected pending, sending, sent or dead")
                       .with_field("state");
                 }
               }
               auto items = CC_TRY(deps.notifications.list_outbox(*c.actor, filter));
               return page(items, filter.limit);
             });
  router.add("POST", v1 + "/outbox/{notification}/retry", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto n = CC_TRY(deps.notifications.retry(*c.actor, CC_TRY(c.id("notification"))));
               return ok(to_json(n));
             });
}

}  // namespace clearcut::api
