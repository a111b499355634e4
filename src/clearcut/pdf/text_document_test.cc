#include "clearcut/pdf/text_document.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace clearcut::pdf {
namespace {

// What a command printed on its standard output (and its exit status), run by the shell.
struct Output {
  int status = -1;
  std::string text;
};
Output run(const std::string& command) {
  Output out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return out;
  }
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    out.text.append(buffer.data(), n);
  }
  out.status = pclose(pipe);
  return out;
}

// The document written to a temporary file, for the independent readers (poppler's pdftotext
// and pdfdetach, qpdf; scripts/bootstrap installs them).
class WrittenPdf {
 public:
  explicit WrittenPdf(const std::string& bytes) {
    path_ = std::filesystem::temp_directory_path() /
            ("clearcut-pdf-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
             ".pdf");
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~WrittenPdf() { std::filesystem::remove(path_); }
  WrittenPdf(const WrittenPdf&) = delete;
  WrittenPdf& operator=(const WrittenPdf&) = delete;
  std::string path() const { return path_.string(); }

 private:
  static inline int counter = 0;
  std::filesystem::path path_;
};

TEST(TextDocumentTest, QpdfFindsNoFaultInTheStructure) {
  TextDocument doc("Approval certificate", "2026-12-06T10:00:00Z");
  doc.paragraph("Approval certificate", Face::kBold, 16);
  doc.paragraph("Signed by (Jane) Doe \\ legal", Face::kRegular, 10, 6);
  doc.attach({"cert.json", "application/json", "the certificate", "{\"a\": 1}\n"});
  WrittenPdf file(doc.finish());
  Output check = run("qpdf --check " + file.path());
  EXPECT_EQ(check.status, 0) << check.text;
  EXPECT_NE(check.text.find("No syntax or stream encoding errors found"), std::string::npos)
      << check.text;
}

TEST(TextDocumentTest, AReaderShowsTheTextWithItsParenthesesAndAccents) {
  TextDocument doc("Zoë’s certificate", "");
  doc.paragraph("Signed by (Zoë) O’Brien \\ legal — 5 € fee", Face::kRegular, 10);
  doc.paragraph("漢字 stays a question mark", Face::kMono, 8);
  WrittenPdf file(doc.finish());
  Output text = run("pdftotext -enc UTF-8 " + file.path() + " -");
  ASSERT_EQ(text.status, 0) << text.text;
  EXPECT_NE(text.text.find("Signed by (Zoë) O’Brien \\ legal — 5 € fee"), std::string::npos)
      << text.text;
  EXPECT_NE(text.text.find("?? stays a question mark"), std::string::npos) << text.text;
  Output info = run("pdfinfo " + file.path());
  EXPECT_NE(info.text.find("Zoë’s certificate"), std::string::npos) << info.text;
}

TEST(TextDocumentTest, LongTextWrapsWithinThePageAndFlowsOntoNewPages) {
  TextDocument doc("Long", "");
  std::string words;
  for (int i = 0; i < 3000; ++i) {
    words += "word" + std::to_string(i) + " ";
  }
  doc.paragraph(words);
  doc.paragraph(std::string(300, 'x'), Face::kMono, 8);  // one word wider than a line
  WrittenPdf file(doc.finish());
  Output info = run("pdfinfo " + file.path());
  ASSERT_EQ(info.status, 0) << info.text;
  EXPECT_NE(info.text.find("Pages:"), std::string::npos);
  EXPECT_EQ(info.text.find("Pages:          1\n"), std::string::npos) << info.text;
  // Every word is there once, none cut, and the long one is cut into lines of the page width.
  Output text = run("pdftotext -enc UTF-8 " + file.path() + " -");
  EXPECT_NE(text.text.find("word0 "), std::string::npos);
  EXPECT_NE(text.text.find("word2999"), std::string::npos);
  EXPECT_NE(text.text.find("page 1 of "), std::string::npos);
  size_t longest_x_run = 0;
  size_t run_length = 0;
  for (char c : text.text) {
    run_length = c == 'x' ? run_length + 1 : 0;
    longest_x_run = std::max(longest_x_run, run_length);
  }
  EXPECT_GT(longest_x_run, 80U);  // Courier 8 pt: 100 characters fill the 483 pt line
  EXPECT_LE(longest_x_run, 101U);
}

TEST(TextDocumentTest, AnEmbeddedFileComesBackByteForByte) {
  std::string json = "{\"format\": \"x\", \"text\": \"endstream (not) the end\"}\n";
  TextDocument doc("Files", "2026-01-02T03:04:05Z");
  doc.paragraph("See the attachment.");
  doc.attach({"b.json", "application/json", "second", "{}"});
  doc.attach({"a-certificate.json", "application/json", "first", json});
  std::string bytes = doc.finish();
  auto found = find_embedded_file(bytes, "a-certificate.json");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, json);
  EXPECT_EQ(find_embedded_file(bytes, "b.json").value_or("missing"), "{}");
  EXPECT_FALSE(find_embedded_file(bytes, "c.json").has_value());
  // An independent reader lists both and extracts the same bytes.
  WrittenPdf file(bytes);
  Output list = run("pdfdetach -list " + file.path());
  EXPECT_NE(list.text.find("2 embedded files"), std::string::npos) << list.text;
  std::string out = file.path() + ".json";
  Output saved = run("pdfdetach -save 1 -o " + out + " " + file.path());  // names sort first
  ASSERT_EQ(saved.status, 0) << saved.text;
  std::ifstream in(out, std::ios::binary);
  std::string extracted((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(out);
  EXPECT_EQ(extracted, json);
}

TEST(TextDocumentTest, TheSameCallsGiveTheSameBytes) {
  auto make = [] {
    TextDocument doc("Same", "2026-12-06T10:00:00Z");
    doc.paragraph("one", Face::kBold, 12);
    doc.attach({"f.json", "application/json", "d", "{}"});
    return doc.finish();
  };
  EXPECT_EQ(make(), make());
}

TEST(TextDocumentTest, FindingAFileIsSafeOnAnyBytes) {
  TextDocument doc("Cut", "");
  doc.attach({"f.json", "application/json", "d", std::string(100, 'z')});
  std::string bytes = doc.finish();
  for (size_t cut = 0; cut < bytes.size(); cut += 7) {
    auto found = find_embedded_file(std::string_view(bytes).substr(0, cut), "f.json");
    if (found) {
      EXPECT_EQ(*found, std::string(100, 'z'));
    }
  }
  std::string lying = bytes;
  size_t length = lying.find("/Length 100");
  ASSERT_NE(length, std::string::npos);
  lying.replace(length, 11, "/Length 99999999");
  EXPECT_FALSE(find_embedded_file(lying, "f.json").has_value());
}

TEST(TextDocumentTest, WinAnsiKeepsLatinOneAndReplacesTheRest) {
  EXPECT_EQ(to_win_ansi("café"), "caf\xE9");
  EXPECT_EQ(to_win_ansi("“a” – b…"),
            "\x93"
            "a\x94 \x96 b\x85");
  EXPECT_EQ(to_win_ansi("\xFF\xFEx"), "??x");
  EXPECT_EQ(to_win_ansi("a\tb\nc"), "a b\nc");
  EXPECT_EQ(to_win_ansi("\xC0\x80"), "?");  // overlong
  EXPECT_DOUBLE_EQ(text_width("AA", Face::kRegular), 1.334);
  EXPECT_DOUBLE_EQ(text_width("AA", Face::kMono), 1.2);
}

}  // namespace
}  // namespace clearcut::pdf
