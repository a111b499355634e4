#pragma once

#include <string>

#include "clearcut/domain/tool_registry.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Payloads of audit events that more than one writer appends, so that `clearcut audit verify`
// (state_replay.h) can rebuild the rows from them. JSON object text.

// "tool.saved": every column of the tools row (scalars as an array of integers).
std::string tool_payload(const domain::Tool& tool);

// "policy_pack.activated": name, version, digest, the SHA-256 of the text, loaded_at.
std::string policy_pack_payload(const store::PolicyPackRecord& pack);

}  // namespace clearcut::clearance
