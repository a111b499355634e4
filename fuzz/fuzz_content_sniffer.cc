// libFuzzer target for the attachment content sniffer: any bytes, as a whole file. Beyond not
// crashing or reading out of bounds, checks that every answer names a type and says what was
// found, and that an allowed file is never one of the types a browser would run.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clearcut/blob/content_sniffer.h"

namespace {

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  clearcut::blob::SniffedType type = clearcut::blob::sniff_content(bytes);
  require(!type.content_type.empty() && !type.description.empty());
  if (type.allowed) {
    require(type.content_type.find("html") == std::string_view::npos &&
            type.content_type.find("svg") == std::string_view::npos &&
            type.content_type.find("javascript") == std::string_view::npos);
  }
  return 0;
}
