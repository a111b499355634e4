#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clearcut::base {

// `text` with ASCII A-Z lowered; other bytes (UTF-8 included) unchanged. For names that are
// ASCII by definition: e-mail addresses compared case-blind, file extensions, header names.
std::string ascii_lower(std::string text);

// `text` safe inside HTML text and quoted attribute values: & < > " ' as entities.
std::string html_escape(std::string_view text);

// The closest of `candidates` to `word` when it is a likely typo (an edit distance of at most
// max(2, |word| / 3)), else empty: "did you mean" for field names, subcommands, flags.
std::string closest_name(std::string_view word, const std::vector<std::string_view>& candidates);

// `text` with every byte but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~) written as
// %XX (upper case): a query parameter, or a field of an application/x-www-form-urlencoded body.
std::string percent_encode(std::string_view text);

}  // namespace clearcut::base
