#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace clearcut::crypto {

// Whether two secrets (tokens, CSRF values, MACs) are equal, in time that depends on their
// lengths only, never on where they differ (CRYPTO_memcmp underneath).
bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b);
bool equal_constant_time(std::string_view a, std::string_view b);

// Overwrites a secret with zeros in a way the compiler cannot drop as a dead store.
void cleanse(std::span<uint8_t> secret);

}  // namespace clearcut::crypto
