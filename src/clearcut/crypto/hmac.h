#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace clearcut::crypto {

// HMAC-SHA256 (RFC 2104) of `data` under `key`: webhook signatures.
std::array<uint8_t, 32> hmac_sha256(std::string_view key, std::string_view data);

}  // namespace clearcut::crypto
