#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace clearcut::blob {

// What a file's bytes say it is, whatever its name or the client's declared type says.
struct SniffedType {
  // The MIME type a download is served with ("application/pdf"); "application/octet-stream"
  // for what is not recognised.
  std::string content_type;
  // What was found, for people: "a PDF document", "an HTML document", "an ELF executable".
  std::string description;
  // Whether evidence of this type may be kept (kAllowedTypesText).
  bool allowed = false;
};

// Evidence types the blob store keeps, in words for error messages.
inline constexpr std::string_view kAllowedTypesText =
    "PDF, PNG, JPEG, WebP, GIF, plain UTF-8 text, and office documents (docx, xlsx, pptx, odt, "
    "ods, odp, old Word/Excel/PowerPoint)";

// Bytes the sniffer reads at the start of a file (and, for ZIP archives, at its end, where the
// list of entries is). Pure and thread-safe.
inline constexpr std::size_t kSniffWindow = 64 * 1024;

// Identifies `bytes` (a whole file) by magic numbers: PDF, PNG, JPEG, WebP, GIF; office
// documents (ZIP archives holding an OOXML or OpenDocument body, OLE compound files holding a
// Word, Excel or PowerPoint stream); UTF-8 text that does not start as markup or a script.
// Markup (HTML, SVG, XML), scripts, executables, other archives and unknown binary data are
// named but not allowed, as is an empty file.
SniffedType sniff_content(std::string_view bytes);

}  // namespace clearcut::blob
