#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clearcut::domain {

enum class NotificationChannel : uint8_t { kEmail, kWebhook };
// pending: waiting for its next attempt; sending: leased to a dispatcher; sent; dead: given up
// after too many attempts (an admin may retry it).
enum class NotificationState : uint8_t { kPending, kSending, kSent, kDead };

std::string_view notification_channel_name(NotificationChannel channel);
std::optional<NotificationChannel> parse_notification_channel(std::string_view name);
std::string_view notification_state_name(NotificationState state);
std::optional<NotificationState> parse_notification_state(std::string_view name);

// How a person hears of a topic by e-mail: each at once, gathered in a daily digest, or not.
enum class Delivery : uint8_t { kImmediate, kDigest, kOff };
std::string_view delivery_name(Delivery delivery);
std::optional<Delivery> parse_delivery(std::string_view name);

// One notification to deliver: an audit event told to one recipient (or webhook) over one
// channel. Written in the transaction that appends the event, so that an event is never
// committed without its notifications nor they without it.
struct Notification {
  int64_t id = 0;
  // Unique: the same (event, recipient, channel) enqueued twice is stored once. Sent to
  // receivers (Message-ID, delivery id header) so that they can drop a repeated delivery.
  std::string idempotency_key;
  int64_t event_sequence = 0;
  std::string event_action;   // "use_case.submitted", ...
  int64_t production_id = 0;  // 0: none
  NotificationChannel channel = NotificationChannel::kEmail;
  int64_t recipient_user_id = 0;    // e-mail: whom; 0 for a webhook
  int64_t webhook_id = 0;           // webhook: which; 0 for an e-mail
  std::string address;              // the e-mail address or webhook URL when it was enqueued
  std::string payload_json = "{}";  // what the channel renders: see clearance/notifications.h
  NotificationState state = NotificationState::kPending;
  int attempts = 0;
  std::string next_attempt_at;  // when it is due (pending)
  std::string lease_owner;      // the dispatcher holding it (sending); else empty
  std::string lease_until;      // when that lease ends; else empty
  std::string last_error;       // why the last attempt failed; empty when none did
  std::string created_at;
  std::string sent_at;  // empty until sent
};

// A production's webhook. The secret keys the deliveries' HMAC-SHA256 signatures; the store
// keeps it for the dispatcher, but no API answer shows it after the one that created it.
struct Webhook {
  int64_t id = 0;
  int64_t production_id = 0;
  std::string url;              // http:// or https://
  std::string secret;           // what HMAC keys are made of
  std::string format = "json";  // "json" or "slack"
  bool disabled = false;
  int64_t created_by = 0;
  std::string created_at;
};

// A person's choice for one topic of notifications (clearance/notifications.h lists them).
struct NotificationPreference {
  int64_t user_id = 0;
  std::string topic;
  Delivery delivery = Delivery::kImmediate;
  std::string updated_at;
};

// An e-mail held for its recipient's daily digest: a Notification's content, kept until the
// digest that carries it is enqueued (in the same transaction, so it is never lost nor sent
// twice).
struct DigestItem {
  int64_t id = 0;
  std::string idempotency_key;  // the immediate e-mail's key: held once per event and person
  int64_t user_id = 0;
  int64_t event_sequence = 0;
  std::string event_action;
  int64_t production_id = 0;  // 0: none
  std::string payload_json = "{}";
  std::string created_at;
};

}  // namespace clearcut::domain
