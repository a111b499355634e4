#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clearcut::domain {

// The fields of a `clearcut/v1` declaration (POLICY.md §4), as one table that the reader,
// the writer and the policy compiler all use. Names and vocabularies here are a public
// contract: never rename or remove. Optional fields may be added within clearcut/v1, since an
// absent field is unknown and an older declaration keeps its meaning (POLICY.md §6).

enum class FieldKind : uint8_t {
  kTri,   // yes | no | unsure (also true/false); stored as a scalar with vocabulary {no, yes}
  kEnum,  // one value of a fixed vocabulary
  kList,  // a list of values of a fixed vocabulary; `none` or [] means known to be empty
  kText,  // free text, not used by policy conditions
};

enum class FieldScope : uint8_t {
  kDeclaration,  // a field of the declaration itself (`output.in_final`)
  kStage,        // a field of one pipeline stage (`pipeline[].trains_on_data`)
};

struct FieldSpec {
  std::string_view path;  // dotted path; for stage fields, the name inside a stage
  FieldKind kind;
  FieldScope scope;
  std::span<const std::string_view> vocabulary;  // empty for kText
  uint8_t slot;  // index into Declaration::scalars / lists, or Stage::scalars
};

inline constexpr int kScalarCount = 26;
inline constexpr int kListCount = 4;
inline constexpr int kStageScalarCount = 6;

// Scalar values: a vocabulary index (for tri-states 0 = no, 1 = yes), or one of these.
inline constexpr int8_t kAbsent = -1;  // not declared
inline constexpr int8_t kUnsure = -2;  // declared `unsure`
inline constexpr int8_t kNo = 0;
inline constexpr int8_t kYes = 1;

std::span<const FieldSpec> declaration_fields();
std::span<const FieldSpec> stage_fields();

// The field at `path` in `scope`, or nullptr.
const FieldSpec* find_field(FieldScope scope, std::string_view path);

// The field whose slot is `slot` among the scalars (or lists) of `scope`.
const FieldSpec& scalar_field(FieldScope scope, int slot);
const FieldSpec& list_field(int slot);

// Index of `value` in `field.vocabulary`, or nullopt.
std::optional<int> vocabulary_index(const FieldSpec& field, std::string_view value);

// "a, b or c" for error messages.
std::string vocabulary_text(const FieldSpec& field);

// A tri-state word, yes, no or unsure, as kYes, kNo or kUnsure; nullopt for anything else.
// Readers of formats with booleans take those for yes and no themselves.
std::optional<int8_t> parse_tri(std::string_view word);

}  // namespace clearcut::domain
