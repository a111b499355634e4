#pragma once

#include <string>
#include <utility>
#include <vector>

#include "clearcut/domain/declaration.h"
#include "clearcut/policy/decision.h"
#include "clearcut/policy/engine.h"

namespace clearcut::policy {

// What the declaration form asks, given the answers so far (issue #17: "questions that the answers
// above make moot are hidden; N questions left; the few things the partner can change to lower
// the outcome"). Derived from the pack and the engine, never from a list kept in the UI:
//
// - A question is **moot** when the pack's `ask_when` for it is false, or when it is unanswered,
//   some rule reads it, and no rule (or addition) that is still unknown reads it. By Kleene logic
//   an answer can only settle an unknown condition; one already true or false stays so whatever
//   the answer, so no answer to a moot question changes the decision. `stated(F)` is the
//   exception (absent is false there, not unknown), so a field it reads is moot only when each
//   of its answers is tried and none changes the decision.
// - A moot question with an `otherwise` in the pack has that answer **implied**: the form states it
//   in the declaration it writes ("no real performer is involved" implies "no digital replica").
//   `complete_form` applies implied answers until nothing more follows.
// - A question is **open** when it is unanswered (absent; `unsure` is an answer), some rule reads
//   it, and it is not moot: the questions left.
// - A **lever** is one change the partner could make that lowers the outcome: an answer to an open
//   question, or leaving one item out of `inputs` or `references`. Each is tried on a copy with
//   its implied answers, by the engine.
struct Lever {
  std::string field;
  std::string value_json;  // the answer or the list after the change, as JSON
  Outcome outcome = Outcome::kNotify;
  std::string removes;  // for a list: the item left out
};

struct FormView {
  std::vector<std::string> moot;                             // field paths, in the schema's order
  std::vector<std::pair<std::string, std::string>> implied;  // field, answer as JSON
  std::vector<std::string> open;
  std::vector<Lever> levers;  // lowest outcome first, at most kMaxLevers
};
inline constexpr size_t kMaxLevers = 6;

// Applies the pack's implied answers to `declaration` (until nothing more follows), evaluates
// it into `decision`, and returns what the form asks. `declaration` must have its registry
// applied (tool facts), as the service assesses.
FormView complete_form(const Engine& engine, domain::Declaration* declaration, Decision* decision);

// {"moot":[...],"implied":{field: answer},"open":[...],"levers":[{field,value,outcome,removes?}]}
std::string form_json(const FormView& view);

}  // namespace clearcut::policy
