#pragma once

#include <string>
#include <string_view>

namespace clearcut::c2pa {

// Validation status codes of C2PA §15.2.1 used by this validator.
namespace status {
// Success.
inline constexpr std::string_view kClaimSignatureValidated = "claimSignature.validated";
inline constexpr std::string_view kClaimSignatureInsideValidity = "claimSignature.insideValidity";
inline constexpr std::string_view kSigningCredentialTrusted = "signingCredential.trusted";
inline constexpr std::string_view kTimeStampValidated = "timeStamp.validated";
inline constexpr std::string_view kAssertionHashedUriMatch = "assertion.hashedURI.match";
inline constexpr std::string_view kAssertionDataHashMatch = "assertion.dataHash.match";
inline constexpr std::string_view kAssertionBmffHashMatch = "assertion.bmffHash.match";
inline constexpr std::string_view kIngredientManifestValidated = "ingredient.manifest.validated";
// Informational.
inline constexpr std::string_view kTimeStampMismatch = "timeStamp.mismatch";
inline constexpr std::string_view kTimeStampMalformed = "timeStamp.malformed";
inline constexpr std::string_view kIngredientUnknownProvenance = "ingredient.unknownProvenance";
inline constexpr std::string_view kDataHashAdditionalExclusions =
    "assertion.dataHash.additionalExclusions";
// Failure.
inline constexpr std::string_view kClaimSignatureMissing = "claimSignature.missing";
inline constexpr std::string_view kClaimSignatureMismatch = "claimSignature.mismatch";
inline constexpr std::string_view kSigningCredentialUntrusted = "signingCredential.untrusted";
inline constexpr std::string_view kSigningCredentialInvalid = "signingCredential.invalid";
inline constexpr std::string_view kSigningCredentialExpired = "signingCredential.expired";
inline constexpr std::string_view kAlgorithmUnsupported = "algorithm.unsupported";
inline constexpr std::string_view kAssertionMissing = "assertion.missing";
inline constexpr std::string_view kAssertionUndeclared = "assertion.undeclared";
inline constexpr std::string_view kAssertionOutsideManifest = "assertion.outsideManifest";
inline constexpr std::string_view kAssertionHashedUriMismatch = "assertion.hashedURI.mismatch";
inline constexpr std::string_view kAssertionDataHashMismatch = "assertion.dataHash.mismatch";
inline constexpr std::string_view kAssertionDataHashMalformed = "assertion.dataHash.malformed";
inline constexpr std::string_view kAssertionBmffHashMismatch = "assertion.bmffHash.mismatch";
inline constexpr std::string_view kAssertionBmffHashMalformed = "assertion.bmffHash.malformed";
inline constexpr std::string_view kAssertionIngredientMalformed = "assertion.ingredient.malformed";
inline constexpr std::string_view kHardBindingsMissing = "hardBindings.missing";
inline constexpr std::string_view kHardBindingsMultiple = "hardBindings.multiple";
inline constexpr std::string_view kIngredientManifestMissing = "ingredient.manifest.missing";
inline constexpr std::string_view kIngredientManifestMismatch = "ingredient.manifest.mismatch";
inline constexpr std::string_view kManifestMultipleParents = "manifest.multipleParents";
inline constexpr std::string_view kGeneralError = "general.error";
}  // namespace status

enum class StatusKind { kSuccess, kInformational, kFailure };

// The kind C2PA §15.2.1 gives a code: by its list, else by its suffix (".match",
// ".validated", ".trusted", ".insideValidity" succeed; a few codes inform); everything else
// is a failure.
StatusKind status_kind(std::string_view code);

// One entry of a validation report (C2PA §15.2.1 validation-status-map).
struct ValidationStatus {
  std::string code;
  std::string url;  // the JUMBF URI of what was checked
  std::string explanation;
  StatusKind kind = StatusKind::kFailure;
  // The ingredient assertion under whose manifest the entry was found (C2PA §15.2.2
  // ingredientDeltas); empty for the active manifest and the asset's hard binding.
  std::string ingredient_uri;

  bool is_failure() const { return kind == StatusKind::kFailure; }
};

}  // namespace clearcut::c2pa
