#pragma once

#include <string>

#include "clearcut/domain/asset.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Payloads of audit events that more than one writer appends, so that `clearcut audit verify`
// (state_replay.h) can rebuild the rows from them. JSON object text.

// "tool.saved": every column of the tools row (scalars as an array of integers).
std::string tool_payload(const domain::Tool& tool);

// "asset.registered" carries these digests of what a scan matches an output by, so that a frame
// hash or an audio fingerprint changed in the database behind the log's back is found: the
// SHA-256 (hex) of the frame hashes as stored (space-separated) and of the audio fingerprint's
// text.
std::string frame_pdq_digest(const domain::Asset& asset);
std::string audio_fingerprint_digest(const domain::Asset& asset);

// "policy_pack.activated": name, version, digest, the SHA-256 of the text, loaded_at.
std::string policy_pack_payload(const store::PolicyPackRecord& pack);

}  // namespace clearcut::clearance
