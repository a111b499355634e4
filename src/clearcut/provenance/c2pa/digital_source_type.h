#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clearcut::c2pa {

// The IPTC Digital Source Type vocabulary (http://cv.iptc.org/newscodes/digitalsourcetype/,
// 2024 release, retired terms included) plus the two C2PA additions (C2PA §18.15.4.4).
enum class DigitalSourceType {
  kUnknown,  // a URI outside the vocabulary
  kDigitalCapture,
  kComputationalCapture,
  kNegativeFilm,
  kPositiveFilm,
  kPrint,
  kHumanEdits,
  kMinorHumanEdits,
  kAlgorithmicallyEnhanced,
  kSoftwareImage,
  kDigitalArt,
  kDigitalCreation,
  kDataDrivenMedia,
  kTrainedAlgorithmicMedia,
  kCompositeWithTrainedAlgorithmicMedia,
  kAlgorithmicMedia,
  kScreenCapture,
  kVirtualRecording,
  kComposite,
  kCompositeCapture,
  kCompositeSynthetic,
  kC2paEmpty,                  // http://c2pa.org/digitalsourcetype/empty
  kC2paTrainedAlgorithmicData  // http://c2pa.org/digitalsourcetype/trainedAlgorithmicData
};

// How much machine generation a source type declares.
enum class AiInvolvement {
  kNone,          // captured, scanned, or made by people with software
  kSynthetic,     // algorithmic but not from a trained model: algorithmicMedia,
                  // compositeSynthetic
  kGenerativeAi,  // a trained model made all or part of it
};

// Accepts the IPTC URI over http or https, the C2PA URIs, a bare term ("trainedAlgorithmicMedia")
// and the legacy "c2pa.trainedAlgorithmicData".
DigitalSourceType parse_digital_source_type(std::string_view uri);

// The IPTC term, e.g. "trainedAlgorithmicMedia"; empty for kUnknown.
std::string_view digital_source_type_term(DigitalSourceType type);

// The URI writers put in digitalSourceType and in XMP: "http://cv.iptc.org/newscodes/
// digitalsourcetype/<term>", or "http://c2pa.org/digitalsourcetype/<term>" for the C2PA terms;
// empty for kUnknown.
std::string digital_source_type_uri(DigitalSourceType type);

AiInvolvement ai_involvement(DigitalSourceType type);

}  // namespace clearcut::c2pa
