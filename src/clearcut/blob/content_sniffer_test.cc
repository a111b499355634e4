#include "clearcut/blob/content_sniffer.h"

#include <string>

#include <gtest/gtest.h>

namespace clearcut::blob {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) {
    out.push_back(static_cast<char>(v));
  }
  return out;
}

void put16(std::string& s, size_t at, uint32_t v) {
  s[at] = static_cast<char>(v & 0xff);
  s[at + 1] = static_cast<char>((v >> 8) & 0xff);
}

void put32(std::string& s, size_t at, uint32_t v) {
  put16(s, at, v & 0xffff);
  put16(s, at + 2, v >> 16);
}

// A ZIP archive of empty stored entries named `names` (APPNOTE.TXT §4.3), enough for the
// sniffer, which reads names only.
std::string zip(const std::vector<std::string>& names) {
  std::string out;
  std::string directory;
  for (const std::string& name : names) {
    std::string local(30, '\0');
    local.replace(0, 4, "PK\x03\x04");
    put16(local, 26, static_cast<uint32_t>(name.size()));
    std::string central(46, '\0');
    central.replace(0, 4, "PK\x01\x02");
    put16(central, 28, static_cast<uint32_t>(name.size()));
    put32(central, 42, static_cast<uint32_t>(out.size()));
    out += local + name;
    directory += central + name;
  }
  std::string end(22, '\0');
  end.replace(0, 4, "PK\x05\x06");
  put16(end, 8, static_cast<uint32_t>(names.size()));
  put16(end, 10, static_cast<uint32_t>(names.size()));
  put32(end, 12, static_cast<uint32_t>(directory.size()));
  put32(end, 16, static_cast<uint32_t>(out.size()));
  return out + directory + end;
}

// An OLE compound file ([MS-CFB]) of 512-byte sectors whose first directory sector (sector 0)
// holds the root entry and a stream named `stream`.
std::string ole(const std::string& stream) {
  std::string out(512 + 512, '\0');
  out.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
  put16(out, 30, 9);
  put32(out, 48, 0);
  auto entry = [&](size_t at, const std::string& name) {
    for (size_t i = 0; i < name.size(); ++i) {
      put16(out, at + 2 * i, static_cast<unsigned char>(name[i]));
    }
    put16(out, at + 64, static_cast<uint32_t>(2 * name.size() + 2));
  };
  entry(512, "Root Entry");
  entry(512 + 128, stream);
  return out;
}

void expect_allowed(const std::string& data, const std::string& type) {
  SniffedType t = sniff_content(data);
  EXPECT_TRUE(t.allowed) << t.description;
  EXPECT_EQ(t.content_type, type);
}

void expect_refused(const std::string& data, const std::string& description) {
  SniffedType t = sniff_content(data);
  EXPECT_FALSE(t.allowed) << t.content_type;
  EXPECT_EQ(t.description, description);
}

TEST(SniffTest, KnowsEachAllowedType) {
  expect_allowed("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "application/pdf");
  expect_allowed(bytes({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13}), "image/png");
  expect_allowed(bytes({0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F'}), "image/jpeg");
  expect_allowed("GIF89a\x01\x00\x01\x00", "image/gif");
  expect_allowed(std::string("RIFF\x24\0\0\0WEBPVP8 ", 16), "image/webp");
  expect_allowed("Licence for the voice of J. Doe.\r\nSigned 2026-01-02 \xE2\x9C\x93\n",
                 "text/plain; charset=utf-8");
  expect_allowed(zip({"[Content_Types].xml", "_rels/.rels", "word/document.xml"}),
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  expect_allowed(zip({"[Content_Types].xml", "xl/workbook.xml"}),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  expect_allowed(zip({"[Content_Types].xml", "ppt/presentation.xml"}),
                 "application/vnd.openxmlformats-officedocument.presentationml.presentation");
  std::string odt = zip({"mimetype"});
  odt.insert(38, "application/vnd.oasis.opendocument.text");
  expect_allowed(odt, "application/vnd.oasis.opendocument.text");
  expect_allowed(ole("WordDocument"), "application/msword");
  expect_allowed(ole("Workbook"), "application/vnd.ms-excel");
}

TEST(SniffTest, RefusesMarkupScriptsAndExecutables) {
  expect_refused("<!DOCTYPE html><html><script>alert(1)</script>", "an HTML or XML document");
  expect_refused("\xEF\xBB\xBF  \n<HTML><body>", "an HTML or XML document");
  expect_refused("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
                 "an SVG image (it can carry scripts)");
  expect_refused("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                 "an SVG image (it can carry scripts)");
  expect_refused("#!/bin/sh\nrm -rf /\n", "a script");
  expect_refused(bytes({0x7f, 'E', 'L', 'F', 2, 1, 1, 0}), "an ELF executable");
  expect_refused("MZ\x90\x00\x03", "a Windows executable");
  expect_refused(zip({"payload.exe"}), "a ZIP archive that is not an office document");
  expect_refused(zip({"[Content_Types].xml", "other/x.xml"}),
                 "a ZIP archive that is not an office document");
  expect_refused(ole("\x05SummaryInformation"),
                 "an OLE compound file that is not a Word, Excel or PowerPoint document (an "
                 "installer?)");
  expect_refused(bytes({0, 1, 2, 3, 0xfe}), "binary data of an unknown kind");
}

TEST(SniffTest, RefusesAnEmptyFile) {
  SniffedType t = sniff_content("");
  EXPECT_FALSE(t.allowed);
  EXPECT_EQ(t.description, "an empty file");
}

TEST(SniffTest, TruncatedMagicIsNotTheType) {
  // Cut short, a binary signature is binary data of no kind, never the type it began as.
  expect_refused(bytes({0x89, 'P', 'N'}), "binary data of an unknown kind");
  expect_refused(bytes({0xff, 0xd8}), "binary data of an unknown kind");
  expect_refused(std::string("RIFF\x24\0\0\0WEB", 11), "binary data of an unknown kind");
  expect_refused(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
                 "an OLE compound file that is not a Word, Excel or PowerPoint document (an "
                 "installer?)");
  expect_refused(std::string("PK\x03\x04", 4), "a ZIP archive that is not an office document");
  // "%PD" is text that happens to start like a PDF: it is kept as the text it is.
  expect_allowed("%PD", "text/plain; charset=utf-8");
  // A ZIP whose directory points outside the file is not read beyond it.
  std::string broken = zip({"[Content_Types].xml", "word/document.xml"});
  put32(broken, broken.size() - 6, 0xfffffff0);
  expect_refused(broken, "a ZIP archive that is not an office document");
}

TEST(SniffTest, TextLongerThanTheWindowMayEndItInsideACharacter) {
  std::string text(kSniffWindow - 1, 'a');
  text += "\xE2\x9C\x93 more";
  expect_allowed(text, "text/plain; charset=utf-8");
}

}  // namespace
}  // namespace clearcut::blob
