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

}  // namespace clearcut::base
