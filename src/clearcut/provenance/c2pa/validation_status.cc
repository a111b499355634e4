#include "clearcut/provenance/c2pa/validation_status.h"

#include <array>

namespace clearcut::c2pa {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

StatusKind status_kind(std::string_view code) {
  static constexpr std::array<std::string_view, 10> kInformational = {
      "algorithm.deprecated",
      "assertion.dataHash.additionalExclusions",
      "ingredient.unknownProvenance",
      "ingredient.claimSignature.validated",
      "signingCredential.ocsp.skipped",
      "signingCredential.ocsp.inaccessible",
      "timeStamp.mismatch",
      "timeStamp.malformed",
      "timeStamp.untrusted",
      "timeStamp.outsideValidity",
  };
  for (std::string_view info : kInformational) {
    if (code == info) {
      return StatusKind::kInformational;
    }
  }
  for (std::string_view suffix :
       {".match", ".validated", ".trusted", ".insideValidity", ".notRevoked", ".redacted"}) {
    if (ends_with(code, suffix)) {
      return StatusKind::kSuccess;
    }
  }
  return StatusKind::kFailure;
}

}  // namespace clearcut::c2pa
