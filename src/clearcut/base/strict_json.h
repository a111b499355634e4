#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "clearcut/base/result.h"

namespace clearcut::base {

// Containers nested deeper than this in untrusted JSON are refused: answers and stored copies
// are written by recursive code (nlohmann's dump), so depth is bounded where the bytes come in.
inline constexpr int kMaxJsonDepth = 64;

// Parses untrusted JSON text strictly: RFC 8259 syntax and UTF-8 (nlohmann), no key twice in
// one object, no NUL character in a key or string, containers nested at most `max_depth`
// deep. Errors are kInvalidArgument naming the dotted field path where the text went wrong.
// Iterative: no recursion on the input's depth. The size limit is the caller's.
base::Result<nlohmann::json> parse_strict_json(std::string_view text,
                                               int max_depth = kMaxJsonDepth);

}  // namespace clearcut::base
