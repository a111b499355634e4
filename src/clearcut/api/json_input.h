#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clearcut/base/result.h"

namespace clearcut::api {

// A request body read strictly: a JSON object whose keys are all expected, with typed getters
// whose errors name the field. Internal to api/.
class JsonInput {
 public:
  static base::Result<JsonInput> parse(const std::string& body,
                                       const std::vector<std::string>& allowed);

  bool has(const std::string& key) const { return object_.contains(key); }
  base::Result<std::string> text(const std::string& key, bool required = true) const;
  base::Result<int64_t> integer(const std::string& key, bool required = true) const;
  base::Result<bool> boolean(const std::string& key, bool fallback) const;
  const nlohmann::json& raw(const std::string& key) const { return object_.at(key); }

 private:
  nlohmann::json object_;
};

}  // namespace clearcut::api
