#pragma once

// Reports for people as PDF: headings, paragraphs, monospaced blocks and tables, laid out on A4
// pages with page breaks and "page N of M" footers. Cairo writes the PDF and Pango lays out the
// text (any script fontconfig has a font for: "Zoë Ødegård", "山田"), so that the text can be
// selected and extracted (pdftotext) as written. The only place that includes cairo or Pango.

#include <string>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::report_pdf {

// A table: a header row repeated on every page it runs onto, and rows of cells, as many as the
// header has. `widths` are the columns' shares of the text width (they need not add up to 1;
// empty: equal shares).
struct Table {
  std::vector<std::string> header;
  std::vector<double> widths;
  std::vector<std::vector<std::string>> rows;
};

// A document built block by block, then rendered. A block never splits a line of text across
// pages; a paragraph or monospaced block longer than a page runs on line by line; a table row
// taller than a whole page is set as "header: cell" lines instead, which run on the same way.
// Text that is not UTF-8 is shown with U+FFFD in place of each bad byte. A value type; render()
// may run on any thread.
class ReportDocument {
 public:
  // `title` goes into the PDF's metadata and every page's footer.
  explicit ReportDocument(std::string title) : title_(std::move(title)) {}

  void heading(std::string text, int level = 1);  // 1: the title, 2: a section, 3: a part
  void paragraph(std::string text);
  void monospace(std::string text);  // hashes, signed notes, JSON: kept as written
  void table(Table table);           // kInvalidArgument at render() when a row's width differs

  // The PDF's bytes. kInternal when cairo fails.
  base::Result<std::string> render() const;

 private:
  enum class Kind { kHeading1, kHeading2, kHeading3, kParagraph, kMonospace, kTable };
  struct Block {
    Kind kind = Kind::kParagraph;
    std::string text;
    Table table;
  };
  friend class Layout;

  std::string title_;
  std::vector<Block> blocks_;
};

}  // namespace clearcut::report_pdf
