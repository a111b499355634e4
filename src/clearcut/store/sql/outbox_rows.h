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

  base::Result<bool> claim_notice(const std::string& key, const std::string& now) override;
  base::Result<std::vector<std::string>> list_notice_keys() override;
  base::Status set_preference(const NotificationPreference& preference) override;
  base::Result<std::vector<NotificationPreference>> list_preferences(int64_t user_id) override;
  base::Result<std::vector<NotificationPreference>> list_all_preferences() override;
  base::Result<bool> hold_for_digest(const DigestItem& item) override;
  base::Result<std::vector<int64_t>> users_with_digest_items(const std::string& before) override;
  base::Result<std::vector<DigestItem>> take_digest_items(int64_t user_id,
                                                          const std::string& before) override;
  base::Result<std::vector<DigestItem>> list_digest_items(int64_t user_id) override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
