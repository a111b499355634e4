#include "clearcut/blob/content_sniffer.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "clearcut/base/utf8.h"

namespace clearcut::blob {
namespace {

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

uint32_t le16(std::string_view bytes, size_t at) {
  return static_cast<uint8_t>(bytes[at]) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 8);
}

uint32_t le32(std::string_view bytes, size_t at) {
  return le16(bytes, at) | (le16(bytes, at + 2) << 16);
}

SniffedType allowed(std::string type, std::string description) {
  return {std::move(type), std::move(description), true};
}

SniffedType refused(std::string type, std::string description) {
  return {std::move(type), std::move(description), false};
}

// The names of a ZIP archive's entries, read from its central directory (APPNOTE.TXT §4.3.16
// end record, §4.3.12 file headers), at most 4096 of them; nullopt when the end record is not
// in the last kSniffWindow bytes or the directory lies outside the file.
std::optional<std::vector<std::string>> zip_entry_names(std::string_view bytes) {
  constexpr std::string_view kEnd("PK\x05\x06", 4);
  size_t from = bytes.size() > kSniffWindow ? bytes.size() - kSniffWindow : 0;
  size_t end = bytes.rfind(kEnd);
  if (end == std::string_view::npos || end < from || end + 22 > bytes.size()) {
    return std::nullopt;
  }
  uint32_t count = le16(bytes, end + 10);
  uint32_t size = le32(bytes, end + 12);
  uint32_t offset = le32(bytes, end + 16);
  if (offset > end || size > end - offset) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  size_t at = offset;
  for (uint32_t i = 0; i < count && i < 4096; ++i) {
    if (at + 46 > end || bytes.substr(at, 4) != std::string_view("PK\x01\x02", 4)) {
      return std::nullopt;
    }
    size_t name_length = le16(bytes, at + 28);
    size_t extra = le16(bytes, at + 30);
    size_t comment = le16(bytes, at + 32);
    if (at + 46 + name_length > end) {
      return std::nullopt;
    }
    names.emplace_back(bytes.substr(at + 46, name_length));
    at += 46 + name_length + extra + comment;
  }
  return names;
}

SniffedType sniff_zip(std::string_view bytes) {
  // OpenDocument (ODF 1.2 part 3 §3.3): the first entry is "mimetype", stored, its content the
  // document's type.
  constexpr std::string_view kOdf = "application/vnd.oasis.opendocument.";
  if (bytes.size() > 38 + kOdf.size() && bytes.substr(30, 8) == "mimetype" &&
      bytes.substr(38, kOdf.size()) == kOdf) {
    std::string_view rest = bytes.substr(38 + kOdf.size(), 12);
    if (starts_with(rest, "text")) {
      return allowed("application/vnd.oasis.opendocument.text", "an OpenDocument text (odt)");
    }
    if (starts_with(rest, "spreadsheet")) {
      return allowed("application/vnd.oasis.opendocument.spreadsheet",
                     "an OpenDocument spreadsheet (ods)");
    }
    if (starts_with(rest, "presentation")) {
      return allowed("application/vnd.oasis.opendocument.presentation",
                     "an OpenDocument presentation (odp)");
    }
  }
  // Office Open XML (ECMA-376 part 2): a [Content_Types].xml entry and the body's folder.
  std::optional<std::vector<std::string>> names = zip_entry_names(bytes);
  if (names && std::find(names->begin(), names->end(), "[Content_Types].xml") != names->end()) {
    auto has_folder = [&](std::string_view folder) {
      return std::any_of(names->begin(), names->end(),
                         [&](const std::string& name) { return starts_with(name, folder); });
    };
    if (has_folder("word/")) {
      return allowed("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     "a Word document (docx)");
    }
    if (has_folder("xl/")) {
      return allowed("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "an Excel workbook (xlsx)");
    }
    if (has_folder("ppt/")) {
      return allowed("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                     "a PowerPoint presentation (pptx)");
    }
  }
  return refused("application/zip", "a ZIP archive that is not an office document");
}

// An OLE compound file ([MS-CFB] §2.2 header, §2.6 directory entries) is an old Office
// document when its first directory sector names a Word, Excel or PowerPoint stream; the same
// container also carries installers (.msi), which are refused.
SniffedType sniff_ole(std::string_view bytes) {
  SniffedType other = refused("application/x-ole-storage",
                              "an OLE compound file that is not a Word, Excel or PowerPoint "
                              "document (an installer?)");
  if (bytes.size() < 512) {
    return other;
  }
  uint32_t shift = le16(bytes, 30);
  if (shift != 9 && shift != 12) {
    return other;
  }
  size_t sector = size_t{1} << shift;
  size_t directory = (static_cast<size_t>(le32(bytes, 48)) + 1) * sector;
  if (directory >= bytes.size()) {
    return other;
  }
  struct Stream {
    std::string_view name;
    const char* type;
    const char* description;
  };
  constexpr Stream kStreams[] = {
      {"WordDocument", "application/msword", "an old Word document (doc)"},
      {"Workbook", "application/vnd.ms-excel", "an old Excel workbook (xls)"},
      {"Book", "application/vnd.ms-excel", "an old Excel workbook (xls)"},
      {"PowerPoint Document", "application/vnd.ms-powerpoint",
       "an old PowerPoint presentation (ppt)"}};
  for (size_t at = directory; at + 128 <= bytes.size() && at < directory + sector; at += 128) {
    size_t length = le16(bytes, at + 64);  // bytes, with the terminating NUL
    if (length < 2 || length > 64) {
      continue;
    }
    std::string name;
    for (size_t i = 0; i + 2 < length; i += 2) {
      uint32_t c = le16(bytes, at + i);
      name.push_back(c < 128 ? static_cast<char>(c) : '?');
    }
    for (const Stream& stream : kStreams) {
      if (name == stream.name) {
        return allowed(stream.type, stream.description);
      }
    }
  }
  return other;
}

// Text is UTF-8 without NUL or other control characters than tab, line feed, form feed and
// carriage return; markup and scripts are named by their start.
SniffedType sniff_text(std::string_view bytes) {
  std::string_view window = bytes.substr(0, kSniffWindow);
  std::optional<size_t> invalid = base::find_invalid_utf8(window);
  // A window that ends inside a character is still text.
  bool cut = window.size() < bytes.size() && invalid && *invalid + 4 > window.size();
  if (invalid && !cut) {
    return refused("application/octet-stream", "binary data of an unknown kind");
  }
  for (char c : window) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') {
      return refused("application/octet-stream", "binary data of an unknown kind");
    }
  }
  std::string_view start = window;
  if (starts_with(start, "\xEF\xBB\xBF")) {
    start.remove_prefix(3);
  }
  while (!start.empty() &&
         (start.front() == ' ' || start.front() == '\t' || start.front() == '\n' ||
          start.front() == '\r' || start.front() == '\f')) {
    start.remove_prefix(1);
  }
  std::string lower(start.substr(0, 16));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  if (starts_with(lower, "<svg") ||
      (starts_with(lower, "<?xml") && window.find("<svg") != std::string_view::npos)) {
    return refused("image/svg+xml", "an SVG image (it can carry scripts)");
  }
  if (starts_with(lower, "<")) {
    // Browsers sniff any of these as HTML (WHATWG MIME Sniffing §7.1); no markup is evidence.
    return refused("text/html", "an HTML or XML document");
  }
  if (starts_with(lower, "#!")) {
    return refused("text/x-shellscript", "a script");
  }
  return allowed("text/plain; charset=utf-8", "plain text");
}

}  // namespace

SniffedType sniff_content(std::string_view bytes) {
  if (bytes.empty()) {
    return refused("application/octet-stream", "an empty file");
  }
  if (starts_with(bytes, "%PDF-")) {
    return allowed("application/pdf", "a PDF document");
  }
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) {
    return allowed("image/png", "a PNG image");
  }
  if (starts_with(bytes, "\xFF\xD8\xFF")) {
    return allowed("image/jpeg", "a JPEG image");
  }
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) {
    return allowed("image/gif", "a GIF image");
  }
  if (bytes.size() >= 12 && starts_with(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP") {
    return allowed("image/webp", "a WebP image");
  }
  if (starts_with(bytes, std::string_view("PK\x03\x04", 4))) {
    return sniff_zip(bytes);
  }
  if (starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return sniff_ole(bytes);
  }
  if (starts_with(bytes,
                  "\x7F"
                  "ELF")) {
    return refused("application/x-executable", "an ELF executable");
  }
  if (starts_with(bytes, "MZ")) {
    return refused("application/x-msdownload", "a Windows executable");
  }
  for (std::string_view magic :
       {std::string_view("\xFE\xED\xFA\xCE"), std::string_view("\xFE\xED\xFA\xCF"),
        std::string_view("\xCE\xFA\xED\xFE"), std::string_view("\xCF\xFA\xED\xFE"),
        std::string_view("\xCA\xFE\xBA\xBE")}) {
    if (starts_with(bytes, magic)) {
      return refused("application/x-mach-binary", "a macOS executable");
    }
  }
  return sniff_text(bytes);
}

}  // namespace clearcut::blob
