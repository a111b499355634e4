#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clearcut::pdf {

// The three faces a text document uses: the PDF standard fonts Helvetica, Helvetica-Bold and
// Courier (ISO 32000-1 §9.6.2.2), which every reader has, so nothing is embedded.
enum class Face { kRegular, kBold, kMono };

// A file carried inside the PDF (ISO 32000-1 §7.11.4, embedded file streams), stored
// uncompressed so that it can be read back byte for byte.
struct EmbeddedFile {
  std::string name;        // e.g. "approval-7-certificate.json"
  std::string media_type;  // e.g. "application/json"
  std::string description;
  std::string bytes;
};

// Builds a text-only PDF 1.7 document on A4 pages: paragraphs wrapped to the page width, page
// breaks where a page fills, "page N of M" at each foot, and embedded files. The same calls
// give the same bytes (no clock, no random file identifier): a reader can re-render a
// document and compare. Text is UTF-8; what WinAnsiEncoding cannot show (beyond Latin-1 and a
// few punctuation marks) prints as '?', while the title and file names keep every character
// (UTF-16 strings). Not thread-safe; a plain value.
class TextDocument {
 public:
  // `created` is an ISO 8601 UTC time ("2026-12-06T10:00:00Z") or empty.
  TextDocument(std::string title, std::string created);

  // A paragraph in `face` at `size` points, `space_before` points below what precedes it,
  // indented by `indent` points. Wraps at spaces; a word wider than the line is cut. Newlines
  // in `text` start new lines.
  void paragraph(std::string_view text, Face face = Face::kRegular, double size = 10,
                 double space_before = 0, double indent = 0);

  void attach(EmbeddedFile file);

  // The document's bytes.
  std::string finish() const;

 private:
  struct Line {
    Face face;
    double size;
    double x;
    double y;
    std::string text;  // WinAnsi bytes
  };
  void new_page();

  std::string title_;
  std::string created_;
  std::vector<std::vector<Line>> pages_;
  double y_ = 0;  // baseline of the next line on the current page
  std::vector<EmbeddedFile> files_;
};

// The bytes of the embedded file `name` in a PDF that TextDocument wrote, or nullopt. Reads
// only that layout (it is not a PDF parser): whatever else a file holds, the caller re-renders
// and compares to know the document is unchanged. Safe on any bytes.
std::optional<std::string_view> find_embedded_file(std::string_view pdf, std::string_view name);

// `text` (UTF-8) in WinAnsiEncoding: ASCII and Latin-1 as they are, the typographic quotes,
// dashes, bullet, ellipsis and euro sign at their WinAnsi codes, anything else (and malformed
// UTF-8) as '?'; control characters other than '\n' as spaces.
std::string to_win_ansi(std::string_view text);

// The width of WinAnsi `text` in `face` at 1 point, in points.
double text_width(std::string_view win_ansi, Face face);

}  // namespace clearcut::pdf
