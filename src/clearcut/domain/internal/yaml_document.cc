#include "clearcut/domain/internal/yaml_document.h"

#include <libfyaml.h>

#include <cstdio>
#include <set>
#include <vector>

#include "clearcut/base/utf8.h"

namespace clearcut::domain::internal {
namespace {

struct DiagDeleter {
  void operator()(fy_diag* diag) const { fy_diag_destroy(diag); }
};
struct ParserDeleter {
  void operator()(fy_parser* parser) const { fy_parser_destroy(parser); }
};

// One event of the parser, given back to it when done.
class Event {
 public:
  Event(fy_parser* parser, fy_event* event) : parser_(parser), event_(event) {}
  ~Event() { fy_parser_event_free(parser_, event_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  fy_event* get() const { return event_; }

 private:
  fy_parser* parser_;
  fy_event* event_;
};

// JSON is read as JSON (libfyaml's JSON mode refuses YAML-only syntax) when the text opens an
// object; everything else is YAML 1.2.
bool looks_like_json(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  size_t start = text.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos && text[start] == '{';
}

// A key as a path segment: long keys are cut (at a UTF-8 boundary), so that a path through 64
// levels of long keys stays readable.
std::string shortened(const std::string& key) {
  constexpr size_t kMaxSegment = 64;
  if (key.size() <= kMaxSegment) {
    return key;
  }
  size_t cut = kMaxSegment;
  while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return key.substr(0, cut) + "...";
}

// Builds the tree from the parser's events, one at a time: the only stack is `stack_`, which the
// depth limit bounds, so no input can make anything here (or in the tree) recurse.
class Builder {
 public:
  Builder(std::string_view text, const std::string& file)
      : text_(text), file_(file), json_(looks_like_json(text)) {}

  base::Result<std::unique_ptr<YamlStorage>> run();

 private:
  struct Frame {
    uint32_t node = 0;
    bool is_map = false;
    bool want_key = true;  // mappings: the next node completes a key, not a value
    std::string key;       // mappings: the key whose value is being read
    size_t items = 0;      // sequences: items read so far
    std::vector<uint32_t> children;
    std::set<std::string> keys;  // mappings: keys read so far
  };

  base::Status handle(fy_event* event);
  base::Status check_properties(fy_event* event, fy_token* anchor, fy_token* tag);
  base::Result<uint32_t> add_node(YamlKind kind, const fy_mark* mark);
  base::Status open(fy_event* event, bool is_map, fy_token* anchor, fy_token* tag);
  base::Status close();
  base::Status attach(uint32_t node);
  base::Error parse_error() const;
  // Where a scalar starts for a reader: at its opening quote or block indicator.
  fy_mark scalar_mark(const fy_mark* start, YamlStyle style) const;
  // libfyaml marks the name of an anchor or alias; readers look for its `&` or `*`.
  fy_mark indicator_mark(const fy_mark* name, char indicator) const;
  // The field path of the node being read in the first `frames` frames of the stack.
  std::string path(size_t frames) const;
  base::Error error_at(const fy_mark* mark, std::string message, std::string field = "") const;

  std::string_view text_;
  const std::string& file_;
  bool json_;
  std::unique_ptr<YamlStorage> storage_ = std::make_unique<YamlStorage>();
  std::vector<Frame> stack_;
  int documents_ = 0;
  fy_mark last_end_{0, 0, 0};
  std::string diag_output_;  // diagnostics libfyaml gives without a position
  fy_diag* diag_ = nullptr;
};

base::Result<std::unique_ptr<YamlStorage>> Builder::run() {
  fy_diag_cfg diag_cfg;
  fy_diag_cfg_default(&diag_cfg);
  diag_cfg.fp = nullptr;
  diag_cfg.output_fn = [](fy_diag*, void* user, const char* buf, size_t len) {
    static_cast<std::string*>(user)->append(buf, len);
  };
  diag_cfg.user = &diag_output_;
  diag_cfg.colorize = false;
  std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&diag_cfg));
  if (!diag) {
    return base::internal_error("cannot create a YAML diagnostics object");
  }
  // Errors with a position are collected (read back in parse_error); the rest reach output_fn.
  fy_diag_set_collect_errors(diag.get(), true);
  diag_ = diag.get();

  fy_parse_cfg cfg{};
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 |
                                              (json_ ? FYPCF_JSON_FORCE : FYPCF_JSON_NONE));
  cfg.diag = diag.get();
  std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
  if (!parser || fy_parser_set_string(parser.get(), text_.data(), text_.size()) != 0) {
    return base::internal_error("cannot create a YAML parser");
  }
  while (true) {
    fy_event* raw = fy_parser_parse(parser.get());
    if (raw == nullptr) {
      if (fy_parser_get_stream_error(parser.get())) {
        return parse_error();
      }
      break;
    }
    Event event(parser.get(), raw);
    CC_TRY(handle(raw));
    if (const fy_mark* end = fy_event_end_mark(raw)) {
      last_end_ = *end;
    }
  }
  if (storage_->nodes.empty()) {  // no document at all: an empty (null) root
    storage_->nodes.push_back({YamlKind::kNull, YamlStyle::kPlain, 1, 1, "", 0, 0});
  }
  return std::move(storage_);
}

base::Status Builder::handle(fy_event* event) {
  switch (event->type) {
    case FYET_NONE:
    case FYET_STREAM_START:
    case FYET_STREAM_END:
    case FYET_DOCUMENT_END:
      return {};
    case FYET_DOCUMENT_START: {
      if (++documents_ > 1) {
        return error_at(fy_event_start_mark(event),
                        "a second document; a file holds exactly one (remove `---` or `...`)");
      }
      // YAML 1.2 §9.2: directives end with `---`; libfyaml lets the marker be left out.
      fy_document_state* state = event->document_start.document_state;
      if (event->document_start.implicit && state != nullptr &&
          (fy_document_state_version_explicit(state) || fy_document_state_tags_explicit(state))) {
        return error_at(fy_event_start_mark(event),
                        "malformed YAML: a %YAML or %TAG directive must be followed by `---`");
      }
      return {};
    }
    case FYET_MAPPING_START:
      return open(event, true, event->mapping_start.anchor, event->mapping_start.tag);
    case FYET_SEQUENCE_START:
      return open(event, false, event->sequence_start.anchor, event->sequence_start.tag);
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
      return close();
    case FYET_SCALAR: {
      CC_TRY(check_properties(event, event->scalar.anchor, event->scalar.tag));
      size_t length = 0;
      const char* chars = fy_token_get_text(event->scalar.value, &length);
      std::string text = chars != nullptr ? std::string(chars, length) : std::string();
      YamlStyle style = YamlStyle::kPlain;
      switch (fy_token_scalar_style(event->scalar.value)) {
        case FYSS_SINGLE_QUOTED:
          style = YamlStyle::kSingleQuoted;
          break;
        case FYSS_DOUBLE_QUOTED:
          style = YamlStyle::kDoubleQuoted;
          break;
        case FYSS_LITERAL:
          style = YamlStyle::kLiteral;
          break;
        case FYSS_FOLDED:
          style = YamlStyle::kFolded;
          break;
        default:
          break;
      }
      // The YAML 1.2 core schema's null, which only a plain scalar can be.
      bool null = style == YamlStyle::kPlain && (text.empty() || text == "~" || text == "null" ||
                                                 text == "Null" || text == "NULL");
      fy_mark at = scalar_mark(fy_event_start_mark(event), style);
      uint32_t id = CC_TRY(add_node(null ? YamlKind::kNull : YamlKind::kScalar, &at));
      YamlNodeData& data = storage_->nodes[id];
      data.style = style;
      if (!null) {
        data.text = std::move(text);
      }
      return attach(id);
    }
    case FYET_ALIAS: {
      fy_mark at = indicator_mark(fy_event_start_mark(event), '*');
      return error_at(&at, "aliases (*name) are not supported; write the value out",
                      path(stack_.size()));
    }
  }
  return {};
}

base::Status Builder::check_properties(fy_event* event, fy_token* anchor, fy_token* tag) {
  if (anchor != nullptr) {
    const fy_mark* mark = fy_token_start_mark(anchor);
    fy_mark at = indicator_mark(mark != nullptr ? mark : fy_event_start_mark(event), '&');
    return error_at(&at, "anchors (&name) are not supported; write the value out",
                    path(stack_.size()));
  }
  if (tag != nullptr) {
    const fy_mark* mark = fy_token_start_mark(tag);
    return error_at(mark != nullptr ? mark : fy_event_start_mark(event),
                    "tags (!name) are not supported; quote the value to make it text",
                    path(stack_.size()));
  }
  return {};
}

base::Result<uint32_t> Builder::add_node(YamlKind kind, const fy_mark* mark) {
  if (storage_->nodes.size() >= kMaxYamlNodes) {
    return error_at(mark, "more than " + std::to_string(kMaxYamlNodes) + " values in one file");
  }
  // An empty scalar has no position of its own: it sits where the text before it ended.
  const fy_mark& at = mark != nullptr ? *mark : last_end_;
  storage_->nodes.push_back({kind, YamlStyle::kPlain, at.line + 1, at.column + 1, "", 0, 0});
  return static_cast<uint32_t>(storage_->nodes.size() - 1);
}

base::Status Builder::open(fy_event* event, bool is_map, fy_token* anchor, fy_token* tag) {
  CC_TRY(check_properties(event, anchor, tag));
  const fy_mark* mark = fy_event_start_mark(event);
  if (!stack_.empty() && stack_.back().is_map && stack_.back().want_key) {
    return error_at(mark, "a key must be text, not a mapping or a list", path(stack_.size() - 1));
  }
  if (stack_.size() >= static_cast<size_t>(kMaxYamlDepth)) {
    return error_at(mark,
                    "nested too deeply (more than " + std::to_string(kMaxYamlDepth) + " levels)",
                    path(stack_.size()));
  }
  uint32_t id = CC_TRY(add_node(is_map ? YamlKind::kMap : YamlKind::kSequence, mark));
  Frame frame;
  frame.node = id;
  frame.is_map = is_map;
  stack_.push_back(std::move(frame));
  return {};
}

base::Status Builder::close() {
  CC_CHECK(!stack_.empty());
  Frame& frame = stack_.back();
  YamlNodeData& data = storage_->nodes[frame.node];
  data.first_child = static_cast<uint32_t>(storage_->children.size());
  data.child_count = static_cast<uint32_t>(frame.children.size());
  storage_->children.insert(storage_->children.end(), frame.children.begin(), frame.children.end());
  uint32_t id = frame.node;
  stack_.pop_back();
  return attach(id);
}

base::Status Builder::attach(uint32_t node) {
  if (stack_.empty()) {
    return {};  // the root, nodes[0]
  }
  Frame& parent = stack_.back();
  const YamlNodeData& data = storage_->nodes[node];
  if (parent.is_map && parent.want_key) {
    // Containers as keys were refused when they opened.
    // All spellings of null (`~`, `null`, empty) are the same key.
    std::string signature = data.kind == YamlKind::kNull ? "n" : "s" + data.text;
    std::string field = data.kind == YamlKind::kNull ? "null" : data.text;
    if (!parent.keys.insert(std::move(signature)).second) {
      std::string at = path(stack_.size() - 1);
      fy_mark mark{0, data.line - 1, data.column - 1};
      return error_at(&mark, "field given twice",
                      at.empty() ? shortened(field) : at + "." + shortened(field));
    }
    parent.key = std::move(field);
    parent.want_key = false;
  } else if (parent.is_map) {
    parent.want_key = true;
  } else {
    ++parent.items;
  }
  parent.children.push_back(node);
  return {};
}

fy_mark Builder::indicator_mark(const fy_mark* name, char indicator) const {
  fy_mark at = name != nullptr ? *name : last_end_;
  if (at.input_pos > 0 && at.column > 0 && at.input_pos <= text_.size() &&
      text_[at.input_pos - 1] == indicator) {
    --at.input_pos;
    --at.column;
  }
  return at;
}

fy_mark Builder::scalar_mark(const fy_mark* start, YamlStyle style) const {
  fy_mark at = start != nullptr ? *start : last_end_;
  if (style == YamlStyle::kSingleQuoted || style == YamlStyle::kDoubleQuoted) {
    // libfyaml marks the first character inside the quotes.
    char quote = style == YamlStyle::kSingleQuoted ? '\'' : '"';
    at = indicator_mark(&at, quote);
  } else if (style == YamlStyle::kLiteral || style == YamlStyle::kFolded) {
    // libfyaml marks the first line of content; the indicator comes after the text before it
    // (the key, `- `), outside comments.
    fy_mark cursor = last_end_;
    bool comment = false;
    for (size_t i = last_end_.input_pos; i < at.input_pos && i < text_.size(); ++i) {
      char c = text_[i];
      if (!comment && (c == '|' || c == '>')) {
        return cursor;
      }
      comment = c == '\n' ? false : comment || c == '#';
      cursor.input_pos = i + 1;
      if (c == '\n') {
        ++cursor.line;
        cursor.column = 0;
      } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++cursor.column;
      }
    }
  }
  return at;
}

std::string Builder::path(size_t frames) const {
  std::string out;
  for (size_t i = 0; i < frames; ++i) {
    const Frame& frame = stack_[i];
    if (frame.is_map) {
      out += out.empty() ? "" : ".";
      out += shortened(frame.key);
    } else {
      out += "[" + std::to_string(frame.items) + "]";
    }
  }
  return out;
}

base::Error Builder::error_at(const fy_mark* mark, std::string message, std::string field) const {
  const fy_mark& at = mark != nullptr ? *mark : last_end_;
  base::Error error = base::invalid_argument(std::move(message));
  error.with_location({file_, at.line + 1, at.column + 1});
  if (!field.empty()) {
    error.with_field(std::move(field));
  }
  return error;
}

base::Error Builder::parse_error() const {
  std::string prefix = json_ ? "malformed JSON: " : "malformed YAML: ";
  void* iterator = nullptr;
  while (fy_diag_error* e = fy_diag_errors_iterate(diag_, &iterator)) {
    if (e->type >= FYET_ERROR && e->msg != nullptr) {
      std::string message = e->msg;
      // What an unclosed quote usually looks like: the next line is not indented as a
      // continuation of the quoted text would have to be.
      if (message.find("wrongly indented") != std::string::npos &&
          message.find("quoted scalar") != std::string::npos) {
        message += " (is its closing quote missing?)";
      }
      // Collected positions are 1-based already.
      return base::invalid_argument(prefix + message)
          .with_location({file_, e->line > 0 ? e->line : 1, e->column > 0 ? e->column : 1});
    }
  }
  // A few errors come without a position ("indentation indicator 0"): place them where the
  // last good event ended, which is where the parser gave up.
  std::string message = diag_output_;
  if (message.starts_with("[ERR]: ")) {
    message.erase(0, 7);
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return base::invalid_argument(prefix + (message.empty() ? "the parser stopped here" : message))
      .with_location({file_, last_end_.line + 1, last_end_.column + 1});
}

}  // namespace

namespace {

// YAML 1.2 §5.1 (c-printable) and RFC 8259 §7 allow no control characters in the text but tab,
// line feed and carriage return (escapes in double quotes stay possible). libfyaml lets some
// through, even NUL. `text` is valid UTF-8.
base::Status check_printable(std::string_view text, const std::string& file) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) {
      continue;  // inside a multi-byte sequence, judged at its first byte
    }
    uint32_t code = byte;
    if (byte == 0xC2 && i + 1 < text.size()) {  // U+0080..U+00BF: C1 controls but NEL
      code = (static_cast<unsigned char>(text[i + 1]) & 0x3FU) | 0x80U;
    } else if (byte == 0xEF && i + 2 < text.size() && text[i + 1] == '\xBF' &&
               (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
      code = text[i + 2] == '\xBE' ? 0xFFFE : 0xFFFF;
    }
    bool control = (code < 0x20 && code != '\t' && code != '\n' && code != '\r') ||
                   (code >= 0x7F && code <= 0x9F && code != 0x85) || code >= 0xFFFE;
    if (control) {
      char name[16];
      std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(code));
      return base::invalid_argument(std::string("control character ") + name +
                                    " in the text; write it as an escape inside double quotes")
          .with_location({file, line, column});
    }
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {};
}

}  // namespace

base::Result<YamlDocument> YamlDocument::parse(std::string_view text, const std::string& file) {
  if (text.size() > kMaxYamlBytes) {
    return base::invalid_argument("too large: " + std::to_string(text.size()) +
                                  " bytes; the limit is " + std::to_string(kMaxYamlBytes >> 20) +
                                  " MiB")
        .with_location({file, 1, 1});
  }
  // Everything read here may end up in JSON (decisions, the API), which must be UTF-8.
  if (std::optional<size_t> bad = base::find_invalid_utf8(text)) {
    int line = 1;
    int column = 1;
    for (size_t i = 0; i < *bad; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return base::invalid_argument("not UTF-8 text (byte " + std::to_string(*bad) + ")")
        .with_location({file, line, column});
  }
  CC_TRY(check_printable(text, file));
  Builder builder(text, file);
  std::unique_ptr<YamlStorage> storage = CC_TRY(builder.run());
  return YamlDocument(std::move(storage));
}

}  // namespace clearcut::domain::internal
