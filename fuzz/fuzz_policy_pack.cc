// Feeds arbitrary bytes to the policy pack loader and condition compiler; a pack that loads is
// evaluated once on an empty declaration, so compiled trees are exercised too.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "clearcut/policy/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto condition = clearcut::policy::Condition::compile(text);
  if (condition.has_value()) {
    (void)condition->canonical();
  }
  auto pack = clearcut::policy::PolicyPack::parse(text, "fuzz.yaml");
  if (pack.has_value()) {
    clearcut::policy::Engine engine(std::make_shared<const clearcut::policy::PolicyPack>(*pack));
    (void)engine.evaluate(clearcut::domain::Declaration());
  }
  return 0;
}
