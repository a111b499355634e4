#pragma once

#include <memory>

#include "clearcut/domain/declaration.h"
#include "clearcut/policy/decision.h"
#include "clearcut/policy/policy_pack.h"

namespace clearcut::policy {

// Bumped whenever evaluation semantics change, so stored decisions say which engine made them.
inline constexpr std::string_view kEngineVersion = "2";

// Triages declarations against one compiled pack. Pure and deterministic; const methods are
// safe to call from many threads at once.
//
// A rule whose condition is true contributes its outcome and actions (with those of its
// additions that apply). A rule whose condition is unknown (POLICY.md §2) contributes `escalate`
// (never more) and `notify_contact`, and its unknown facts; the actions it would add are kept on
// its hit as conditional actions. An unknown `notify` rule could raise nothing, so it is not
// listed. A `written_approval` decision always carries `legal_review` (POLICY.md §6).
class Engine {
 public:
  explicit Engine(std::shared_ptr<const PolicyPack> pack) : pack_(std::move(pack)) {}

  // Fills `out` (cleared first); reuse one Decision to evaluate without allocating.
  void evaluate(const domain::Declaration& declaration, Decision* out) const;
  Decision evaluate(const domain::Declaration& declaration) const;

  const PolicyPack& pack() const { return *pack_; }
  const std::shared_ptr<const PolicyPack>& shared_pack() const { return pack_; }

 private:
  std::shared_ptr<const PolicyPack> pack_;
};

}  // namespace clearcut::policy
