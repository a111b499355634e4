#pragma once

#include <string>
#include <string_view>

namespace clearcut::base {

// Appends `text` to `out` as a JSON string, quotes included, escaped as nlohmann::json's
// dump() escapes (so that answers written by hand match those it writes, byte for byte): `"`,
// `\` and the C0 controls are escaped (\b \t \n \f \r by name, the rest as \u00xx in lower
// case); everything else, DEL and UTF-8 included, is copied. `text` must be UTF-8 (what the
// readers let through); it is not checked.
void append_json_string(std::string& out, std::string_view text);

// The same without the quotes: `text` escaped as it goes inside a JSON string.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace clearcut::base
