#include "clearcut/pdf/text_document.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>

namespace clearcut::pdf {
namespace {

// A4 in points, and the text block inside it.
constexpr double kPageWidth = 595;
constexpr double kPageHeight = 842;
constexpr double kLeft = 56;
constexpr double kRight = kPageWidth - 56;
constexpr double kTop = kPageHeight - 60;
constexpr double kBottom = 60;
constexpr double kLeading = 1.3;  // line height as a multiple of the font size

// Glyph widths in 1/1000 em of the printable ASCII range (codes 32 to 126) in WinAnsiEncoding,
// from Adobe's font metrics for Helvetica and Helvetica-Bold; Courier is 600 throughout.
constexpr std::array<uint16_t, 95> kHelvetica = {
    278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // ' ' to /
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0 to ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // @ to O
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // P to _
    333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // ` to o
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // p to ~
constexpr std::array<uint16_t, 95> kHelveticaBold = {
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,  // ' ' to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,  // 0 to ?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,  // @ to O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,  // P to _
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,  // ` to o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584};      // p to ~
// Codes above 126 (accented letters, quotes): the widest common letter, so a line never
// overflows.
constexpr uint16_t kUpperRegular = 722;
constexpr uint16_t kUpperBold = 778;

// The next code point of UTF-8 `text` from `at` (advanced), or -1 for a malformed sequence
// (one byte skipped).
int32_t next_code_point(std::string_view text, size_t& at) {
  auto byte = [&](size_t i) {
    return static_cast<uint8_t>(text[i]);
  };
  uint8_t lead = byte(at);
  int length = lead < 0x80           ? 1
               : (lead >> 5) == 0x6  ? 2
               : (lead >> 4) == 0xE  ? 3
               : (lead >> 3) == 0x1E ? 4
                                     : 0;
  if (length == 0 || at + length > text.size()) {
    ++at;
    return -1;
  }
  int32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (int i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) {
      ++at;
      return -1;
    }
    code = (code << 6) | (byte(at + i) & 0x3F);
  }
  static constexpr std::array<int32_t, 5> kMinimum = {0, 0, 0x80, 0x800, 0x10000};
  at += length;
  if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return -1;
  }
  return code;
}

// WinAnsi's codes 128 to 159 that hold characters readers of English text expect.
char win_ansi_special(int32_t code) {
  switch (code) {
    case 0x20AC:
      return '\x80';  // euro
    case 0x2026:
      return '\x85';  // ellipsis
    case 0x2018:
      return '\x91';
    case 0x2019:
      return '\x92';
    case 0x201C:
      return '\x93';
    case 0x201D:
      return '\x94';
    case 0x2022:
      return '\x95';  // bullet
    case 0x2013:
      return '\x96';  // en dash
    case 0x2014:
      return '\x97';  // em dash
    case 0x2122:
      return '\x99';  // trade mark
    default:
      return '?';
  }
}

const char* font_resource(Face face) {
  switch (face) {
    case Face::kRegular:
      return "/F1";
    case Face::kBold:
      return "/F2";
    case Face::kMono:
      return "/F3";
  }
  return "/F1";
}

// A number as PDF content writes it: at most two decimals, no trailing zeros.
std::string number(double value) {
  std::array<char, 32> buffer{};
  int n = std::snprintf(buffer.data(), buffer.size(), "%.2f", value);
  std::string out(buffer.data(), static_cast<size_t>(std::max(n, 0)));
  while (out.find('.') != std::string::npos && (out.back() == '0' || out.back() == '.')) {
    out.pop_back();
  }
  return out == "-0" ? "0" : out;
}

// A literal string (ISO 32000-1 §7.3.4.2) of WinAnsi bytes.
std::string literal(std::string_view bytes) {
  std::string out = "(";
  for (char c : bytes) {
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<uint8_t>(c) < 0x20) {
      std::array<char, 8> octal{};
      std::snprintf(octal.data(), octal.size(), "\\%03o", static_cast<unsigned>(c) & 0xFFU);
      out += octal.data();
    } else {
      out += c;
    }
  }
  return out + ")";
}

// A text string of any characters: UTF-16BE with its byte order mark, as a hex string
// (ISO 32000-1 §7.9.2.2). Malformed UTF-8 becomes U+FFFD.
std::string unicode_string(std::string_view utf8) {
  std::string out = "<FEFF";
  auto unit = [&out](uint32_t u) {
    std::array<char, 8> hex{};
    std::snprintf(hex.data(), hex.size(), "%04X", u & 0xFFFFU);
    out += hex.data();
  };
  for (size_t at = 0; at < utf8.size();) {
    int32_t code = next_code_point(utf8, at);
    if (code < 0) {
      code = 0xFFFD;
    }
    if (code >= 0x10000) {
      uint32_t v = static_cast<uint32_t>(code) - 0x10000;
      unit(0xD800 + (v >> 10));
      unit(0xDC00 + (v & 0x3FF));
    } else {
      unit(static_cast<uint32_t>(code));
    }
  }
  return out + ">";
}

// "D:YYYYMMDDHHmmSSZ" (ISO 32000-1 §7.9.4) from an ISO 8601 UTC time; empty when it is not one.
std::string pdf_date(std::string_view iso) {
  if (iso.size() < 19 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' ||
      iso[16] != ':') {
    return "";
  }
  std::string digits;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (iso[i] < '0' || iso[i] > '9') {
      return "";
    }
    digits += iso[i];
  }
  return "D:" + digits + "Z";
}

// The media type as a PDF name: '/' and other delimiters as #xx (ISO 32000-1 §7.3.5).
std::string name_object(std::string_view text) {
  std::string out = "/";
  for (char c : text) {
    auto byte = static_cast<uint8_t>(c);
    bool plain = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                 (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '+' ||
                 byte == '_';
    if (plain) {
      out += c;
    } else {
      std::array<char, 4> hex{};
      std::snprintf(hex.data(), hex.size(), "#%02X", byte);
      out += hex.data();
    }
  }
  return out;
}

double glyph_width(uint8_t code, Face face) {
  if (face == Face::kMono) {
    return 600;
  }
  if (code >= 32 && code <= 126) {
    return face == Face::kBold ? kHelveticaBold[code - 32] : kHelvetica[code - 32];
  }
  return face == Face::kBold ? kUpperBold : kUpperRegular;
}

// `line` (WinAnsi, no newline) cut into pieces no wider than `width` points: at spaces where
// it can, inside a word when a word alone is wider.
std::vector<std::string> wrap(std::string_view line, Face face, double size, double width) {
  std::vector<std::string> out;
  std::string current;
  double current_width = 0;
  size_t at = 0;
  while (at < line.size()) {
    size_t end = line.find(' ', at);
    std::string_view word =
        line.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? line.size() : end + 1;
    double word_width = text_width(word, face) * size;
    double space = current.empty() ? 0 : text_width(" ", face) * size;
    if (current_width + space + word_width <= width) {
      if (!current.empty()) {
        current += ' ';
      }
      current += word;
      current_width += space + word_width;
      continue;
    }
    if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
      current_width = 0;
    }
    for (char c : word) {  // a word wider than the line is cut where it fills
      double w = glyph_width(static_cast<uint8_t>(c), face) / 1000 * size;
      if (current_width + w > width && !current.empty()) {
        out.push_back(std::move(current));
        current.clear();
        current_width = 0;
      }
      current += c;
      current_width += w;
    }
  }
  out.push_back(std::move(current));
  return out;
}

}  // namespace

std::string to_win_ansi(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    int32_t code = next_code_point(text, at);
    if (code == '\n') {
      out += '\n';
    } else if (code >= 0 && code < 0x20) {
      out += ' ';
    } else if (code >= 0x20 && code < 0x7F) {
      out += static_cast<char>(code);
    } else if (code == 0xA0) {
      out += ' ';
    } else if (code > 0xA0 && code <= 0xFF) {
      out += static_cast<char>(static_cast<uint8_t>(code));
    } else {
      out += win_ansi_special(code);
    }
  }
  return out;
}

double text_width(std::string_view win_ansi, Face face) {
  double sum = 0;
  for (char c : win_ansi) {
    sum += glyph_width(static_cast<uint8_t>(c), face);
  }
  return sum / 1000;
}

TextDocument::TextDocument(std::string title, std::string created)
    : title_(std::move(title)), created_(std::move(created)) {
  new_page();
}

void TextDocument::new_page() {
  pages_.emplace_back();
  y_ = kTop;
}

void TextDocument::paragraph(std::string_view text, Face face, double size, double space_before,
                             double indent) {
  size = std::clamp(size, 4.0, 72.0);
  indent = std::clamp(indent, 0.0, (kRight - kLeft) / 2);
  double line_height = size * kLeading;
  if (!pages_.back().empty()) {
    y_ -= space_before;
  }
  std::string encoded = to_win_ansi(text);
  size_t at = 0;
  while (true) {
    size_t end = encoded.find('\n', at);
    std::string_view line(encoded.data() + at,
                          (end == std::string::npos ? encoded.size() : end) - at);
    for (std::string& piece : wrap(line, face, size, kRight - kLeft - indent)) {
      if (y_ - line_height < kBottom) {
        new_page();
      }
      y_ -= line_height;
      pages_.back().push_back({face, size, kLeft + indent, y_ + (line_height - size), piece});
    }
    if (end == std::string::npos) {
      break;
    }
    at = end + 1;
  }
}

void TextDocument::attach(EmbeddedFile file) {
  files_.push_back(std::move(file));
}

std::string TextDocument::finish() const {
  // Objects: 1 catalog, 2 page tree, 3-5 fonts, 6 information; then per page its page object
  // and content stream; then per file its file specification and embedded file stream.
  const size_t page_count = pages_.size();
  const size_t first_page = 7;
  const size_t first_file = first_page + 2 * page_count;
  const size_t object_count = first_file + 2 * files_.size();  // plus object 0
  std::vector<size_t> offsets(object_count, 0);
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  auto begin_object = [&](size_t n) {
    offsets[n] = out.size();
    out += std::to_string(n) + " 0 obj\n";
  };
  auto ref = [](size_t n) {
    return std::to_string(n) + " 0 R";
  };

  std::vector<size_t> file_order(files_.size());
  for (size_t i = 0; i < file_order.size(); ++i) {
    file_order[i] = i;
  }
  // A name tree's keys are sorted (ISO 32000-1 §7.9.6).
  std::stable_sort(file_order.begin(), file_order.end(),
                   [this](size_t a, size_t b) { return files_[a].name < files_[b].name; });

  begin_object(1);
  out += "<< /Type /Catalog /Pages 2 0 R";
  if (!files_.empty()) {
    out += " /Names << /EmbeddedFiles << /Names [";
    for (size_t i : file_order) {
      out += " " + literal(to_win_ansi(files_[i].name)) + " " + ref(first_file + 2 * i);
    }
    out += " ] >> >> /AF [";
    for (size_t i = 0; i < files_.size(); ++i) {
      out += " " + ref(first_file + 2 * i);
    }
    out += " ]";
  }
  out += " >>\nendobj\n";

  begin_object(2);
  out += "<< /Type /Pages /Count " + std::to_string(page_count) + " /Kids [";
  for (size_t p = 0; p < page_count; ++p) {
    out += " " + ref(first_page + 2 * p);
  }
  out += " ] >>\nendobj\n";

  const std::array<const char*, 3> fonts = {"Helvetica", "Helvetica-Bold", "Courier"};
  for (size_t f = 0; f < fonts.size(); ++f) {
    begin_object(3 + f);
    out += std::string("<< /Type /Font /Subtype /Type1 /BaseFont /") + fonts[f] +
           " /Encoding /WinAnsiEncoding >>\nendobj\n";
  }

  begin_object(6);
  out += "<< /Title " + unicode_string(title_) + " /Producer (clearcut)";
  if (std::string date = pdf_date(created_); !date.empty()) {
    out += " /CreationDate (" + date + ")";
  }
  out += " >>\nendobj\n";

  std::string footer_title = to_win_ansi(title_);
  for (size_t p = 0; p < page_count; ++p) {
    begin_object(first_page + 2 * p);
    out += "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + number(kPageWidth) + " " +
           number(kPageHeight) +
           "] /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents " +
           ref(first_page + 2 * p + 1) + " >>\nendobj\n";
    std::string content = "BT\n";
    auto show = [&content](Face face, double size, double x, double y, std::string_view text) {
      content += std::string(font_resource(face)) + " " + number(size) + " Tf 1 0 0 1 " +
                 number(x) + " " + number(y) + " Tm " + literal(text) + " Tj\n";
    };
    for (const Line& line : pages_[p]) {
      show(line.face, line.size, line.x, line.y, line.text);
    }
    std::string page_label = "page " + std::to_string(p + 1) + " of " + std::to_string(page_count);
    show(Face::kRegular, 8, kLeft, kBottom - 28, footer_title.substr(0, 80));
    show(Face::kRegular, 8, kRight - text_width(page_label, Face::kRegular) * 8, kBottom - 28,
         page_label);
    content += "ET\n";
    begin_object(first_page + 2 * p + 1);
    out += "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
           "\nendstream\nendobj\n";
  }

  for (size_t i = 0; i < files_.size(); ++i) {
    const EmbeddedFile& file = files_[i];
    begin_object(first_file + 2 * i);
    out += "<< /Type /Filespec /F " + literal(to_win_ansi(file.name)) + " /UF " +
           unicode_string(file.name) + " /Desc " + unicode_string(file.description) +
           " /AFRelationship /Source /EF << /F " + ref(first_file + 2 * i + 1) + " /UF " +
           ref(first_file + 2 * i + 1) + " >> >>\nendobj\n";
    begin_object(first_file + 2 * i + 1);
    out += "<< /Type /EmbeddedFile /Subtype " + name_object(file.media_type) +
           " /Params << /Size " + std::to_string(file.bytes.size()) + " >> /Length " +
           std::to_string(file.bytes.size()) + " >>\nstream\n" + file.bytes +
           "\nendstream\nendobj\n";
  }

  // The cross-reference table: entries of exactly 20 bytes (ISO 32000-1 §7.5.4).
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(object_count) + "\n0000000000 65535 f\r\n";
  for (size_t n = 1; n < object_count; ++n) {
    std::array<char, 24> entry{};
    std::snprintf(entry.data(), entry.size(), "%010zu 00000 n\r\n", offsets[n]);
    out += entry.data();
  }
  out += "trailer\n<< /Size " + std::to_string(object_count) + " /Root 1 0 R /Info 6 0 R >>\n" +
         "startxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::optional<std::string_view> find_embedded_file(std::string_view pdf, std::string_view name) {
  // The file specification names its stream: "/F (<name>) ... /EF << /F <n> 0 R".
  std::string key = "<< /Type /Filespec /F " + literal(to_win_ansi(name)) + " ";
  size_t spec = pdf.find(key);
  if (spec == std::string_view::npos) {
    return std::nullopt;
  }
  constexpr std::string_view kStreamRef = "/EF << /F ";
  size_t at = pdf.find(kStreamRef, spec);
  size_t spec_end = pdf.find("endobj", spec);
  if (at == std::string_view::npos || spec_end == std::string_view::npos || at > spec_end) {
    return std::nullopt;
  }
  at += kStreamRef.size();
  size_t object = 0;
  auto parsed =
      std::from_chars(pdf.data() + at, pdf.data() + std::min(pdf.size(), at + 10), object);
  if (parsed.ec != std::errc() || parsed.ptr == pdf.data() + at) {
    return std::nullopt;
  }
  std::string header = "\n" + std::to_string(object) + " 0 obj\n<< /Type /EmbeddedFile ";
  size_t stream_object = pdf.find(header);
  if (stream_object == std::string_view::npos) {
    return std::nullopt;
  }
  constexpr std::string_view kLength = " /Length ";
  constexpr std::string_view kStream = " >>\nstream\n";
  size_t length_at = pdf.find(kLength, stream_object);
  size_t stream_at = pdf.find(kStream, stream_object);
  if (length_at == std::string_view::npos || stream_at == std::string_view::npos ||
      length_at > stream_at) {
    return std::nullopt;
  }
  length_at += kLength.size();
  size_t length = 0;
  auto length_parsed = std::from_chars(pdf.data() + length_at, pdf.data() + stream_at, length);
  if (length_parsed.ec != std::errc() || length_parsed.ptr != pdf.data() + stream_at) {
    return std::nullopt;
  }
  size_t begin = stream_at + kStream.size();
  if (begin > pdf.size() || length > pdf.size() - begin) {
    return std::nullopt;
  }
  return pdf.substr(begin, length);
}

}  // namespace clearcut::pdf
