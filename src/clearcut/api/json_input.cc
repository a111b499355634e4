#include "clearcut/api/json_input.h"

namespace clearcut::api {

base::Result<JsonInput> JsonInput::parse(const std::string& body,
                                         const std::vector<std::string>& allowed) {
  JsonInput in;
  in.object_ = nlohmann::json::parse(body, nullptr, false);
  if (in.object_.is_discarded()) {
    return base::invalid_argument("malformed JSON body");
  }
  if (!in.object_.is_object()) {
    return base::invalid_argument("expected a JSON object");
  }
  for (const auto& [key, value] : in.object_.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string expected;
      for (const std::string& a : allowed) {
        expected += expected.empty() ? "" : ", ";
        expected += a;
      }
      return base::invalid_argument("unknown field; expected " + expected).with_field(key);
    }
  }
  return in;
}

base::Result<std::string> JsonInput::text(const std::string& key, bool required) const {
  if (!object_.contains(key)) {
    if (required) {
      return base::invalid_argument("required").with_field(key);
    }
    return std::string();
  }
  const auto& v = object_.at(key);
  if (!v.is_string()) {
    return base::invalid_argument("expected a string").with_field(key);
  }
  return v.get<std::string>();
}

base::Result<int64_t> JsonInput::integer(const std::string& key, bool required) const {
  if (!object_.contains(key)) {
    if (required) {
      return base::invalid_argument("required").with_field(key);
    }
    return int64_t{0};
  }
  const auto& v = object_.at(key);
  if (!v.is_number_integer()) {
    return base::invalid_argument("expected an integer").with_field(key);
  }
  return v.get<int64_t>();
}

base::Result<bool> JsonInput::boolean(const std::string& key, bool fallback) const {
  if (!object_.contains(key)) {
    return fallback;
  }
  const auto& v = object_.at(key);
  if (!v.is_boolean()) {
    return base::invalid_argument("expected true or false").with_field(key);
  }
  return v.get<bool>();
}

}  // namespace clearcut::api
