#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace clearcut::base {

// Standard base64 (RFC 4648 §4) with `=` padding: thumbnails in the store, the API and scan
// reports (as data: URIs), and signed notes (audit/base64.h adds the canonical decoder).
std::string base64_encode(std::span<const uint8_t> bytes);

}  // namespace clearcut::base
