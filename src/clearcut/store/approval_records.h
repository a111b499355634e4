#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/use_case.h"

namespace clearcut::store {

// What legal signs: performers' consents and written approvals of use cases. Part of a
// Transaction (store.h), whose contract every call follows.
class ApprovalRecords {
 public:
  virtual ~ApprovalRecords() = default;

  virtual base::Result<int64_t> add_consent(const domain::Consent& consent) = 0;
  virtual base::Result<domain::Consent> get_consent(int64_t id) = 0;
  // kFailedPrecondition when already revoked: the first revocation time stands.
  virtual base::Status revoke_consent(int64_t id, const std::string& revoked_at) = 0;
  virtual base::Result<std::vector<domain::Consent>> list_consents(int64_t production_id) = 0;
  // Consents of every production with an expiry, neither revoked nor lapsed yet, in id order:
  // those the expiry sweep looks at (it compares expires_at with its clock itself).
  virtual base::Result<std::vector<domain::Consent>> list_consents_to_lapse() = 0;
  // Marks an expired consent as acted on. kFailedPrecondition when it already is (another
  // server's sweep got there first): a consent lapses once.
  virtual base::Status lapse_consent(int64_t id, const std::string& lapsed_at) = 0;

  virtual base::Result<int64_t> add_approval(const domain::Approval& approval) = 0;
  virtual base::Result<domain::Approval> get_approval(int64_t id) = 0;
  virtual base::Result<std::vector<domain::Approval>> list_approvals(int64_t use_case_id) = 0;
  // Granted approvals, not outdated, that have an expiry; by id.
  virtual base::Result<std::vector<domain::Approval>> list_expiring_approvals() = 0;
  virtual base::Status mark_approvals_outdated(int64_t use_case_id) = 0;
};

}  // namespace clearcut::store
