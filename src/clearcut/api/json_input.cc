#include "clearcut/api/json_input.h"

#include <algorithm>
#include <set>

namespace clearcut::api {
namespace {

using nlohmann::json;

// Walks nlohmann's parse events (its parser keeps its own stack, so this runs in constant
// native stack space) and records the first violation with the path where it happened.
class StrictJsonChecker {
 public:
  explicit StrictJsonChecker(int max_depth) : max_depth_(max_depth) {}

  bool on_event(int depth, json::parse_event_t event, json& parsed) {
    if (error_) {
      return false;  // discard the rest: the parse result is thrown away anyway
    }
    const auto level = static_cast<size_t>(std::max(depth, 0));
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        levels_.resize(std::min(level, levels_.size()));
        note_element();
        if (depth >= max_depth_) {
          fail("nested deeper than " + std::to_string(max_depth_) + " levels");
          return false;
        }
        levels_.push_back({event == json::parse_event_t::object_start, {}, 0, 0, {}});
        return true;
      case json::parse_event_t::key: {
        if (level == 0 || level > levels_.size()) {
          return true;
        }
        Level& object = levels_[level - 1];
        std::string key = parsed.is_string() ? parsed.get<std::string>() : std::string();
        object.key = key;
        if (key.find('\0') != std::string::npos) {
          fail("a field name contains a NUL character");
          return false;
        }
        if (!object.keys.insert(key).second) {
          fail("field given twice");
          return false;
        }
        return true;
      }
      case json::parse_event_t::value:
        levels_.resize(std::min(level, levels_.size()));
        note_element();
        if (parsed.is_string() &&
            parsed.get_ref<const std::string&>().find('\0') != std::string::npos) {
          fail("text contains a NUL character");
          return false;
        }
        return true;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        levels_.resize(std::min(level, levels_.size()));
        return true;
    }
    return true;
  }

  const std::optional<base::Error>& error() const { return error_; }

 private:
  struct Level {
    bool is_object;
    std::string key;             // objects: the key being read
    size_t next_index;           // arrays: the index the next element gets
    size_t index;                // arrays: the element being read
    std::set<std::string> keys;  // objects: keys seen so far
  };

  void note_element() {
    if (!levels_.empty() && !levels_.back().is_object) {
      levels_.back().index = levels_.back().next_index++;
    }
  }

  std::string path() const {
    std::string out;
    for (const Level& l : levels_) {
      if (l.is_object) {
        out += out.empty() ? l.key : "." + l.key;
      } else {
        out += "[" + std::to_string(l.index) + "]";
      }
    }
    return out;
  }

  void fail(std::string message) {
    base::Error e = base::invalid_argument(std::move(message));
    std::string where = path();
    if (!where.empty()) {
      e.with_field(std::move(where));
    }
    error_ = std::move(e);
  }

  int max_depth_;
  std::vector<Level> levels_;
  std::optional<base::Error> error_;
};

bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
           };
           return lower(x) == lower(y);
         });
}

}  // namespace

base::Result<nlohmann::json> parse_strict_json(std::string_view text, int max_depth) {
  StrictJsonChecker checker(max_depth);
  json value;
  try {
    value = json::parse(text.begin(), text.end(),
                        [&checker](int depth, json::parse_event_t event, json& parsed) {
                          return checker.on_event(depth, event, parsed);
                        });
  } catch (const json::parse_error& e) {
    if (checker.error()) {
      return *checker.error();
    }
    // what() is "[json.exception.parse_error.101] parse error at line 1, column 9: ...".
    std::string detail = e.what();
    size_t start = detail.find("] ");
    return base::invalid_argument("malformed JSON: " +
                                  (start == std::string::npos ? detail : detail.substr(start + 2)));
  }
  if (checker.error()) {
    return *checker.error();
  }
  return value;
}

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
