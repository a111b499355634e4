#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/domain/declaration.h"

namespace clearcut::policy {

// Three-valued truth (Kleene): unknown AND false = false, unknown OR true = true.
// Encoded so that AND is min, OR is max and NOT is 2 - x.
enum class Truth : uint8_t { kFalse = 0, kUnknown = 1, kTrue = 2 };

// A fact a condition looked at: one declaration field, or one field of one pipeline stage.
struct FactRef {
  enum class Kind : uint8_t { kScalar, kList, kStageScalar, kPipeline };
  Kind kind = Kind::kScalar;
  uint8_t slot = 0;
  int16_t stage = -1;  // for kStageScalar

  bool operator==(const FactRef&) const = default;
};

// A rule's `when` condition, compiled against the declaration schema into a flat tree.
// Grammar (precedence low to high):
//   expr    := or ;  or := and ("or" and)* ;  and := unary ("and" unary)*
//   unary   := "not" unary | "(" expr ")" | "true" | "false" | quant | len | stated | test
//   quant   := ("any" | "all") "(" "pipeline" "," expr ")"   -- inside: stage fields by name
//   len     := "len" "(" "pipeline" ")" ("=="|"!="|"<"|"<="|">"|">=") INTEGER
//   stated  := "stated" "(" FIELD ")"   -- two-valued: the declaration gives the field a value
//                                          (`unsure` included); false when it is absent
//   test    := FIELD ("==" | "!=") WORD | FIELD "in" "[" WORD ("," WORD)* "]"
//            | FIELD ("has" WORD | "has_any" "[" ... "]" | "has_all" "[" ... "]")
//            | FIELD                                   -- a tri-state field: FIELD == yes
// Unknown fields, words outside a field's vocabulary and operators that do not fit a field's
// kind are errors at compile time. Immutable after compile; safe to share across threads.
// `stated` exists so that a rule can read a field added within clearcut/v1 without making
// every older declaration, which cannot state it, unknown (POLICY.md §6).
class Condition {
 public:
  static base::Result<Condition> compile(std::string_view text);

  Truth evaluate(const domain::Declaration& d) const { return eval(0, d, nullptr); }

  // Appends the facts that made the condition come out `result` (which must be what evaluate
  // returned): for true, the facts that made it true; for unknown, the unknown facts.
  void explain(const domain::Declaration& d, Truth result, std::vector<FactRef>* out) const;

  // The canonical text: one space between tokens, minimal parentheses. Feeds the pack digest.
  std::string canonical() const;

  // Every fact the condition reads (stage facts with stage = -1), without duplicates.
  std::vector<FactRef> facts() const;

  enum class Op : uint8_t {
    kConst,          // value = truth
    kScalarIn,       // declaration scalar `slot` has a value in `mask`
    kStageScalarIn,  // stage scalar `slot` has a value in `mask`
    kListAny,        // list `slot` contains a value of `mask`
    kListAll,        // list `slot` contains every value of `mask`
    kPipelineLen,    // len(pipeline) <cmp> value
    kStated,         // the field `slot` of kind FactRef::Kind(value) is not absent
    kNot,
    kAnd,
    kOr,
    kAny,  // any(pipeline, child)
    kAll,  // all(pipeline, child)
  };
  enum class Cmp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

  struct Node {
    Op op;
    uint8_t slot = 0;
    Cmp cmp = Cmp::kEq;
    uint32_t mask = 0;
    int32_t value = 0;
    uint16_t first = 0;  // children: children_[first, first + count)
    uint16_t count = 0;
  };

  const std::vector<Node>& nodes() const { return nodes_; }
  // The child node indices of `node` (for exporters and analysis; evaluation needs none).
  std::span<const uint16_t> children(const Node& node) const {
    return std::span<const uint16_t>(children_).subspan(node.first, node.count);
  }

 private:
  friend class ConditionParser;

  Truth eval(uint16_t index, const domain::Declaration& d, const domain::Stage* stage) const;
  void explain_node(uint16_t index, const domain::Declaration& d, int stage, Truth result,
                    size_t begin, std::vector<FactRef>* out) const;
  std::string print(uint16_t index, int parent_precedence) const;

  std::vector<Node> nodes_;         // nodes_[0] is the root
  std::vector<uint16_t> children_;  // child indices, grouped per node
};

}  // namespace clearcut::policy
