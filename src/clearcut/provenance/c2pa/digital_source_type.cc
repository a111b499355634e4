#include "clearcut/provenance/c2pa/digital_source_type.h"

#include <array>
#include <utility>

namespace clearcut::c2pa {

namespace {

using Term = std::pair<DigitalSourceType, std::string_view>;

constexpr std::array<Term, 22> kTerms = {{
    {DigitalSourceType::kDigitalCapture, "digitalCapture"},
    {DigitalSourceType::kComputationalCapture, "computationalCapture"},
    {DigitalSourceType::kNegativeFilm, "negativeFilm"},
    {DigitalSourceType::kPositiveFilm, "positiveFilm"},
    {DigitalSourceType::kPrint, "print"},
    {DigitalSourceType::kHumanEdits, "humanEdits"},
    {DigitalSourceType::kMinorHumanEdits, "minorHumanEdits"},
    {DigitalSourceType::kAlgorithmicallyEnhanced, "algorithmicallyEnhanced"},
    {DigitalSourceType::kSoftwareImage, "softwareImage"},
    {DigitalSourceType::kDigitalArt, "digitalArt"},
    {DigitalSourceType::kDigitalCreation, "digitalCreation"},
    {DigitalSourceType::kDataDrivenMedia, "dataDrivenMedia"},
    {DigitalSourceType::kTrainedAlgorithmicMedia, "trainedAlgorithmicMedia"},
    {DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia,
     "compositeWithTrainedAlgorithmicMedia"},
    {DigitalSourceType::kAlgorithmicMedia, "algorithmicMedia"},
    {DigitalSourceType::kScreenCapture, "screenCapture"},
    {DigitalSourceType::kVirtualRecording, "virtualRecording"},
    {DigitalSourceType::kComposite, "composite"},
    {DigitalSourceType::kCompositeCapture, "compositeCapture"},
    {DigitalSourceType::kCompositeSynthetic, "compositeSynthetic"},
    {DigitalSourceType::kC2paEmpty, "empty"},
    {DigitalSourceType::kC2paTrainedAlgorithmicData, "trainedAlgorithmicData"},
}};

bool strip_prefix(std::string_view* text, std::string_view prefix) {
  if (text->substr(0, prefix.size()) == prefix) {
    text->remove_prefix(prefix.size());
    return true;
  }
  return false;
}

}  // namespace

DigitalSourceType parse_digital_source_type(std::string_view uri) {
  if (uri == "c2pa.trainedAlgorithmicData") {
    return DigitalSourceType::kC2paTrainedAlgorithmicData;
  }
  std::string_view term = uri;
  bool iptc = false;
  bool c2pa = false;
  if (strip_prefix(&term, "http://") || strip_prefix(&term, "https://")) {
    iptc = strip_prefix(&term, "cv.iptc.org/newscodes/digitalsourcetype/");
    c2pa = !iptc && strip_prefix(&term, "c2pa.org/digitalsourcetype/");
    if (!iptc && !c2pa) {
      return DigitalSourceType::kUnknown;
    }
  }
  for (const auto& [type, name] : kTerms) {
    bool c2pa_term = type == DigitalSourceType::kC2paEmpty ||
                     type == DigitalSourceType::kC2paTrainedAlgorithmicData;
    if (name == term && !(iptc && c2pa_term) && !(c2pa && !c2pa_term)) {
      return type;
    }
  }
  return DigitalSourceType::kUnknown;
}

std::string_view digital_source_type_term(DigitalSourceType type) {
  for (const auto& [candidate, name] : kTerms) {
    if (candidate == type) {
      return name;
    }
  }
  return {};
}

std::string digital_source_type_uri(DigitalSourceType type) {
  std::string_view term = digital_source_type_term(type);
  if (term.empty()) {
    return {};
  }
  bool c2pa_term = type == DigitalSourceType::kC2paEmpty ||
                   type == DigitalSourceType::kC2paTrainedAlgorithmicData;
  return std::string(c2pa_term ? "http://c2pa.org/digitalsourcetype/"
                               : "http://cv.iptc.org/newscodes/digitalsourcetype/") +
         std::string(term);
}

AiInvolvement ai_involvement(DigitalSourceType type) {
  switch (type) {
    case DigitalSourceType::kTrainedAlgorithmicMedia:
    case DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia:
    case DigitalSourceType::kC2paTrainedAlgorithmicData:
      return AiInvolvement::kGenerativeAi;
    case DigitalSourceType::kAlgorithmicMedia:
    case DigitalSourceType::kCompositeSynthetic:
      return AiInvolvement::kSynthetic;
    default:
      return AiInvolvement::kNone;
  }
}

}  // namespace clearcut::c2pa
