#include "clearcut/base/strict_json.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
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

// The common case, fast: reads what parse_strict_json accepts into the value nlohmann's parser
// builds from it (the same types, numbers converted alike, objects keyed the same), in one pass
// without a callback per value. It gives up (nullopt) wherever there is something to explain: a
// syntax error, a number out of a double's range, a key given twice, a NUL character, nesting as
// deep as the limit or kFastMaxDepth, a byte-order mark. The checked parse below then reads the
// text again and gives the error its words. Recursion is bounded by kFastMaxDepth.
class FastJsonReader {
 public:
  FastJsonReader(std::string_view text, int max_depth)
      : text_(text), max_depth_(std::min(max_depth, kFastMaxDepth)) {}

  std::optional<json> read() {
    json value;
    skip_space();
    if (!read_value(value, 0)) {
      return std::nullopt;
    }
    skip_space();
    if (pos_ != text_.size()) {
      return std::nullopt;
    }
    return value;
  }

 private:
  static constexpr int kFastMaxDepth = 64;

  bool at_end() const { return pos_ >= text_.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(text_[pos_]); }

  void skip_space() {
    while (!at_end()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      ++pos_;
    }
  }

  bool consume(char c) {
    if (at_end() || text_[pos_] != c) {
      return false;
    }
    ++pos_;
    return true;
  }

  bool read_value(json& out, int depth) {
    if (at_end()) {
      return false;
    }
    switch (text_[pos_]) {
      case '{':
        return read_object(out, depth);
      case '[':
        return read_array(out, depth);
      case '"': {
        std::string text;
        if (!read_string(text)) {
          return false;
        }
        out = std::move(text);
        return true;
      }
      case 't':
        return read_literal("true", out, json(true));
      case 'f':
        return read_literal("false", out, json(false));
      case 'n':
        return read_literal("null", out, json(nullptr));
      default:
        return read_number(out);
    }
  }

  bool read_literal(std::string_view word, json& out, json value) {
    if (text_.substr(pos_, word.size()) != word) {
      return false;
    }
    pos_ += word.size();
    out = std::move(value);
    return true;
  }

  bool read_object(json& out, int depth) {
    if (depth >= max_depth_) {
      return false;
    }
    ++pos_;  // '{'
    out = json::object();
    auto& object = out.get_ref<json::object_t&>();
    skip_space();
    if (consume('}')) {
      return true;
    }
    std::string key;
    for (;;) {
      key.clear();
      if (!read_string(key)) {
        return false;
      }
      skip_space();
      if (!consume(':')) {
        return false;
      }
      skip_space();
      auto [it, inserted] = object.try_emplace(std::move(key));
      if (!inserted || !read_value(it->second, depth + 1)) {
        return false;
      }
      skip_space();
      if (consume('}')) {
        return true;
      }
      if (!consume(',')) {
        return false;
      }
      skip_space();
    }
  }

  bool read_array(json& out, int depth) {
    if (depth >= max_depth_) {
      return false;
    }
    ++pos_;  // '['
    out = json::array();
    auto& array = out.get_ref<json::array_t&>();
    skip_space();
    if (consume(']')) {
      return true;
    }
    for (;;) {
      if (!read_value(array.emplace_back(), depth + 1)) {
        return false;
      }
      skip_space();
      if (consume(']')) {
        return true;
      }
      if (!consume(',')) {
        return false;
      }
      skip_space();
    }
  }

  // Four hex digits after "\u".
  bool read_hex4(uint32_t& code) {
    if (text_.size() - pos_ < 4) {
      return false;
    }
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      code = code * 16 + digit;
    }
    return true;
  }

  static void append_utf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  // The length of the well-formed UTF-8 sequence (RFC 3629 §4, as nlohmann's lexer checks it)
  // starting at pos_ with a byte of 0x80 or more; 0 when it is not one.
  size_t utf8_length() const {
    auto byte = [&](size_t i) -> unsigned {
      return pos_ + i < text_.size() ? static_cast<unsigned char>(text_[pos_ + i]) : 0u;
    };
    auto tail = [&](size_t i) {
      return byte(i) >= 0x80 && byte(i) <= 0xBF;
    };
    const unsigned lead = byte(0);
    if (lead >= 0xC2 && lead <= 0xDF) {
      return tail(1) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
      const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;
      const unsigned high = lead == 0xED ? 0x9F : 0xBF;
      return byte(1) >= low && byte(1) <= high && tail(2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      const unsigned low = lead == 0xF0 ? 0x90 : 0x80;
      const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;
      return byte(1) >= low && byte(1) <= high && tail(2) && tail(3) ? 4 : 0;
    }
    return 0;
  }

  bool read_string(std::string& out) {
    if (!consume('"')) {
      return false;
    }
    for (;;) {
      const size_t start = pos_;
      while (!at_end() && peek() >= 0x20 && peek() < 0x80 && peek() != '"' && peek() != '\\') {
        ++pos_;
      }
      out.append(text_.data() + start, pos_ - start);
      if (at_end() || peek() < 0x20) {  // unterminated, or a control character (NUL too)
        return false;
      }
      if (peek() == '"') {
        ++pos_;
        return true;
      }
      if (peek() >= 0x80) {
        const size_t length = utf8_length();
        if (length == 0) {
          return false;
        }
        out.append(text_.data() + pos_, length);
        pos_ += length;
        continue;
      }
      ++pos_;  // '\\'
      if (at_end()) {
        return false;
      }
      const char escape = text_[pos_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out.push_back(escape);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          uint32_t code = 0;
          if (!read_hex4(code) || code == 0 || (code >= 0xDC00 && code <= 0xDFFF)) {
            return false;  // NUL is refused with its field named; a lone low surrogate
          }
          if (code >= 0xD800 && code <= 0xDBFF) {
            uint32_t low = 0;
            if (!consume('\\') || !consume('u') || !read_hex4(low) || low < 0xDC00 ||
                low > 0xDFFF) {
              return false;
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default:
          return false;
      }
    }
  }

  // RFC 8259 §6; converted as nlohmann's lexer converts: an integer to int64_t (with a minus)
  // or uint64_t when it fits, anything else to the nearest double.
  bool read_number(json& out) {
    const size_t start = pos_;
    const bool negative = consume('-');
    if (at_end() || !is_digit(peek())) {
      return false;
    }
    if (!consume('0')) {
      skip_digits();
    }
    bool integer = true;
    if (consume('.')) {
      integer = false;
      if (at_end() || !is_digit(peek())) {
        return false;
      }
      skip_digits();
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      integer = false;
      ++pos_;
      if (!consume('+')) {
        (void)consume('-');
      }
      if (at_end() || !is_digit(peek())) {
        return false;
      }
      skip_digits();
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integer && negative) {
      int64_t value = 0;
      if (auto [end, ec] = std::from_chars(first, last, value); ec == std::errc() && end == last) {
        out = value;
        return true;
      }
    } else if (integer) {
      uint64_t value = 0;
      if (auto [end, ec] = std::from_chars(first, last, value); ec == std::errc() && end == last) {
        out = value;
        return true;
      }
    }
    double value = 0;
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last) {
      return false;  // beyond a double's range either way: nlohmann's words for it
    }
    out = value;
    return true;
  }

  static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
  void skip_digits() {
    while (!at_end() && is_digit(peek())) {
      ++pos_;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  int max_depth_;
};
}  // namespace

base::Result<nlohmann::json> parse_strict_json(std::string_view text, int max_depth) {
  if (std::optional<json> value = FastJsonReader(text, max_depth).read()) {
    return std::move(*value);
  }
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
