#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>

#include "clearcut/base/result.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/notification.h"
#include "clearcut/net/transport.h"
#include "clearcut/store/store.h"

namespace clearcut::notify {

// Delivers one notification; `webhook` is set for a webhook delivery. An error means "try
// again later", except kFailedPrecondition: no retry will help (a dead letter at once).
// Implementations must be thread-safe.
class Sender {
 public:
  virtual ~Sender() = default;
  virtual base::Status send(const domain::Notification& n,
                            const std::optional<domain::Webhook>& webhook) = 0;
};

// The real channels: e-mail over SMTP, webhooks over HTTP(S), with links under `base_url`.
class ChannelSender final : public Sender {
 public:
  ChannelSender(net::SmtpOptions smtp, std::string base_url, const clearance::Clock& clock)
      : smtp_(std::move(smtp)), base_url_(std::move(base_url)), clock_(clock) {}
  base::Status send(const domain::Notification& n,
                    const std::optional<domain::Webhook>& webhook) override;

 private:
  net::SmtpOptions smtp_;  // url empty: e-mail is not configured, and fails (to be retried)
  std::string base_url_;
  const clearance::Clock& clock_;
};

struct DispatcherOptions {
  std::string owner;  // unique among dispatchers sharing the database ("host:pid:notify")
  std::chrono::milliseconds poll{std::chrono::milliseconds(500)};
  // How long a claimed row is ours; a dispatcher that dies leaves it to be taken over after.
  std::chrono::milliseconds lease{std::chrono::seconds(60)};
  int batch = 10;
  int max_attempts = 8;  // then dead
  std::chrono::milliseconds first_retry{std::chrono::seconds(10)};
  std::chrono::milliseconds max_retry{std::chrono::hours(1)};
};

// The delay before attempt `attempts` + 1, after `attempts` failed: first_retry doubling with
// each attempt, capped at max_retry, then scaled by `jitter` in [0.5, 1] (so that a burst of
// failures does not retry in lockstep).
std::chrono::milliseconds retry_delay(int attempts, const DispatcherOptions& options,
                                      double jitter);

// The outbox's consumer: claims due notifications with a lease, delivers them through the
// Sender outside any transaction, and marks each sent, or failed with its next attempt (dead
// after max_attempts). At least once: a crash between delivering and marking sends the row
// again once its lease ends; receivers drop the repeat by its idempotency key. Several
// dispatchers (threads, processes) may share a database. Thread-safe.
class Dispatcher {
 public:
  Dispatcher(store::Store& store, const clearance::Clock& clock, Sender& sender,
             DispatcherOptions options)
      : store_(store), clock_(clock), sender_(sender), options_(std::move(options)) {}

  // Claims and handles one batch; how many rows it claimed.
  base::Result<int> run_once();
  // run_once until `stop`, waiting `poll` whenever a batch came back empty.
  void run(const std::stop_token& stop);

 private:
  base::Status deliver(const domain::Notification& n);

  store::Store& store_;
  const clearance::Clock& clock_;
  Sender& sender_;
  DispatcherOptions options_;
};

}  // namespace clearcut::notify
