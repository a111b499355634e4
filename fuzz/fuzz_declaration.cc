// Feeds arbitrary bytes to the clearcut/v1 reader: any input must give a declaration or an
// error, never a crash, a hang or a leak. Also to the YAML reader beneath it: whatever parses
// must be written back by the emitter as YAML that parses to the same text again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "clearcut/domain/declaration_reader.h"
#include "clearcut/domain/internal/yaml_document.h"
#include "clearcut/domain/internal/yaml_emitter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using clearcut::domain::internal::YamlDocument;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto declaration = clearcut::domain::parse_declaration(text, "fuzz.yaml");
  if (!declaration.has_value()) {
    (void)declaration.error().to_string();
  }
  auto document = YamlDocument::parse(text, "fuzz.yaml");
  if (document.has_value()) {
    std::string emitted = clearcut::domain::internal::emit_yaml(document->root());
    auto again = YamlDocument::parse(emitted, "emitted.yaml");
    if (!again.has_value() || clearcut::domain::internal::emit_yaml(again->root()) != emitted) {
      __builtin_trap();
    }
  }
  return 0;
}
