#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "clearcut/audit/merkle_hash.h"
#include "clearcut/base/result.h"

namespace clearcut::audit {

inline constexpr size_t kMaxPayloadBytes = 1 << 20;
inline constexpr int kMaxPayloadDepth = 64;

// One entry of the clearance service's audit log. Its canonical encoding is the Merkle leaf,
// so every field is covered by the log's signed checkpoints. Plain value.
struct AuditEvent {
  uint64_t sequence = 0;            // the leaf index: 0 for the log's first event
  std::string time;                 // RFC 3339 in UTC, e.g. "2026-11-22T01:56:05.120Z"
  std::string actor;                // who acted: a user or service id; non-empty
  std::string action;               // what happened, e.g. "approval.grant"; non-empty
  std::string subject_type;         // what it happened to, e.g. "use_case"; may be empty
  std::string subject_id;           // may be empty
  std::string payload_json = "{}";  // details: a JSON object

  bool operator==(const AuditEvent&) const = default;
};

// The canonical encoding, the bytes the Merkle leaf hashes: JSON with keys sorted by bytes and
// no whitespace, the payload re-serialized the same way (nlohmann_json's compact form),
//   {"action":..,"actor":..,"payload":{..},"sequence":N,"subject_id":..,"subject_type":..,
//    "time":..,"v":1}
// Fails (kInvalidArgument, with the field) on an invalid time, an empty actor or action,
// strings that are not UTF-8, or a payload that is not a JSON object, has duplicate keys,
// non-finite numbers, more than kMaxPayloadDepth levels or kMaxPayloadBytes bytes.
base::Result<std::string> encode_audit_event(const AuditEvent& event);

// Parses a canonical encoding; anything that encode_audit_event would not produce byte for
// byte (other key order, whitespace, unknown keys, another version) is kInvalidArgument.
base::Result<AuditEvent> decode_audit_event(std::string_view encoding);

// hash_leaf(encode_audit_event(event)).
base::Result<Hash> audit_event_leaf_hash(const AuditEvent& event);

}  // namespace clearcut::audit
