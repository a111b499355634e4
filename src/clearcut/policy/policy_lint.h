#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/error.h"

namespace clearcut::policy {

struct LintFinding {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  base::SourceLocation location;
  std::string rule_id;
  std::string message;
};

// Checks a pack for problems a loader would stop at one at a time (it reports them all):
// duplicate rule ids, unknown fields, actions and outcomes; and for a pack that loads, rules
// that can never fire (no declaration makes their condition true; searched exhaustively over
// the values the condition reads, pipelines of up to two stages included), rules that always
// fire, and declaration fields that no rule reads and the pack does not mark `informational`
// (warnings). Never fails: an unreadable file is itself a finding.
std::vector<LintFinding> lint_pack(std::string_view text, const std::string& file);

}  // namespace clearcut::policy
