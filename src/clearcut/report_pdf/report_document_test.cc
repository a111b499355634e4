#include "clearcut/report_pdf/report_document.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "clearcut/base/file.h"

namespace clearcut::report_pdf {
namespace {

namespace fs = std::filesystem;

// A rendered document in a folder of its own, read back by poppler's pdftotext and pdfinfo and
// by qpdf (scripts/bootstrap installs them): readers that share no code with cairo.
class Rendered {
 public:
  explicit Rendered(const ReportDocument& doc) {
    dir_ = fs::temp_directory_path() /
           ("clearcut-report-pdf-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    auto bytes = doc.render();
    EXPECT_TRUE(bytes.has_value()) << bytes.error().to_string();
    if (bytes.has_value()) {
      bytes_ = *bytes;
      EXPECT_TRUE(base::write_file_atomic(pdf(), bytes_).has_value());
    }
  }
  ~Rendered() { fs::remove_all(dir_); }
  Rendered(const Rendered&) = delete;
  Rendered& operator=(const Rendered&) = delete;

  // What `command` printed, given the PDF's path and then `after`; "" when it failed.
  std::string read_with(const std::string& command, const std::string& after = "") const {
    std::string out = (dir_ / "out.txt").string();
    int status =
        std::system((command + " '" + pdf() + "' " + after + " > '" + out + "' 2>&1").c_str());
    auto text = base::read_file(out);
    std::string printed = text.has_value() ? *text : text.error().to_string();
    EXPECT_EQ(status, 0) << command << ": " << printed;
    return status == 0 ? printed : "";
  }
  std::string text() const { return read_with("pdftotext -enc UTF-8", "-"); }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string pdf() const { return (dir_ / "doc.pdf").string(); }

  static inline int counter = 0;
  fs::path dir_;
  std::string bytes_;
};

TEST(ReportDocumentTest, TextOfAnyScriptComesOutAsWritten) {
  ReportDocument doc("Disclosure report: Squid Game S3");
  doc.heading("Disclosure report");
  doc.paragraph("Approved by Zoë Ødegård and 山田太郎 on 2026-12-07.");
  doc.table({{"Output", "Approver"}, {2, 1}, {{"key-art.png", "Zoë Ødegård"}, {"t.png", "山田"}}});
  Rendered pdf(doc);
  ASSERT_EQ(pdf.bytes().rfind("%PDF-", 0), 0U);
  std::string text = pdf.text();
  EXPECT_NE(text.find("Approved by Zoë Ødegård and 山田太郎"), std::string::npos) << text;
  EXPECT_NE(text.find("山田"), std::string::npos) << text;
  EXPECT_NE(text.find("key-art.png"), std::string::npos) << text;
  EXPECT_NE(text.find("page 1 of 1"), std::string::npos) << text;
  EXPECT_NE(pdf.read_with("pdfinfo").find("Disclosure report: Squid Game S3"), std::string::npos);
  EXPECT_NE(pdf.read_with("qpdf --check").find("No syntax or stream encoding errors"),
            std::string::npos);
}

TEST(ReportDocumentTest, ALongTableRunsOverPagesWithItsHeaderAndPageNumbers) {
  ReportDocument doc("Long");
  doc.heading("Outputs", 2);
  Table table{{"Number", "Name"}, {}, {}};
  for (int i = 0; i < 200; ++i) {
    table.rows.push_back({"row " + std::to_string(i), "output-" + std::to_string(i) + ".png"});
  }
  doc.table(table);
  doc.paragraph("The end.");
  Rendered pdf(doc);
  std::string info = pdf.read_with("pdfinfo");
  size_t pages_at = info.find("Pages:");
  ASSERT_NE(pages_at, std::string::npos) << info;
  int pages = std::atoi(info.c_str() + pages_at + 6);
  EXPECT_GE(pages, 3) << info;
  std::string text = pdf.text();
  EXPECT_NE(text.find("page " + std::to_string(pages) + " of " + std::to_string(pages)),
            std::string::npos);
  // The header is repeated on each page the table runs onto.
  size_t headers = 0;
  for (size_t at = text.find("Number"); at != std::string::npos; at = text.find("Number", at + 1)) {
    ++headers;
  }
  EXPECT_EQ(headers, static_cast<size_t>(pages)) << text;
  for (const char* row : {"row 0", "row 199", "output-150.png", "The end."}) {
    EXPECT_NE(text.find(row), std::string::npos) << row;
  }
}

TEST(ReportDocumentTest, AParagraphOrRowLongerThanAPageRunsOnAndNothingIsLost) {
  std::string long_text;
  for (int i = 0; i < 400; ++i) {
    long_text += "word" + std::to_string(i) + " ";
  }
  long_text += "LAST";
  ReportDocument doc("Long text");
  doc.paragraph(long_text);
  doc.table({{"Summary", "Note"}, {}, {{long_text + long_text, "short"}}});
  Rendered pdf(doc);
  std::string text = pdf.text();
  EXPECT_NE(text.find("word399 LAST"), std::string::npos);
  EXPECT_NE(text.find("Note: short"), std::string::npos) << "the tall row is set as lines";
  EXPECT_NE(text.find("page 2 of 2"), std::string::npos) << text;
}

TEST(ReportDocumentTest, BadBytesShowAsReplacementCharactersAndBadTablesAreRefused) {
  ReportDocument doc("Bytes");
  doc.paragraph(std::string("before\xff\0after", 13));
  Rendered pdf(doc);
  EXPECT_NE(pdf.text().find("before\xEF\xBF\xBD\xEF\xBF\xBD"
                            "after"),
            std::string::npos)
      << pdf.text();

  ReportDocument bad("Bad");
  bad.table({{"One", "Two"}, {}, {{"only one cell"}}});
  auto rendered = bad.render();
  ASSERT_FALSE(rendered.has_value());
  EXPECT_EQ(rendered.error().code(), base::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace clearcut::report_pdf
