#include "clearcut/base/strict_json.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clearcut::base {
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

}  // namespace

base::Result<nlohmann::json> parse_strict_json(std::string_view text, int max_depth) {
  StrictJsonChecker checker(max_depth);
  json value;
  try {
    value = json::parse(text.begin(), text.end(),
                        [&checker](int depth, json::parse_event_t event, json& parsed) {
                          return checker.on_event(depth, event, parsed);
                        });
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number too large for a double ("1e999").
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

}  // namespace clearcut::base
