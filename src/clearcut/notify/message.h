#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/notification.h"

namespace clearcut::notify {

// How long a receiver should accept a signed webhook after its timestamp (docs/operations.md).
inline constexpr int64_t kReplayWindowSeconds = 300;

// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under secret>": what the
// X-Clearcut-Signature header carries.
std::string webhook_signature(std::string_view secret, int64_t unix_seconds, std::string_view body);

struct WebhookRequest {
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A webhook delivery of `n` (its payload as enqueued, see clearance/notifications.h):
//   json:  {"delivery_id", "event", "production", "use_case", "subject", "actor", "time",
//           "what", "todo", "link"}
//   slack: {"text": ...} for a Slack-compatible incoming webhook.
// Headers: Content-Type, X-Clearcut-Delivery (the idempotency key: receivers drop repeats by
// it), X-Clearcut-Event, X-Clearcut-Signature (webhook_signature at `unix_seconds`).
// kDataLoss when the stored payload is not a JSON object.
base::Result<WebhookRequest> render_webhook(const domain::Notification& n,
                                            const domain::Webhook& webhook,
                                            const std::string& base_url, int64_t unix_seconds);

// An RFC 5322 message telling `n`'s recipient what happened, what they must do and where:
// multipart/alternative, plain text and HTML, its Message-ID derived from the idempotency key
// (so a repeated delivery is recognisable as the same message). `date` is an RFC 5322 date.
base::Result<std::string> render_email(const domain::Notification& n, const std::string& from,
                                       const std::string& base_url, const std::string& date);

// "Sun, 06 Dec 2026 19:00:00 +0000".
std::string rfc5322_date(int64_t unix_seconds);

}  // namespace clearcut::notify
