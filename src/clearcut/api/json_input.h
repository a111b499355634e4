#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clearcut/api/http/http_request.h"
#include "clearcut/base/result.h"
#include "clearcut/base/strict_json.h"

namespace clearcut::api {

// The strict reader of untrusted JSON (base/strict_json.h), under the names api/ has used.
using base::kMaxJsonDepth;
using base::parse_strict_json;

// A request body read strictly: `application/json` (anything else with a body is
// kUnsupported: 415, which also keeps cross-site form posts out), parsed by
// parse_strict_json, a JSON object whose keys are all expected, with typed getters whose
// errors name the field. Internal to api/.
class JsonInput {
 public:
  static base::Result<JsonInput> parse(const http::HttpRequest& request,
                                       const std::vector<std::string>& allowed);
  // The body alone, without the Content-Type check (tests, fuzzing).
  static base::Result<JsonInput> parse_body(std::string_view body,
                                            const std::vector<std::string>& allowed);

  bool has(const std::string& key) const { return object_.contains(key); }
  base::Result<std::string> text(const std::string& key, bool required = true) const;
  base::Result<int64_t> integer(const std::string& key, bool required = true) const;
  base::Result<bool> boolean(const std::string& key, bool fallback) const;
  const nlohmann::json& raw(const std::string& key) const { return object_.at(key); }

 private:
  nlohmann::json object_;
};

// True when the request's Content-Type names application/json (parameters such as charset
// allowed, case-insensitive).
bool is_json_content_type(const http::HttpRequest& request);

}  // namespace clearcut::api
