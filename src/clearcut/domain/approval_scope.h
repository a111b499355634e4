#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::domain {

// What a written approval covers (POLICY.md §5), read once from its scope JSON:
// {"final_use": bool, "deliverables": [names], "outputs": [asset ids]}. The text is kept as it
// was stored, for the API and the audit log. A plain value.
struct ApprovalScope {
  std::string json = "{}";
  bool final_use = false;
  std::vector<std::string> deliverables;
  // The outputs (asset ids as decimal text) it names; nullopt when it names none, i.e. covers
  // every output of the use case.
  std::optional<std::vector<std::string>> outputs;

  // Whether it lets asset `asset_id` into final use.
  bool clears_output(int64_t asset_id) const;
};

// A new approval's scope: a JSON object whose fields are final_use (boolean), deliverables and
// outputs (lists of non-empty names). kInvalidArgument naming "scope" or "scope.<key>"
// otherwise. `json` is kept in its canonical form (nlohmann's dump: keys sorted, no spaces).
base::Result<ApprovalScope> parse_approval_scope(std::string_view json);

// A stored scope, kept verbatim. Lenient, since approvals stored before scopes were checked are
// read too: text that is not a JSON object covers nothing, a final_use that is not `true` is
// false, and outputs may be numbers; items of other types name no asset.
ApprovalScope read_approval_scope(std::string_view json);

}  // namespace clearcut::domain
