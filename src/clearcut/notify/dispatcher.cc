#include "clearcut/notify/dispatcher.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>

#include "clearcut/notify/message.h"

namespace clearcut::notify {
namespace {

int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

double random_jitter() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.5, 1.0)(engine);
}

}  // namespace

base::Status ChannelSender::send(const domain::Notification& n,
                                 const std::optional<domain::Webhook>& webhook) {
  int64_t now = unix_seconds(clock_.now());
  if (n.channel == domain::NotificationChannel::kWebhook) {
    if (!webhook) {
      return base::internal_error("a webhook delivery without its webhook");
    }
    WebhookRequest request = CC_TRY(render_webhook(n, *webhook, base_url_, now));
    return net::post(webhook->url, request.headers, request.body, std::chrono::seconds(10));
  }
  if (smtp_.url.empty()) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "e-mail is not configured (serve --smtp-url)");
  }
  std::string message = CC_TRY(render_email(n, smtp_.from, base_url_, rfc5322_date(now)));
  return net::send_mail(smtp_, n.address, message);
}

std::chrono::milliseconds retry_delay(int attempts, const DispatcherOptions& options,
                                      double jitter) {
  double delay = static_cast<double>(options.first_retry.count());
  for (int i = 1; i < attempts && delay < static_cast<double>(options.max_retry.count()); ++i) {
    delay *= 2;
  }
  delay = std::min(delay, static_cast<double>(options.max_retry.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(delay * std::clamp(jitter, 0.5, 1.0)));
}

base::Status Dispatcher::deliver(const domain::Notification& n) {
  std::optional<domain::Webhook> webhook;
  if (n.channel == domain::NotificationChannel::kWebhook) {
    auto tx = CC_TRY(store_.begin());
    webhook = CC_TRY(tx->outbox().get_webhook(n.webhook_id));
  }
  base::Status sent = webhook && webhook->disabled
                          ? base::Status(base::Error(base::ErrorCode::kFailedPrecondition,
                                                     "the webhook was disabled"))
                          : sender_.send(n, webhook);
  auto now = clock_.now();
  auto tx = CC_TRY(store_.begin());
  if (sent.has_value()) {
    CC_TRY(tx->outbox().mark_sent(n.id, options_.owner, clearance::format_rfc3339(now)));
  } else {
    // kFailedPrecondition is a failure no retry mends (e-mail not configured, a disabled
    // webhook): a dead letter at once, for an admin to retry once it is fixed.
    bool dead = n.attempts >= options_.max_attempts ||
                sent.error().code() == base::ErrorCode::kFailedPrecondition;
    auto next = now + retry_delay(n.attempts, options_, random_jitter());
    CC_TRY(tx->outbox().mark_failed(n.id, options_.owner, sent.error().message(),
                                    clearance::format_rfc3339(next), dead));
  }
  return tx->commit();
}

base::Result<int> Dispatcher::run_once() {
  auto now = clock_.now();
  std::vector<domain::Notification> claimed;
  {
    auto tx = CC_TRY(store_.begin());
    claimed =
        CC_TRY(tx->outbox().claim(options_.owner, clearance::format_rfc3339(now),
                                  clearance::format_rfc3339(now + options_.lease), options_.batch));
    CC_TRY(tx->commit());
  }
  for (const domain::Notification& n : claimed) {
    base::Status done = deliver(n);
    if (!done.has_value()) {
      // The lease ends and another attempt takes the row over: nothing is lost.
      std::fprintf(stderr, "notify: notification %lld (%s): %s\n", static_cast<long long>(n.id),
                   n.idempotency_key.c_str(), done.error().to_string().c_str());
    }
  }
  return static_cast<int>(claimed.size());
}

void Dispatcher::run(const std::stop_token& stop) {
  std::mutex mu;
  std::condition_variable_any wake;
  while (!stop.stop_requested()) {
    auto ran = run_once();
    if (ran.has_value() && *ran > 0) {
      continue;
    }
    if (!ran.has_value()) {
      std::fprintf(stderr, "notify: %s\n", ran.error().to_string().c_str());
    }
    std::unique_lock lock(mu);
    wake.wait_for(lock, stop, options_.poll, [] { return false; });
  }
}

}  // namespace clearcut::notify
