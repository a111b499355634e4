#pragma once

#include "clearcut/store/outbox_records.h"
#include "clearcut/store/sql/statements.h"

namespace clearcut::store::sql {

// The notification outbox and webhooks, in SQL both backends speak.
class SqlOutboxRecords final : public OutboxRecords {
 public:
  explicit SqlOutboxRecords(Statements& statements) : statements_(statements) {}

  base::Result<bool> enqueue(const Notification& record) override;
  base::Result<Notification> get(int64_t id) override;
  base::Result<std::vector<Notification>> list(const OutboxFilter& filter) override;
  base::Result<std::vector<Notification>> claim(const std::string& owner, const std::string& now,
                                                const std::string& lease_until, int limit) override;
  base::Status mark_sent(int64_t id, const std::string& owner, const std::string& now) override;
  base::Status mark_failed(int64_t id, const std::string& owner, const std::string& error,
                           const std::string& next_attempt_at, bool dead) override;
  base::Status retry(int64_t id, const std::string& now) override;

  base::Result<int64_t> create_webhook(const Webhook& webhook) override;
  base::Result<Webhook> get_webhook(int64_t id) override;
  base::Result<std::vector<Webhook>> list_webhooks(int64_t production_id) override;
  base::Status disable_webhook(int64_t id) override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
