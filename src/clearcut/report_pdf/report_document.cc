#include "clearcut/report_pdf/report_document.h"

#include <cairo.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <optional>
#include <string_view>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "clearcut/base/utf8.h"

#if defined(__SANITIZE_ADDRESS__)
// fontconfig 2.14.1 (Debian bookworm) leaks 288 bytes of its parsed configuration when Pango
// first loads it, once per process (FcInitLoadConfigAndFonts, under expat's XML_ParseBuffer):
// nothing this module holds. Without this every ASan build that renders a PDF (the tests, a
// `clearcut serve` stopped by SIGTERM) would exit non-zero.
extern "C" const char* __lsan_default_suppressions() {  // NOLINT(readability-identifier-naming)
  return "leak:libfontconfig.so\n";
}
#endif

namespace clearcut::report_pdf {
namespace {

// A4 in points, and the text area inside it.
constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMarginX = 56;
constexpr double kTop = 56;
constexpr double kBottom = kPageHeight - 64;
constexpr double kTextWidth = kPageWidth - 2 * kMarginX;
constexpr double kFooterBaseline = kPageHeight - 34;
constexpr double kCellPadding = 3;

// Families in order; fontconfig falls back to any installed font that has a glyph (Droid Sans
// Fallback for CJK in scripts/bootstrap's list).
constexpr const char* kSans = "DejaVu Sans, Sans";
constexpr const char* kMono = "DejaVu Sans Mono, Monospace";

struct CairoSurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoFree {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectFree {
  void operator()(void* o) const { g_object_unref(o); }
};
struct FontFree {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceFree>;
using CairoPtr = std::unique_ptr<cairo_t, CairoFree>;
using FontMapPtr = std::unique_ptr<PangoFontMap, GObjectFree>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectFree>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectFree>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontFree>;

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t discard_bytes(void* /*closure*/, const unsigned char* /*data*/,
                             unsigned int /*length*/) {
  return CAIRO_STATUS_SUCCESS;
}

// `text` with U+FFFD for each byte that is not part of well-formed UTF-8 and for NUL: Pango
// refuses a whole text over one bad byte.
std::string displayable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    std::optional<size_t> bad = base::find_invalid_utf8(text);
    size_t good = bad.value_or(text.size());
    for (char c : text.substr(0, good)) {
      out += c == '\0' ? std::string_view("\xEF\xBF\xBD") : std::string_view(&c, 1);
    }
    if (!bad) {
      break;
    }
    out += "\xEF\xBF\xBD";
    text.remove_prefix(good + 1);
  }
  return out;
}

FontPtr font(const char* family, double points, bool bold) {
  FontPtr f(pango_font_description_new());
  pango_font_description_set_family(f.get(), family);
  pango_font_description_set_absolute_size(f.get(), points * PANGO_SCALE);
  pango_font_description_set_weight(f.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  return f;
}

}  // namespace

// One pass over the blocks: measures, breaks pages and (when drawing) draws. render() runs it
// twice, the first time without drawing to count the pages for the footers.
class Layout {
 public:
  Layout(cairo_t* cr, PangoContext* context, const std::string& title, int total_pages, bool draw)
      : cr_(cr), context_(context), title_(title), total_pages_(total_pages), draw_(draw) {}

  void run(const std::vector<ReportDocument::Block>& blocks) {
    new_page();
    for (const ReportDocument::Block& block : blocks) {
      switch (block.kind) {
        case ReportDocument::Kind::kHeading1:
          heading(block.text, 16, 10);
          break;
        case ReportDocument::Kind::kHeading2:
          heading(block.text, 12.5, 6);
          break;
        case ReportDocument::Kind::kHeading3:
          heading(block.text, 10.5, 4);
          break;
        case ReportDocument::Kind::kParagraph:
          flow(text_layout(block.text, kSans, 9.5, false, kTextWidth).get(), kMarginX);
          y_ += 6;
          break;
        case ReportDocument::Kind::kMonospace:
          flow(text_layout(block.text, kMono, 7, false, kTextWidth).get(), kMarginX);
          y_ += 6;
          break;
        case ReportDocument::Kind::kTable:
          table(block.table);
          y_ += 8;
          break;
      }
    }
    footer();
    cairo_show_page(cr_);
  }

  int pages() const { return page_; }

 private:
  LayoutPtr text_layout(const std::string& text, const char* family, double points, bool bold,
                        double width) const {
    LayoutPtr layout(pango_layout_new(context_));
    FontPtr f = font(family, points, bold);
    pango_layout_set_font_description(layout.get(), f.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    std::string shown = displayable(text);
    pango_layout_set_text(layout.get(), shown.c_str(), static_cast<int>(shown.size()));
    return layout;
  }

  static double height_of(PangoLayout* layout) {
    int width = 0;
    int height = 0;
    pango_layout_get_size(layout, &width, &height);
    return static_cast<double>(height) / PANGO_SCALE;
  }

  void new_page() {
    if (page_ > 0) {
      footer();
      cairo_show_page(cr_);
    }
    ++page_;
    y_ = kTop;
  }

  void footer() {
    if (!draw_) {
      return;
    }
    std::string text =
        title_ + "  ·  page " + std::to_string(page_) + " of " + std::to_string(total_pages_);
    LayoutPtr layout = text_layout(text, kSans, 7.5, false, kTextWidth);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(cr_, 0.35, 0.35, 0.35);
    cairo_move_to(cr_, kMarginX, kFooterBaseline);
    pango_cairo_show_layout(cr_, layout.get());
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }

  void heading(const std::string& text, double points, double space_after) {
    LayoutPtr layout = text_layout(text, kSans, points, true, kTextWidth);
    // Keeps a heading with at least a few lines of what follows it.
    if (y_ > kTop && y_ + height_of(layout.get()) + 48 > kBottom) {
      new_page();
    }
    if (y_ > kTop) {
      y_ += points * 0.6;
    }
    flow(layout.get(), kMarginX);
    y_ += space_after;
  }

  // Sets `layout` at x, a line at a time, moving to a new page before a line that does not fit.
  void flow(PangoLayout* layout, double x) {
    PangoLayoutIter* iter = pango_layout_get_iter(layout);
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      double height = static_cast<double>(logical.height) / PANGO_SCALE;
      if (y_ + height > kBottom && y_ > kTop) {
        new_page();
      }
      if (draw_) {
        double baseline =
            static_cast<double>(pango_layout_iter_get_baseline(iter) - logical.y) / PANGO_SCALE;
        cairo_move_to(cr_, x + static_cast<double>(logical.x) / PANGO_SCALE, y_ + baseline);
        pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(iter));
      }
      y_ += height;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
  }

  struct Row {
    std::vector<LayoutPtr> cells;
    double height = 0;
  };

  Row table_row(const std::vector<std::string>& cells, const std::vector<double>& widths,
                bool bold) const {
    Row row;
    for (size_t i = 0; i < cells.size(); ++i) {
      row.cells.push_back(text_layout(cells[i], kSans, 8, bold, widths[i] - 2 * kCellPadding));
      row.height = std::max(row.height, height_of(row.cells.back().get()));
    }
    row.height += 2 * kCellPadding;
    return row;
  }

  void draw_row(const Row& row, const std::vector<double>& widths, bool header) {
    if (draw_) {
      if (header) {
        cairo_set_source_rgb(cr_, 0.9, 0.9, 0.9);
        cairo_rectangle(cr_, kMarginX, y_, kTextWidth, row.height);
        cairo_fill(cr_);
      }
      cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
      cairo_set_line_width(cr_, 0.4);
      cairo_move_to(cr_, kMarginX, y_ + row.height);
      cairo_line_to(cr_, kMarginX + kTextWidth, y_ + row.height);
      cairo_stroke(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
      double x = kMarginX;
      for (size_t i = 0; i < row.cells.size(); ++i) {
        cairo_move_to(cr_, x + kCellPadding, y_ + kCellPadding);
        pango_cairo_show_layout(cr_, row.cells[i].get());
        x += widths[i];
      }
    }
    y_ += row.height;
  }

  void table(const Table& table) {
    std::vector<double> widths = table.widths;
    if (widths.size() != table.header.size()) {
      widths.assign(table.header.size(), 1.0);
    }
    double sum = std::accumulate(widths.begin(), widths.end(), 0.0);
    for (double& w : widths) {
      w = sum > 0 ? w / sum * kTextWidth : kTextWidth / static_cast<double>(widths.size());
    }
    Row header = table_row(table.header, widths, true);
    if (y_ + header.height * 2 > kBottom && y_ > kTop) {
      new_page();
    }
    draw_row(header, widths, true);
    for (const std::vector<std::string>& cells : table.rows) {
      Row row = table_row(cells, widths, false);
      if (y_ + row.height <= kBottom) {
        draw_row(row, widths, false);
        continue;
      }
      if (kTop + header.height + row.height <= kBottom) {
        new_page();
        draw_row(header, widths, true);
        draw_row(row, widths, false);
        continue;
      }
      // Taller than a page: the row as "header: cell" lines, which may run onto the next pages.
      for (size_t i = 0; i < cells.size(); ++i) {
        flow(text_layout(table.header[i] + ": " + cells[i], kSans, 8, false, kTextWidth).get(),
             kMarginX);
      }
      y_ += kCellPadding;
    }
  }

  cairo_t* cr_;
  PangoContext* context_;
  const std::string& title_;
  int total_pages_;
  bool draw_;
  int page_ = 0;
  double y_ = kTop;
};

void ReportDocument::heading(std::string text, int level) {
  Kind kind = level <= 1 ? Kind::kHeading1 : level == 2 ? Kind::kHeading2 : Kind::kHeading3;
  blocks_.push_back({kind, std::move(text), {}});
}

void ReportDocument::paragraph(std::string text) {
  blocks_.push_back({Kind::kParagraph, std::move(text), {}});
}

void ReportDocument::monospace(std::string text) {
  blocks_.push_back({Kind::kMonospace, std::move(text), {}});
}

void ReportDocument::table(Table table) {
  blocks_.push_back({Kind::kTable, {}, std::move(table)});
}

base::Result<std::string> ReportDocument::render() const {
  for (const Block& block : blocks_) {
    for (const std::vector<std::string>& row : block.table.rows) {
      if (row.size() != block.table.header.size()) {
        return base::invalid_argument("a table row has " + std::to_string(row.size()) +
                                      " cells for " + std::to_string(block.table.header.size()) +
                                      " columns");
      }
    }
  }
  // A font map of its own: Pango's default one is per thread and lives as long as the thread.
  FontMapPtr fonts(pango_cairo_font_map_new());
  std::string pdf;
  int pages = 0;
  for (bool draw : {false, true}) {
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(draw ? append_bytes : discard_bytes,
                                                           &pdf, kPageWidth, kPageHeight));
    if (draw) {
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title_.c_str());
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "clearcut");
    }
    CairoPtr cr(cairo_create(surface.get()));
    ContextPtr context(pango_font_map_create_context(fonts.get()));
    pango_cairo_context_set_resolution(context.get(), 72);  // font sizes in points
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context.get(), options);
    cairo_font_options_destroy(options);
    pango_cairo_update_context(cr.get(), context.get());

    Layout layout(cr.get(), context.get(), title_, pages, draw);
    layout.run(blocks_);
    pages = layout.pages();
    cairo_status_t status = cairo_status(cr.get());
    cr.reset();
    cairo_surface_finish(surface.get());
    if (status == CAIRO_STATUS_SUCCESS) {
      status = cairo_surface_status(surface.get());
    }
    if (status != CAIRO_STATUS_SUCCESS) {
      return base::Error(
          base::ErrorCode::kInternal,
          std::string("cairo could not write the PDF: ") + cairo_status_to_string(status));
    }
  }
  return pdf;
}

}  // namespace clearcut::report_pdf
