#include "clearcut/clearance/declaration_diff.h"

#include <utility>

#include <nlohmann/json.hpp>

namespace clearcut::clearance {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxValueChars = 80;
constexpr size_t kMaxDescribed = 20;

// How a leaf reads: text as it is, a list as its items joined ("none" when empty).
std::string value_text(const Json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_array()) {
    if (value.empty()) {
      return "none";
    }
    std::string out;
    for (const Json& item : value) {
      out += (out.empty() ? "" : ", ") + value_text(item);
    }
    return out;
  }
  if (value.is_boolean()) {
    return value.get<bool>() ? "yes" : "no";
  }
  return value.dump();
}

bool is_list_of_objects(const Json& value) {
  return value.is_array() && !value.empty() && value.front().is_object();
}

// Every leaf of `json` under `prefix`, in order: objects by key, lists of objects (the
// pipeline) by index, anything else is a value.
void flatten(const Json& json, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>* out) {
  if (json.is_object()) {
    for (const auto& [key, value] : json.items()) {
      flatten(value, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (is_list_of_objects(json)) {
    for (size_t i = 0; i < json.size(); ++i) {
      flatten(json[i], prefix + "[" + std::to_string(i) + "]", out);
    }
  } else {
    out->emplace_back(prefix, value_text(json));
  }
}

base::Result<std::vector<std::pair<std::string, std::string>>> leaves(std::string_view text,
                                                                      const char* which) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return base::invalid_argument(std::string("the ") + which +
                                  " declaration is not a JSON object");
  }
  std::vector<std::pair<std::string, std::string>> out;
  flatten(json, "", &out);
  return out;
}

// A value for the history line: quoted when it has spaces, cut at a character boundary.
std::string shown(const std::string& value) {
  if (value.empty()) {
    return "(absent)";
  }
  std::string text = value;
  if (text.size() > kMaxValueChars) {
    size_t cut = kMaxValueChars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;  // not inside a UTF-8 sequence
    }
    text = text.substr(0, cut) + "…";
  }
  return text.find(' ') == std::string::npos ? text : "\"" + text + "\"";
}

}  // namespace

base::Result<std::vector<FieldChange>> diff_declarations(std::string_view before_json,
                                                         std::string_view after_json) {
  auto before = CC_TRY(leaves(before_json, "earlier"));
  auto after = CC_TRY(leaves(after_json, "later"));
  std::vector<FieldChange> changes;
  std::vector<bool> matched(after.size(), false);
  for (const auto& [field, value] : before) {
    std::string now;
    for (size_t i = 0; i < after.size(); ++i) {
      if (!matched[i] && after[i].first == field) {
        matched[i] = true;
        now = after[i].second;
        break;
      }
    }
    if (now != value) {
      changes.push_back({field, value, now});
    }
  }
  for (size_t i = 0; i < after.size(); ++i) {
    if (!matched[i]) {
      changes.push_back({after[i].first, "", after[i].second});
    }
  }
  return changes;
}

std::string describe_changes(const std::vector<FieldChange>& changes) {
  std::string out;
  for (size_t i = 0; i < changes.size() && i < kMaxDescribed; ++i) {
    out += (out.empty() ? "" : "; ") + changes[i].field + ": " + shown(changes[i].from) + " → " +
           shown(changes[i].to);
  }
  if (changes.size() > kMaxDescribed) {
    out += "; and " + std::to_string(changes.size() - kMaxDescribed) + " more";
  }
  return out;
}

}  // namespace clearcut::clearance
