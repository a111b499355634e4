#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/domain/declaration_schema.h"

namespace clearcut::domain {

// One stage of a declared pipeline: a tool from the registry, or facts given inline.
struct Stage {
  std::string tool;  // registry id; empty when the facts are inline
  std::string name;
  std::array<int8_t, kStageScalarCount> scalars;
  int tool_line = 0;  // where `tool:` was written, for errors about the id
  int tool_column = 0;

  Stage() { scalars.fill(kAbsent); }
  // What people call this stage in explanations: its name, else its tool id.
  const std::string& label() const { return name.empty() ? tool : name; }
};

// A stage fact that the tool registry overrode because the declaration said otherwise.
struct RegistryOverride {
  int stage = 0;
  uint8_t slot = 0;  // stage scalar slot
  int8_t declared = kAbsent;
  int8_t registry = kAbsent;
};

// A stage whose tool's review is too old to vouch for its facts (tool_registry.h).
struct StaleReview {
  int stage = 0;
  std::string reason;  // "reviewed_on 2025-01-10 is older than the pack's 12-month review period"
};

// A `clearcut/v1` declaration of one intended GenAI use (POLICY.md §4). Facts are stored by
// slot (declaration_schema.h) so that the policy engine reads them without lookups. A value
// type: cheap to copy, no I/O.
struct Declaration {
  std::string schema;
  std::string production;
  std::string summary;
  std::array<int8_t, kScalarCount> scalars;
  std::array<uint32_t, kListCount> lists{};  // bit i set = vocabulary value i present
  uint8_t lists_known = 0;                   // bit s set = list slot s was declared
  std::vector<Stage> pipeline;
  bool pipeline_known = false;
  std::vector<RegistryOverride> overrides;  // filled by apply_registry
  std::vector<StaleReview> stale_reviews;   // filled by apply_registry
  std::string source_file;                  // where it was read from, for errors

  Declaration() { scalars.fill(kAbsent); }

  bool list_known(int slot) const { return (lists_known >> slot) & 1U; }
  void set_list(int slot, uint32_t bits) {
    lists[static_cast<size_t>(slot)] = bits;
    lists_known = static_cast<uint8_t>(lists_known | (1U << slot));
  }
  void clear_list(int slot) {
    lists[static_cast<size_t>(slot)] = 0;
    lists_known = static_cast<uint8_t>(lists_known & ~(1U << slot));
  }
};

// The printed form of a scalar value: a vocabulary word, "unsure", or "absent".
std::string_view scalar_text(const FieldSpec& field, int8_t value);

}  // namespace clearcut::domain
