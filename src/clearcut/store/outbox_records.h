#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/notification.h"

namespace clearcut::store {

using domain::DigestItem;
using domain::Notification;
using domain::NotificationChannel;
using domain::NotificationPreference;
using domain::NotificationState;
using domain::Webhook;

// Which rows list() returns.
struct OutboxFilter {
  std::optional<NotificationState> state;  // none: every state
  int64_t webhook_id = 0;                  // 0: every row; else only that webhook's deliveries
  int64_t before_id = 0;                   // newest first, ids below this (0: from the newest)
  int limit = 50;
};

// The notification outbox and the webhooks it delivers to. Part of a Transaction (store.h),
// whose contract every call follows.
//
// claim() leases up to `limit` due rows to `owner` until `lease_until`: rows pending with
// next_attempt_at <= now, and rows sending whose lease ended before now (their dispatcher
// died). Each claimed row's attempts grows by one. Two transactions never claim the same row
// (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time), and the conditional
// UPDATEs of mark_sent and mark_failed refuse (kFailedPrecondition) a row that is no longer
// sending under `owner`, so a dispatcher whose lease another took over cannot finish the row.
class OutboxRecords {
 public:
  virtual ~OutboxRecords() = default;

  // Stores `record` as pending (state, attempts, lease and error fields are ignored); returns
  // false, storing nothing, when its idempotency key is already stored.
  virtual base::Result<bool> enqueue(const Notification& record) = 0;
  virtual base::Result<Notification> get(int64_t id) = 0;
  virtual base::Result<std::vector<Notification>> list(const OutboxFilter& filter) = 0;
  virtual base::Result<std::vector<Notification>> claim(const std::string& owner,
                                                        const std::string& now,
                                                        const std::string& lease_until,
                                                        int limit) = 0;
  virtual base::Status mark_sent(int64_t id, const std::string& owner, const std::string& now) = 0;
  // Back to pending, due at `next_attempt_at`; dead instead when `dead`.
  virtual base::Status mark_failed(int64_t id, const std::string& owner, const std::string& error,
                                   const std::string& next_attempt_at, bool dead) = 0;
  // A dead row pending again, due at `now`, its attempts back to 0. kFailedPrecondition when it
  // is not dead.
  virtual base::Status retry(int64_t id, const std::string& now) = 0;

  virtual base::Result<int64_t> create_webhook(const Webhook& webhook) = 0;
  virtual base::Result<Webhook> get_webhook(int64_t id) = 0;
  // Oldest first, disabled ones included.
  virtual base::Result<std::vector<Webhook>> list_webhooks(int64_t production_id) = 0;
  virtual base::Status disable_webhook(int64_t id) = 0;

  // The once-only notice ledger: true the first time `key` is claimed, false ever after
  // (whichever transaction commits first wins; the other's claim returns false once it can
  // see that row, or fails on the unique key and rolls back).
  virtual base::Result<bool> claim_notice(const std::string& key, const std::string& now) = 0;
  virtual base::Result<std::vector<std::string>> list_notice_keys() = 0;  // sorted

  // Preferences: set() replaces the user's choice for the topic.
  virtual base::Status set_preference(const NotificationPreference& preference) = 0;
  virtual base::Result<std::vector<NotificationPreference>> list_preferences(int64_t user_id) = 0;
  // Every user's, by user then topic.
  virtual base::Result<std::vector<NotificationPreference>> list_all_preferences() = 0;

  // Digest items: hold() returns false, storing nothing, when the key is held already.
  virtual base::Result<bool> hold_for_digest(const DigestItem& item) = 0;
  // Users with items created before `before`, ascending.
  virtual base::Result<std::vector<int64_t>> users_with_digest_items(const std::string& before) = 0;
  // Reads and deletes the user's items created before `before`, oldest first.
  virtual base::Result<std::vector<DigestItem>> take_digest_items(int64_t user_id,
                                                                  const std::string& before) = 0;
  virtual base::Result<std::vector<DigestItem>> list_digest_items(int64_t user_id) = 0;
};

}  // namespace clearcut::store
