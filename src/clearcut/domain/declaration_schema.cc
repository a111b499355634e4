#include "clearcut/domain/declaration_schema.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "clearcut/base/result.h"

namespace clearcut::domain {
namespace {

using Vocab = std::span<const std::string_view>;

constexpr std::string_view kTriValues[] = {"no", "yes"};
constexpr std::string_view kPurpose[] = {"ideation",     "reference", "previs", "temp_media",
                                         "localization", "marketing", "vfx",    "final_asset",
                                         "training",     "other"};
constexpr std::string_view kMedia[] = {"image", "video", "audio", "text"};
constexpr std::string_view kInputs[] = {
    "studio_unreleased", "script",         "production_image", "personal_data", "talent_likeness",
    "contract",          "third_party_ip", "licensed_stock",   "public_domain", "own_material"};
constexpr std::string_view kReferences[] = {"copyrighted_work", "public_figure", "deceased_person",
                                            "artist_style"};
constexpr std::string_view kTrainingOn[] = {"performer_material", "third_party_art",
                                            "studio_material"};
constexpr std::string_view kProminence[] = {"incidental", "prominent"};
constexpr std::string_view kOnScreen[] = {"poster", "document", "signage", "news_clipping", "none"};
constexpr std::string_view kReplica[] = {"none", "create", "use"};
constexpr std::string_view kReplicaUse[] = {"as_scripted", "unsafe_activity", "unrecognizable",
                                            "other", "none"};
constexpr std::string_view kAlteration[] = {"none", "customary", "significant"};
// What the vendor says of its model's training data, and whether it indemnifies outputs. The
// word `unknown` is an answer (the vendor does not say), not a missing one.
constexpr std::string_view kTrainingData[] = {"licensed", "mixed", "unknown"};
constexpr std::string_view kIndemnified[] = {"yes", "no", "unknown"};

constexpr FieldKind kTri = FieldKind::kTri;
constexpr FieldKind kEnum = FieldKind::kEnum;
constexpr FieldKind kList = FieldKind::kList;
constexpr FieldKind kText = FieldKind::kText;
constexpr FieldScope kDecl = FieldScope::kDeclaration;
constexpr FieldScope kStage = FieldScope::kStage;

// Text fields carry slot 0; nothing indexes by it. Fields added within clearcut/v1 (POLICY.md §6)
// take the next free slots, so earlier slots keep their numbers.
constexpr FieldSpec kDeclarationFields[] = {
    {"schema", kText, kDecl, {}, 0},
    {"production", kText, kDecl, {}, 0},
    {"summary", kText, kDecl, {}, 0},
    {"purpose", kEnum, kDecl, Vocab(kPurpose), 0},
    {"media", kList, kDecl, Vocab(kMedia), 0},
    {"inputs", kList, kDecl, Vocab(kInputs), 1},
    {"references", kList, kDecl, Vocab(kReferences), 2},
    {"training.trains_model", kTri, kDecl, Vocab(kTriValues), 1},
    {"training.on", kList, kDecl, Vocab(kTrainingOn), 3},
    {"training.rights_cleared", kTri, kDecl, Vocab(kTriValues), 2},
    {"output.in_final", kTri, kDecl, Vocab(kTriValues), 3},
    {"output.prominence", kEnum, kDecl, Vocab(kProminence), 4},
    {"output.story_relevant", kTri, kDecl, Vocab(kTriValues), 5},
    {"output.key_creative_element", kTri, kDecl, Vocab(kTriValues), 6},
    {"output.on_screen_element", kEnum, kDecl, Vocab(kOnScreen), 7},
    {"output.could_be_mistaken_for_real", kTri, kDecl, Vocab(kTriValues), 8},
    {"output.factual_content", kTri, kDecl, Vocab(kTriValues), 9},
    {"output.human_authored_final", kTri, kDecl, Vocab(kTriValues), 10},
    {"output.public", kTri, kDecl, Vocab(kTriValues), 25},
    {"talent.likeness", kTri, kDecl, Vocab(kTriValues), 11},
    {"talent.digital_replica", kEnum, kDecl, Vocab(kReplica), 12},
    {"talent.replica_use", kEnum, kDecl, Vocab(kReplicaUse), 13},
    {"talent.alteration", kEnum, kDecl, Vocab(kAlteration), 14},
    {"talent.replaces_union_work", kTri, kDecl, Vocab(kTriValues), 15},
    {"talent.performer_model_outside_scope", kTri, kDecl, Vocab(kTriValues), 16},
    {"talent.consent_documented", kTri, kDecl, Vocab(kTriValues), 17},
    {"talent.real_person", kTri, kDecl, Vocab(kTriValues), 23},
    {"talent.deceased", kTri, kDecl, Vocab(kTriValues), 24},
    {"principles.p1_no_infringement", kTri, kDecl, Vocab(kTriValues), 18},
    {"principles.p2_no_training_on_production_data", kTri, kDecl, Vocab(kTriValues), 19},
    {"principles.p3_enterprise_environment", kTri, kDecl, Vocab(kTriValues), 20},
    {"principles.p4_temporary_not_final", kTri, kDecl, Vocab(kTriValues), 21},
    {"principles.p5_no_talent_replacement_without_consent", kTri, kDecl, Vocab(kTriValues), 22},
};

constexpr FieldSpec kStageFields[] = {
    {"tool", kText, kStage, {}, 0},
    {"name", kText, kStage, {}, 0},
    {"enterprise_agreement", kTri, kStage, Vocab(kTriValues), 0},
    {"trains_on_data", kTri, kStage, Vocab(kTriValues), 1},
    {"retains_data", kTri, kStage, Vocab(kTriValues), 2},
    {"terms_reviewed", kTri, kStage, Vocab(kTriValues), 3},
    {"training_data", kEnum, kStage, Vocab(kTrainingData), 4},
    {"indemnified", kEnum, kStage, Vocab(kIndemnified), 5},
};

// The arrays that hold a declaration's values are sized by kScalarCount: keep them in step.
constexpr int count_scalars() {
  int n = 0;
  for (const auto& f : kDeclarationFields) {
    if (f.kind == kTri || f.kind == kEnum) {
      n = f.slot + 1 > n ? f.slot + 1 : n;
    }
  }
  return n;
}
static_assert(count_scalars() == kScalarCount);

std::string join_vocabulary(Vocab vocab) {
  std::string out;
  for (size_t i = 0; i < vocab.size(); ++i) {
    if (i > 0) {
      out += i + 1 == vocab.size() ? " or " : ", ";
    }
    out += vocab[i];
  }
  return out;
}

}  // namespace

std::span<const FieldSpec> declaration_fields() {
  return kDeclarationFields;
}
std::span<const FieldSpec> stage_fields() {
  return kStageFields;
}

const FieldSpec* find_field(FieldScope scope, std::string_view path) {
  for (const FieldSpec& f : scope == kDecl ? declaration_fields() : stage_fields()) {
    if (f.path == path) {
      return &f;
    }
  }
  return nullptr;
}

const FieldSpec& scalar_field(FieldScope scope, int slot) {
  for (const FieldSpec& f : scope == kDecl ? declaration_fields() : stage_fields()) {
    if ((f.kind == kTri || f.kind == kEnum) && f.slot == slot) {
      return f;
    }
  }
  CC_CHECK(false);
  __builtin_unreachable();
}

const FieldSpec& list_field(int slot) {
  for (const FieldSpec& f : declaration_fields()) {
    if (f.kind == kList && f.slot == slot) {
      return f;
    }
  }
  CC_CHECK(false);
  __builtin_unreachable();
}

std::optional<int> vocabulary_index(const FieldSpec& field, std::string_view value) {
  for (size_t i = 0; i < field.vocabulary.size(); ++i) {
    if (field.vocabulary[i] == value) {
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

std::string vocabulary_text(const FieldSpec& field) {
  return field.kind == kTri ? "yes, no or unsure" : join_vocabulary(field.vocabulary);
}

std::optional<int8_t> parse_tri(std::string_view word) {
  if (word == "unsure") {
    return kUnsure;
  }
  auto index = std::find(std::begin(kTriValues), std::end(kTriValues), word);
  if (index == std::end(kTriValues)) {
    return std::nullopt;
  }
  return static_cast<int8_t>(index - std::begin(kTriValues));
}

}  // namespace clearcut::domain
