#include "clearcut/domain/internal/yaml_emitter.h"

#include <cstdio>
#include <vector>

namespace clearcut::domain::internal {
namespace {

// Plain style only for text that reads back as the same text and never as null: letters,
// digits and a few safe punctuation marks, not starting with an indicator.
bool plain_is_safe(const std::string& text) {
  if (text.empty() || text == "null" || text == "Null" || text == "NULL" || text == "~" ||
      text.front() == '-' || text.front() == '.' || text.front() == ' ' || text.back() == ' ') {
    return false;
  }
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == '/' || c == ' ';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// The code point of the multi-byte UTF-8 sequence at text[i] when it must be escaped: C1
// controls and NEL (U+0080..U+009F), the line and paragraph separators (U+2028, U+2029) and the
// non-characters U+FFFE and U+FFFF; 0 otherwise. Sets *length to the sequence's length.
uint32_t needs_escape(const std::string& text, size_t i, size_t* length) {
  auto at = [&](size_t k) {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0;
  };
  if (at(i) == 0xC2 && at(i + 1) >= 0x80 && at(i + 1) <= 0x9F) {
    *length = 2;
    return at(i + 1);
  }
  if (at(i) == 0xE2 && at(i + 1) == 0x80 && (at(i + 2) == 0xA8 || at(i + 2) == 0xA9)) {
    *length = 3;
    return 0x2000U | (at(i + 2) & 0x3FU);
  }
  if (at(i) == 0xEF && at(i + 1) == 0xBF && (at(i + 2) == 0xBE || at(i + 2) == 0xBF)) {
    *length = 3;
    return 0xFFC0U | (at(i + 2) & 0x3FU);
  }
  return 0;
}

void append_double_quoted(const std::string& text, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    auto byte = static_cast<unsigned char>(c);
    size_t length = 0;
    if (uint32_t code = needs_escape(text, i, &length); code != 0) {
      char escaped[16];  // "\\uXXXX" (codes are at most U+FFFF; the compiler cannot tell)
      std::snprintf(escaped, sizeof escaped, "\\u%04X", static_cast<unsigned>(code));
      *out += escaped;
      i += length - 1;
    } else if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      *out += "\\n";
    } else if (c == '\t') {
      *out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[16];  // "\\uXXXX" (codes are at most U+FFFF; the compiler cannot tell)
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      *out += escaped;
    } else {
      out->push_back(c);  // UTF-8 passes through; the parser checked it
    }
  }
  out->push_back('"');
}

// A node written on the line where it starts: scalars, null and empty collections.
bool is_leaf(const YamlNode& node) {
  return node.size() == 0;
}

void append_leaf(const YamlNode& node, std::string* out) {
  switch (node.kind()) {
    case YamlKind::kNull:
      *out += "null";
      return;
    case YamlKind::kScalar:
      if (plain_is_safe(node.text())) {
        *out += node.text();
      } else {
        append_double_quoted(node.text(), out);
      }
      return;
    case YamlKind::kSequence:
      *out += "[]";
      return;
    case YamlKind::kMap:
      *out += "{}";
      return;
  }
}

}  // namespace

std::string emit_yaml(const YamlNode& root) {
  std::string out;
  if (is_leaf(root)) {
    append_leaf(root, &out);
    out += "\n";
    return out;
  }
  struct Frame {
    YamlNode node;
    size_t next;
    size_t indent;
    bool first_inline;  // the first entry continues a "- " line
  };
  std::vector<Frame> stack;
  stack.push_back({root, 0, 0, false});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.next == frame.node.size()) {
      stack.pop_back();
      continue;
    }
    size_t i = frame.next++;
    if (i > 0 || !frame.first_inline) {
      out.append(frame.indent, ' ');
    }
    YamlNode child = frame.node.is_map() ? frame.node.value(i) : frame.node.item(i);
    if (frame.node.is_map()) {
      append_leaf(frame.node.key(i), &out);
      out += ":";
      if (is_leaf(child)) {
        out += " ";
        append_leaf(child, &out);
        out += "\n";
      } else {
        out += "\n";
        stack.push_back({child, 0, frame.indent + 2, false});  // invalidates `frame`
      }
    } else {
      out += "- ";
      if (is_leaf(child)) {
        append_leaf(child, &out);
        out += "\n";
      } else {
        stack.push_back({child, 0, frame.indent + 2, true});  // invalidates `frame`
      }
    }
  }
  return out;
}

}  // namespace clearcut::domain::internal
