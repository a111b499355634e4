#pragma once

#include "clearcut/store/policy_records.h"
#include "clearcut/store/sql/statements.h"

namespace clearcut::store::sql {

// The tool registry and the policy packs, in SQL both backends speak.
class SqlPolicyRecords final : public PolicyRecords {
 public:
  explicit SqlPolicyRecords(Statements& statements) : statements_(statements) {}

  base::Status upsert_tool(const domain::Tool& tool) override;
  base::Status delete_tool(const std::string& id) override;
  base::Result<std::vector<domain::Tool>> list_tools() override;
  base::Result<int64_t> insert_policy_pack(const PolicyPackRecord& pack) override;
  base::Result<std::optional<PolicyPackRecord>> active_policy_pack() override;
  base::Result<PolicyPackRecord> get_policy_pack(int64_t id) override;
  base::Result<std::vector<PolicyPackRecord>> list_policy_packs() override;
  base::Status activate_policy_pack(int64_t id) override;

 private:
  Statements& statements_;
};

}  // namespace clearcut::store::sql
