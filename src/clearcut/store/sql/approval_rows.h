#pragma once

#include "clearcut/store/approval_records.h"
#include "clearcut/store/sql/statements.h"

namespace clearcut::store::sql {

// Consents and approvals, in SQL both backends speak.
class SqlApprovalRecords final : public ApprovalRecords {
 public:
  explicit SqlApprovalRecords(Statements& statements) : statements_(statements) {}

  base::Result<int64_t> add_consent(const domain::Consent& consent) override;
  base::Result<domain::Consent> get_consent(int64_t id) override;
  base::Status revoke_consent(int64_t id, const std::string& revoked_at) override;
  base::Result<std::vector<domain::Consent>> list_consents(int64_t production_id) override;
  base::Result<std::vector<domain::Consent>> list_consents_to_lapse() override;
  base::Status lapse_consent(int64_t id, const std::string& lapsed_at) override;
  base::Result<int64_t> add_approval(const domain::Approval& approval) override;
  base::Result<domain::Approval> get_approval(int64_t id) override;
  base::Result<std::vector<domain::Approval>> list_approvals(int64_t use_case_id) override;
  base::Result<std::vector<domain::Approval>> list_expiring_approvals() override;
  base::Status mark_approvals_outdated(int64_t use_case_id) override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
