#include "clearcut/api/json_input.h"

#include <algorithm>

namespace clearcut::api {
namespace {

bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
           };
           return lower(x) == lower(y);
         });
}

}  // namespace

bool is_json_content_type(const http::HttpRequest& request) {
  std::optional<std::string_view> type = request.header("Content-Type");
  if (!type) {
    return false;
  }
  std::string_view media = type->substr(0, type->find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) {
    media.remove_suffix(1);
  }
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) {
    media.remove_prefix(1);
  }
  return ascii_iequals(media, "application/json");
}

base::Result<JsonInput> JsonInput::parse(const http::HttpRequest& request,
                                         const std::vector<std::string>& allowed) {
  if (!request.body.empty() && !is_json_content_type(request)) {
    return base::Error(base::ErrorCode::kUnsupported,
                       "the request body must be JSON, sent with Content-Type: application/json");
  }
  return parse_body(request.body, allowed);
}

base::Result<JsonInput> JsonInput::parse_body(std::string_view body,
                                              const std::vector<std::string>& allowed) {
  JsonInput in;
  in.object_ = CC_TRY(parse_strict_json(body));
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
