#include "clearcut/policy/condition.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <memory>

#include "clearcut/base/text.h"

namespace clearcut::policy {

using domain::FieldKind;
using domain::FieldScope;
using domain::FieldSpec;

namespace {

Truth truth_not(Truth t) {
  return static_cast<Truth>(2 - static_cast<int>(t));
}

struct Token {
  enum class Kind { kWord, kNumber, kSymbol, kEnd };
  Kind kind;
  std::string text;
  size_t column;  // 1-based
};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

base::Result<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
      continue;
    }
    size_t start = i;
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
        ++i;
      }
      tokens.push_back(
          {Token::Kind::kNumber, std::string(text.substr(start, i - start)), start + 1});
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_') {
      while (i < text.size() && is_word_char(text[i])) {
        ++i;
      }
      tokens.push_back({Token::Kind::kWord, std::string(text.substr(start, i - start)), start + 1});
      continue;
    }
    std::string_view two = text.substr(i, 2);
    if (two == "==" || two == "!=" || two == "<=" || two == ">=") {
      tokens.push_back({Token::Kind::kSymbol, std::string(two), start + 1});
      i += 2;
      continue;
    }
    if (std::string_view("()[],<>").find(c) != std::string_view::npos) {
      tokens.push_back({Token::Kind::kSymbol, std::string(1, c), start + 1});
      ++i;
      continue;
    }
    return base::invalid_argument("at column " + std::to_string(start + 1) +
                                  ": unexpected character '" + std::string(1, c) + "'");
  }
  tokens.push_back({Token::Kind::kEnd, "", text.size() + 1});
  return tokens;
}

// A parsed tree before flattening.
struct Ast {
  Condition::Node node;
  std::vector<std::unique_ptr<Ast>> children;
};

std::unique_ptr<Ast> make(Condition::Op op) {
  auto ast = std::make_unique<Ast>();
  ast->node.op = op;
  return ast;
}

std::vector<std::string_view> field_names(FieldScope scope) {
  std::vector<std::string_view> names;
  for (const FieldSpec& f :
       scope == FieldScope::kDeclaration ? domain::declaration_fields() : domain::stage_fields()) {
    if (f.kind != FieldKind::kText) {
      names.push_back(f.path);
    }
  }
  return names;
}

}  // namespace

// Recursive descent over the token list; builds an Ast, then flattens it root-first.
class ConditionParser {
 public:
  explicit ConditionParser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  base::Result<Condition> parse() {
    std::unique_ptr<Ast> root = CC_TRY(parse_or());
    if (peek().kind != Token::Kind::kEnd) {
      return error("expected 'and', 'or' or the end of the condition, got '" + peek().text + "'");
    }
    Condition condition;
    flatten(*root, &condition);
    return condition;
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  const Token& next() { return tokens_[pos_++]; }
  bool accept(std::string_view text) {
    if (peek().kind != Token::Kind::kEnd && peek().text == text) {
      ++pos_;
      return true;
    }
    return false;
  }
  base::Error error(const std::string& message) const {
    return base::invalid_argument("at column " + std::to_string(peek().column) + ": " + message);
  }
  base::Status expect(std::string_view text) {
    if (!accept(text)) {
      return error("expected '" + std::string(text) + "', got '" +
                   (peek().kind == Token::Kind::kEnd ? "end of condition" : peek().text) + "'");
    }
    return {};
  }

  base::Result<std::unique_ptr<Ast>> parse_or() {
    std::unique_ptr<Ast> left = CC_TRY(parse_and());
    if (peek().text != "or") {
      return left;
    }
    auto node = make(Condition::Op::kOr);
    node->children.push_back(std::move(left));
    while (accept("or")) {
      node->children.push_back(CC_TRY(parse_and()));
    }
    return node;
  }

  base::Result<std::unique_ptr<Ast>> parse_and() {
    std::unique_ptr<Ast> left = CC_TRY(parse_unary());
    if (peek().text != "and") {
      return left;
    }
    auto node = make(Condition::Op::kAnd);
    node->children.push_back(std::move(left));
    while (accept("and")) {
      node->children.push_back(CC_TRY(parse_unary()));
    }
    return node;
  }

  base::Result<std::unique_ptr<Ast>> parse_unary() {
    if (accept("not")) {
      auto node = make(Condition::Op::kNot);
      node->children.push_back(CC_TRY(parse_unary()));
      return node;
    }
    if (accept("(")) {
      std::unique_ptr<Ast> inner = CC_TRY(parse_or());
      CC_TRY(expect(")"));
      return inner;
    }
    if (peek().kind != Token::Kind::kWord) {
      return error(
          "expected a field, 'not', '(', 'any', 'all', 'len', 'stated', 'true' or 'false', got '" +
          (peek().kind == Token::Kind::kEnd ? "end of condition" : peek().text) + "'");
    }
    if (peek().text == "true" || peek().text == "false") {
      auto node = make(Condition::Op::kConst);
      node->node.value = next().text == "true" ? 2 : 0;
      return node;
    }
    if (peek().text == "any" || peek().text == "all") {
      return parse_quantifier();
    }
    if (peek().text == "len") {
      return parse_len();
    }
    if (peek().text == "stated") {
      return parse_stated();
    }
    return parse_test();
  }

  base::Result<std::unique_ptr<Ast>> parse_quantifier() {
    if (in_stage_) {
      return error("any() and all() cannot be nested");
    }
    bool any = next().text == "any";
    CC_TRY(expect("("));
    CC_TRY(expect("pipeline"));
    CC_TRY(expect(","));
    in_stage_ = true;
    auto inner = parse_or();
    in_stage_ = false;
    if (!inner.has_value()) {
      return std::move(inner).error();
    }
    CC_TRY(expect(")"));
    auto node = make(any ? Condition::Op::kAny : Condition::Op::kAll);
    node->children.push_back(std::move(inner).value());
    return node;
  }

  base::Result<std::unique_ptr<Ast>> parse_len() {
    next();
    CC_TRY(expect("("));
    CC_TRY(expect("pipeline"));
    CC_TRY(expect(")"));
    static constexpr std::pair<std::string_view, Condition::Cmp> kCmps[] = {
        {"==", Condition::Cmp::kEq}, {"!=", Condition::Cmp::kNe}, {"<", Condition::Cmp::kLt},
        {"<=", Condition::Cmp::kLe}, {">", Condition::Cmp::kGt},  {">=", Condition::Cmp::kGe}};
    auto node = make(Condition::Op::kPipelineLen);
    bool found = false;
    for (const auto& [text, cmp] : kCmps) {
      if (accept(text)) {
        node->node.cmp = cmp;
        found = true;
        break;
      }
    }
    if (!found) {
      return error("expected a comparison (==, !=, <, <=, >, >=) after len(pipeline)");
    }
    if (peek().kind != Token::Kind::kNumber || peek().text.size() > 4) {
      return error("expected a number of stages");
    }
    node->node.value = std::stoi(next().text);
    return node;
  }

  base::Result<std::unique_ptr<Ast>> parse_stated() {
    next();
    CC_TRY(expect("("));
    if (peek().kind != Token::Kind::kWord) {
      return error("expected a field inside stated()");
    }
    const FieldSpec* field = CC_TRY(resolve_field(next()));
    CC_TRY(expect(")"));
    auto node = make(Condition::Op::kStated);
    node->node.slot = field->slot;
    FactRef::Kind kind = field->kind == FieldKind::kList      ? FactRef::Kind::kList
                         : field->scope == FieldScope::kStage ? FactRef::Kind::kStageScalar
                                                              : FactRef::Kind::kScalar;
    node->node.value = static_cast<int32_t>(kind);
    return node;
  }

  // Resolves a field name in the current scope: stage fields inside any()/all() first.
  base::Result<const FieldSpec*> resolve_field(const Token& token) {
    const FieldSpec* field = nullptr;
    if (in_stage_) {
      field = domain::find_field(FieldScope::kStage, token.text);
    }
    if (field == nullptr) {
      field = domain::find_field(FieldScope::kDeclaration, token.text);
    }
    if (field == nullptr || field->kind == FieldKind::kText) {
      std::string message = "unknown field '" + token.text + "'";
      auto names = field_names(in_stage_ ? FieldScope::kStage : FieldScope::kDeclaration);
      std::string best = base::closest_name(token.text, names);
      if (!best.empty()) {
        message += " (did you mean '" + best + "'?)";
      }
      if (!in_stage_ && domain::find_field(FieldScope::kStage, token.text) != nullptr) {
        message += "; stage fields are read inside any(pipeline, ...) or all(pipeline, ...)";
      }
      return base::invalid_argument("at column " + std::to_string(token.column) + ": " + message);
    }
    return field;
  }

  base::Result<uint32_t> read_word(const FieldSpec& field) {
    if (peek().kind != Token::Kind::kWord) {
      return error("expected a value of " + std::string(field.path) + ": " +
                   domain::vocabulary_text(field));
    }
    const Token& token = next();
    if (field.kind == FieldKind::kTri && token.text == "unsure") {
      return base::invalid_argument(
          "at column " + std::to_string(token.column) +
          ": 'unsure' is unknown, not a value; compare with yes or no and let unknown escalate");
    }
    std::optional<int> index = domain::vocabulary_index(field, token.text);
    if (!index) {
      return base::invalid_argument(
          "at column " + std::to_string(token.column) + ": '" + token.text +
          "' is not a value of " + std::string(field.path) + "; expected " +
          (field.kind == FieldKind::kTri ? std::string("yes or no")
                                         : domain::vocabulary_text(field)));
    }
    return 1U << *index;
  }

  base::Result<uint32_t> read_word_list(const FieldSpec& field) {
    CC_TRY(expect("["));
    uint32_t mask = CC_TRY(read_word(field));
    while (accept(",")) {
      mask |= CC_TRY(read_word(field));
    }
    CC_TRY(expect("]"));
    return mask;
  }

  base::Result<std::unique_ptr<Ast>> parse_test() {
    const Token& name = next();
    const FieldSpec* field = CC_TRY(resolve_field(name));
    bool stage = field->scope == FieldScope::kStage;
    if (field->kind == FieldKind::kList) {
      auto node = make(Condition::Op::kListAny);
      node->node.slot = field->slot;
      if (accept("has")) {
        node->node.mask = CC_TRY(read_word(*field));
      } else if (accept("has_any")) {
        node->node.mask = CC_TRY(read_word_list(*field));
      } else if (accept("has_all")) {
        node->node.op = Condition::Op::kListAll;
        node->node.mask = CC_TRY(read_word_list(*field));
      } else {
        return error(std::string(field->path) +
                     " is a list: test it with 'has', 'has_any [...]' or 'has_all [...]'");
      }
      return node;
    }
    auto node = make(stage ? Condition::Op::kStageScalarIn : Condition::Op::kScalarIn);
    node->node.slot = field->slot;
    if (accept("==")) {
      node->node.mask = CC_TRY(read_word(*field));
      return node;
    }
    if (accept("!=")) {
      node->node.mask = CC_TRY(read_word(*field));
      auto negation = make(Condition::Op::kNot);
      negation->children.push_back(std::move(node));
      return negation;
    }
    if (accept("in")) {
      node->node.mask = CC_TRY(read_word_list(*field));
      return node;
    }
    if (field->kind == FieldKind::kTri) {
      node->node.mask = 1U << domain::kYes;
      return node;
    }
    return error("expected '==', '!=' or 'in [...]' after " + std::string(field->path));
  }

  static uint16_t flatten(Ast& ast, Condition* out) {
    auto index = static_cast<uint16_t>(out->nodes_.size());
    out->nodes_.push_back(ast.node);
    auto first = static_cast<uint16_t>(out->children_.size());
    out->children_.resize(out->children_.size() + ast.children.size());
    out->nodes_[index].first = first;
    out->nodes_[index].count = static_cast<uint16_t>(ast.children.size());
    for (size_t i = 0; i < ast.children.size(); ++i) {
      uint16_t child = flatten(*ast.children[i], out);
      out->children_[first + i] = child;
    }
    return index;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  bool in_stage_ = false;
};

base::Result<Condition> Condition::compile(std::string_view text) {
  std::vector<Token> tokens = CC_TRY(tokenize(text));
  if (tokens.size() == 1) {
    return base::invalid_argument("empty condition; write `true` for a rule that always fires");
  }
  if (tokens.size() > 2000) {
    return base::invalid_argument("condition too long");
  }
  return ConditionParser(std::move(tokens)).parse();
}

Truth Condition::eval(uint16_t index, const domain::Declaration& d,
                      const domain::Stage* stage) const {
  const Node& n = nodes_[index];
  switch (n.op) {
    case Op::kConst:
      return static_cast<Truth>(n.value);
    case Op::kScalarIn: {
      int8_t v = d.scalars[n.slot];
      if (v < 0) {
        return Truth::kUnknown;
      }
      return (n.mask >> v) & 1U ? Truth::kTrue : Truth::kFalse;
    }
    case Op::kStageScalarIn: {
      int8_t v = stage->scalars[n.slot];
      if (v < 0) {
        return Truth::kUnknown;
      }
      return (n.mask >> v) & 1U ? Truth::kTrue : Truth::kFalse;
    }
    case Op::kListAny:
      if (!d.list_known(n.slot)) {
        return Truth::kUnknown;
      }
      return (d.lists[n.slot] & n.mask) != 0 ? Truth::kTrue : Truth::kFalse;
    case Op::kListAll:
      if (!d.list_known(n.slot)) {
        return Truth::kUnknown;
      }
      return (d.lists[n.slot] & n.mask) == n.mask ? Truth::kTrue : Truth::kFalse;
    case Op::kStated:
      switch (static_cast<FactRef::Kind>(n.value)) {
        case FactRef::Kind::kList:
          return d.list_known(n.slot) ? Truth::kTrue : Truth::kFalse;
        case FactRef::Kind::kStageScalar:
          return stage->scalars[n.slot] != domain::kAbsent ? Truth::kTrue : Truth::kFalse;
        default:
          return d.scalars[n.slot] != domain::kAbsent ? Truth::kTrue : Truth::kFalse;
      }
    case Op::kPipelineLen: {
      if (!d.pipeline_known) {
        return Truth::kUnknown;
      }
      auto len = static_cast<int32_t>(d.pipeline.size());
      bool r = false;
      switch (n.cmp) {
        case Cmp::kEq:
          r = len == n.value;
          break;
        case Cmp::kNe:
          r = len != n.value;
          break;
        case Cmp::kLt:
          r = len < n.value;
          break;
        case Cmp::kLe:
          r = len <= n.value;
          break;
        case Cmp::kGt:
          r = len > n.value;
          break;
        case Cmp::kGe:
          r = len >= n.value;
          break;
      }
      return r ? Truth::kTrue : Truth::kFalse;
    }
    case Op::kNot:
      return truth_not(eval(children_[n.first], d, stage));
    case Op::kAnd: {
      Truth result = Truth::kTrue;
      for (uint16_t i = 0; i < n.count; ++i) {
        result = std::min(result, eval(children_[n.first + i], d, stage));
        if (result == Truth::kFalse) {
          break;
        }
      }
      return result;
    }
    case Op::kOr: {
      Truth result = Truth::kFalse;
      for (uint16_t i = 0; i < n.count; ++i) {
        result = std::max(result, eval(children_[n.first + i], d, stage));
        if (result == Truth::kTrue) {
          break;
        }
      }
      return result;
    }
    case Op::kAny:
    case Op::kAll: {
      if (!d.pipeline_known) {
        return Truth::kUnknown;
      }
      bool any = n.op == Op::kAny;
      Truth result = any ? Truth::kFalse : Truth::kTrue;
      for (const domain::Stage& s : d.pipeline) {
        Truth t = eval(children_[n.first], d, &s);
        result = any ? std::max(result, t) : std::min(result, t);
        if (result == (any ? Truth::kTrue : Truth::kFalse)) {
          break;
        }
      }
      return result;
    }
  }
  return Truth::kUnknown;
}

void Condition::explain(const domain::Declaration& d, Truth result,
                        std::vector<FactRef>* out) const {
  explain_node(0, d, -1, result, out->size(), out);
}

void Condition::explain_node(uint16_t index, const domain::Declaration& d, int stage, Truth result,
                             size_t begin, std::vector<FactRef>* out) const {
  const Node& n = nodes_[index];
  const domain::Stage* stage_ptr = stage >= 0 ? &d.pipeline[static_cast<size_t>(stage)] : nullptr;
  // Facts are listed once per explanation; `begin` is where this explanation starts in `out`.
  auto add = [out, begin](FactRef ref) {
    auto first = out->begin() + static_cast<std::ptrdiff_t>(begin);
    if (std::find(first, out->end(), ref) == out->end()) {
      out->push_back(ref);
    }
  };
  switch (n.op) {
    case Op::kConst:
      return;
    case Op::kScalarIn:
      add({FactRef::Kind::kScalar, n.slot, -1});
      return;
    case Op::kStageScalarIn:
      add({FactRef::Kind::kStageScalar, n.slot, static_cast<int16_t>(stage)});
      return;
    case Op::kListAny:
    case Op::kListAll:
      add({FactRef::Kind::kList, n.slot, -1});
      return;
    case Op::kPipelineLen:
      add({FactRef::Kind::kPipeline, 0, -1});
      return;
    case Op::kStated: {
      auto kind = static_cast<FactRef::Kind>(n.value);
      add({kind, n.slot, static_cast<int16_t>(kind == FactRef::Kind::kStageScalar ? stage : -1)});
      return;
    }
    case Op::kNot:
      explain_node(children_[n.first], d, stage, truth_not(result), begin, out);
      return;
    case Op::kAnd:
    case Op::kOr: {
      // The children that decide: for AND-true / OR-false all of them; for AND-false /
      // OR-true the first that settles it; for unknown, every unknown child.
      bool all_decide = (n.op == Op::kAnd) == (result == Truth::kTrue);
      for (uint16_t i = 0; i < n.count; ++i) {
        uint16_t child = children_[n.first + i];
        Truth t = eval(child, d, stage_ptr);
        if (result == Truth::kUnknown) {
          if (t == Truth::kUnknown) {
            explain_node(child, d, stage, t, begin, out);
          }
        } else if (all_decide) {
          explain_node(child, d, stage, t, begin, out);
        } else if (t == result) {
          explain_node(child, d, stage, t, begin, out);
          return;
        }
      }
      return;
    }
    case Op::kAny:
    case Op::kAll: {
      if (!d.pipeline_known) {
        add({FactRef::Kind::kPipeline, 0, -1});
        return;
      }
      bool all_decide = (n.op == Op::kAll) == (result == Truth::kTrue);
      for (size_t s = 0; s < d.pipeline.size(); ++s) {
        Truth t = eval(children_[n.first], d, &d.pipeline[s]);
        bool relevant =
            result == Truth::kUnknown ? t == Truth::kUnknown : all_decide || t == result;
        if (relevant) {
          explain_node(children_[n.first], d, static_cast<int>(s), t, begin, out);
          if (result != Truth::kUnknown && !all_decide) {
            return;
          }
        }
      }
      return;
    }
  }
}

namespace {

std::string words_of(const FieldSpec& field, uint32_t mask) {
  std::string out;
  for (size_t i = 0; i < field.vocabulary.size(); ++i) {
    if ((mask >> i) & 1U) {
      out += out.empty() ? "" : ", ";
      out += field.vocabulary[i];
    }
  }
  return out;
}

int precedence(Condition::Op op) {
  switch (op) {
    case Condition::Op::kOr:
      return 1;
    case Condition::Op::kAnd:
      return 2;
    case Condition::Op::kNot:
      return 3;
    default:
      return 4;
  }
}

std::string scalar_test(const FieldSpec& field, uint32_t mask) {
  if (std::popcount(mask) == 1) {
    return std::string(field.path) + " == " + words_of(field, mask);
  }
  return std::string(field.path) + " in [" + words_of(field, mask) + "]";
}

}  // namespace

std::string Condition::print(uint16_t index, int parent_precedence) const {
  const Node& n = nodes_[index];
  std::string text;
  switch (n.op) {
    case Op::kConst:
      text = n.value == 2 ? "true" : "false";
      break;
    case Op::kScalarIn:
      text = scalar_test(domain::scalar_field(FieldScope::kDeclaration, n.slot), n.mask);
      break;
    case Op::kStageScalarIn:
      text = scalar_test(domain::scalar_field(FieldScope::kStage, n.slot), n.mask);
      break;
    case Op::kListAny:
    case Op::kListAll: {
      const FieldSpec& field = domain::list_field(n.slot);
      if (n.op == Op::kListAny && std::popcount(n.mask) == 1) {
        text = std::string(field.path) + " has " + words_of(field, n.mask);
      } else {
        text = std::string(field.path) + (n.op == Op::kListAny ? " has_any [" : " has_all [") +
               words_of(field, n.mask) + "]";
      }
      break;
    }
    case Op::kPipelineLen: {
      static constexpr std::string_view kCmpText[] = {"==", "!=", "<", "<=", ">", ">="};
      text = "len(pipeline) " + std::string(kCmpText[static_cast<int>(n.cmp)]) + " " +
             std::to_string(n.value);
      break;
    }
    case Op::kStated: {
      auto kind = static_cast<FactRef::Kind>(n.value);
      const FieldSpec& field =
          kind == FactRef::Kind::kList
              ? domain::list_field(n.slot)
              : domain::scalar_field(kind == FactRef::Kind::kStageScalar ? FieldScope::kStage
                                                                         : FieldScope::kDeclaration,
                                     n.slot);
      text = "stated(" + std::string(field.path) + ")";
      break;
    }
    case Op::kNot:
      text = "not " + print(children_[n.first], precedence(Op::kNot));
      break;
    case Op::kAnd:
    case Op::kOr:
      for (uint16_t i = 0; i < n.count; ++i) {
        if (i > 0) {
          text += n.op == Op::kAnd ? " and " : " or ";
        }
        // Children of equal precedence are parenthesised so the printed form keeps the tree.
        text += print(children_[n.first + i], precedence(n.op) + 1);
      }
      break;
    case Op::kAny:
    case Op::kAll:
      text = std::string(n.op == Op::kAny ? "any" : "all") + "(pipeline, " +
             print(children_[n.first], 0) + ")";
      break;
  }
  if (precedence(n.op) < parent_precedence) {
    return "(" + text + ")";
  }
  return text;
}

std::string Condition::canonical() const {
  return print(0, 0);
}

std::vector<FactRef> Condition::facts() const {
  std::vector<FactRef> out;
  for (const Node& n : nodes_) {
    FactRef ref;
    switch (n.op) {
      case Op::kScalarIn:
        ref = {FactRef::Kind::kScalar, n.slot, -1};
        break;
      case Op::kStageScalarIn:
        ref = {FactRef::Kind::kStageScalar, n.slot, -1};
        break;
      case Op::kListAny:
      case Op::kListAll:
        ref = {FactRef::Kind::kList, n.slot, -1};
        break;
      case Op::kPipelineLen:
        ref = {FactRef::Kind::kPipeline, 0, -1};
        break;
      case Op::kStated:
        ref = {static_cast<FactRef::Kind>(n.value), n.slot, -1};
        break;
      default:
        continue;
    }
    if (std::find(out.begin(), out.end(), ref) == out.end()) {
      out.push_back(ref);
    }
  }
  return out;
}

}  // namespace clearcut::policy
