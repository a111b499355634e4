#include "clearcut/domain/declaration.h"

namespace clearcut::domain {

std::string_view scalar_text(const FieldSpec& field, int8_t value) {
  if (value == kAbsent) {
    return "absent";
  }
  if (value == kUnsure) {
    return "unsure";
  }
  return field.vocabulary[static_cast<size_t>(value)];
}

}  // namespace clearcut::domain
