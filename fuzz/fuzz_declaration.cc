// Feeds arbitrary bytes to the clearcut/v1 reader: any input must give a declaration or an
// error, never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "clearcut/domain/declaration_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto declaration = clearcut::domain::parse_declaration(text, "fuzz.yaml");
  if (!declaration.has_value()) {
    (void)declaration.error().to_string();
  }
  return 0;
}
