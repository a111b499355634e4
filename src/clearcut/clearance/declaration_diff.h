#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::clearance {

// One declaration field that an edit changes, as a reader of the history sees it.
struct FieldChange {
  std::string field;  // dotted path: "talent.likeness", "pipeline[1].tool", "references"
  std::string from;   // the value before ("yes", "script, production_image", "none" for
                      // an empty list); empty when the field was absent
  std::string to;     // the value after; empty when the edit removes the field

  bool operator==(const FieldChange&) const = default;
};

// The fields that differ between two declarations in canonical JSON (declaration_to_json),
// in the order the fields appear (the earlier declaration's order, then fields only the later
// one has). kInvalidArgument when either is not a JSON object.
base::Result<std::vector<FieldChange>> diff_declarations(std::string_view before_json,
                                                         std::string_view after_json);

// The changes as one line for a use case's history: `talent.likeness: no → yes; summary:
// "Old" → "New"`, each value cut to 80 characters, at most 20 fields then "and N more".
std::string describe_changes(const std::vector<FieldChange>& changes);

}  // namespace clearcut::clearance
