#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/tool_registry.h"

namespace clearcut::store {

// A stored policy pack: its text as uploaded, and whether it is the active one.
struct PolicyPackRecord {
  int64_t id = 0;
  std::string name;
  std::string version;
  std::string digest;  // PolicyPack::digest()
  std::string text;
  bool active = false;
  int64_t loaded_by = 0;  // user id; 0 = the system (the default pack at first start)
  std::string loaded_at;
};

// What decisions are made with: the tool registry and the policy packs. Part of a Transaction
// (store.h), whose contract every call follows.
class PolicyRecords {
 public:
  virtual ~PolicyRecords() = default;

  virtual base::Status upsert_tool(const domain::Tool& tool) = 0;
  virtual base::Status delete_tool(const std::string& id) = 0;
  virtual base::Result<std::vector<domain::Tool>> list_tools() = 0;

  // Exactly one pack is active once any is stored: a pack inserted with active set, or the
  // first pack, becomes the active one.
  virtual base::Result<int64_t> insert_policy_pack(const PolicyPackRecord& pack) = 0;
  virtual base::Result<std::optional<PolicyPackRecord>> active_policy_pack() = 0;
  virtual base::Result<PolicyPackRecord> get_policy_pack(int64_t id) = 0;
  virtual base::Result<std::vector<PolicyPackRecord>> list_policy_packs() = 0;  // text omitted
  virtual base::Status activate_policy_pack(int64_t id) = 0;
};

}  // namespace clearcut::store
