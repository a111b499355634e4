#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clearcut::base {

// Standard base64 (RFC 4648 §4) with `=` padding: thumbnails in the store, the API and scan
// reports (as data: URIs), signed notes and checkpoints, stored audio fingerprints.
std::string base64_encode(std::span<const uint8_t> bytes);

// Decodes canonical base64 only (RFC 4648 §3.5, which tlog-checkpoint requires): padding is
// present and exact, the unused bits of the last digit are zero, and nothing else (no spaces,
// no line breaks, no URL alphabet) is accepted. nullopt otherwise.
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);

// The URL alphabet without padding (RFC 4648 §5, as JOSE writes it: RFC 7515 §2): ID tokens,
// JWKs, PKCE challenges. Decoding is canonical like base64_decode and refuses '=', '+' and '/'.
std::string base64url_encode(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> base64url_decode(std::string_view text);

}  // namespace clearcut::base
