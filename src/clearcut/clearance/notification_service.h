#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/notification.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// What registers a webhook. An empty secret is generated (32 random bytes, hex).
struct WebhookRequest {
  std::string url;
  std::string format = "json";  // "json" or "slack"
  std::string secret;
};

// Webhooks, the outbox and each person's notification preferences through the service. A
// production's contacts (and the admins) register, list, test and disable its webhooks and read
// each one's delivery log; the admins read the outbox by state (dead letters included) and send a
// dead letter again. Each change is an audit event (webhook.created without the secret,
// webhook.disabled, webhook.tested, notification.retried). Thread-safe. Errors as
// ClearanceService's: kNotFound for what the actor may not see, kPermissionDenied for a member
// without the role.
class NotificationService {
 public:
  NotificationService(store::Store& store, AuditLog& audit, const Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // The webhook with its secret: the only answer that carries it.
  base::Result<domain::Webhook> create_webhook(const Actor& actor, int64_t production_id,
                                               WebhookRequest request);
  base::Result<std::vector<domain::Webhook>> list_webhooks(const Actor& actor,
                                                           int64_t production_id);
  base::Result<domain::Webhook> disable_webhook(const Actor& actor, int64_t webhook_id);
  // Enqueues a "webhook.tested" delivery to this webhook alone; the dispatcher sends it.
  base::Result<domain::Notification> test_webhook(const Actor& actor, int64_t webhook_id);
  // The webhook's deliveries, newest first.
  base::Result<std::vector<domain::Notification>> deliveries(const Actor& actor, int64_t webhook_id,
                                                             int64_t before_id, int limit);

  // The caller's own choice for every topic (kNotificationTopics, in that order; immediate
  // where they never chose).
  base::Result<std::vector<domain::NotificationPreference>> preferences(const Actor& actor);
  // Sets the caller's choice for one topic (audit event preference.set). kInvalidArgument
  // naming `topic` for a topic that does not exist.
  base::Result<domain::NotificationPreference> set_preference(const Actor& actor,
                                                              const std::string& topic,
                                                              domain::Delivery delivery);

  base::Result<std::vector<domain::Notification>> list_outbox(const Actor& actor,
                                                              const store::OutboxFilter& filter);
  // A dead letter pending again, due now.
  base::Result<domain::Notification> retry(const Actor& actor, int64_t notification_id);

 private:
  // The webhook when `actor` may manage it (admin, or contact on its production).
  base::Result<domain::Webhook> managed_webhook(store::Transaction& tx, const Actor& actor,
                                                int64_t webhook_id);
  base::Status record(store::Transaction& tx, const Actor& actor, const std::string& action,
                      const std::string& subject_type, int64_t subject_id,
                      const std::string& payload_json);

  store::Store& store_;
  AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace clearcut::clearance
