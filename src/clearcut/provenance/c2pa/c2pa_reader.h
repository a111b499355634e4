#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/digital_source_type.h"
#include "clearcut/provenance/c2pa/ingredient.h"
#include "clearcut/provenance/c2pa/manifest_store.h"
#include "clearcut/provenance/c2pa/signer_certificate.h"
#include "clearcut/provenance/c2pa/trust_anchors.h"
#include "clearcut/provenance/c2pa/validation_status.h"

namespace clearcut::c2pa {

struct ReadOptions {
  // Roots for signer chains; null or empty: no signer is trusted (signingCredential.untrusted).
  const TrustAnchors* trust_anchors = nullptr;
  // EKUs a signer's certificate may carry (C2PA §14.5.1).
  std::vector<std::string> accepted_ekus = default_signer_ekus();
  // Unix seconds at which to check certificate validity when a signature has no valid
  // time-stamp; unset: the system clock.
  std::optional<int64_t> now;
};

// The validation state of the asset (C2PA §14.3), or that no manifest could be read.
enum class Verdict { kNoManifest, kInvalid, kValid, kTrusted };
std::string_view verdict_name(Verdict verdict);  // "no manifest", "Invalid", "Valid", "Trusted"

enum class NoManifestReason {
  kNone,
  kJumbfNotFound,      // no manifest store in the asset
  kUnsupportedFormat,  // not a container this reader knows
  kUnknownAlgorithm,   // a claim names no usable hash algorithm
  kMalformed,          // container or store too damaged to read
};
std::string_view no_manifest_reason_name(NoManifestReason reason);  // "JumbfNotFound", ...

// Integrity: did the bytes survive? Hashed URIs, claim signatures, the hard binding and the
// ingredient references. Every failure that is not about the signer's credential.
struct IntegrityReport {
  bool intact = false;
  std::vector<ValidationStatus> failures;
};

// One signature the validator checked.
struct SignerReport {
  std::string manifest_label;
  bool active_manifest = false;
  std::optional<CertificateInfo> certificate;  // the leaf of x5chain
  std::string algorithm;                       // "ES256", ... empty when unknown
  std::optional<int64_t> time_stamp;           // genTime of a validated time-stamp
  bool chain_trusted = false;
  std::string untrusted_reason;
  std::vector<std::string> profile_problems;
};

// Trust: does every signature chain to a configured anchor, with a valid credential?
struct TrustReport {
  bool trusted = false;
  std::vector<ValidationStatus> failures;  // signingCredential.* failures
  std::vector<SignerReport> signers;       // active manifest first
};

// A digital source type declared by an action (C2PA §18.15.4.4).
struct SourceTypeFinding {
  std::string uri;
  DigitalSourceType type = DigitalSourceType::kUnknown;
  AiInvolvement involvement = AiInvolvement::kNone;
  std::string manifest_label;
  bool active_manifest = false;  // false: an ingredient's manifest
  // For an ingredient's manifest: the ingredient assertion through which it was reached (its
  // absolute JUMBF URI) and that ingredient's relationship ("parentOf", ...).
  std::string ingredient_uri;
  std::string relationship;
  std::string assertion_label;  // "c2pa.actions.v2", ...
  std::string action;           // "c2pa.created", ...
  std::string software_agent;   // the action's softwareAgent, when named
  // The actions assertion matched its hashed URI and its manifest's signature verified: the
  // label is what the signer signed. (Whether the signer is trusted is the trust answer.)
  bool verified = false;

  // "active manifest" or "ingredient": whose declaration this is.
  std::string_view scope() const { return active_manifest ? "active manifest" : "ingredient"; }
};

// An ingredient assertion of the active manifest or, recursively, of an ingredient's manifest
// (C2PA §18.16), as read; whether it validated is in the report's statuses.
struct IngredientFinding {
  std::string assertion_uri;   // absolute JUMBF URI of the c2pa.ingredient assertion
  std::string manifest_label;  // the manifest that holds the assertion
  Ingredient ingredient;       // relationship, dc:title, dc:format, instanceID, recorded results
  // The label of the ingredient's own manifest (activeManifest / c2pa_manifest), empty when the
  // ingredient has no Content Credentials; `manifest_present` when the store holds it.
  std::string ingredient_manifest;
  bool manifest_present = false;
};

// AI disclosure: which digital source types the active manifest and the manifests of its
// ingredients (recursively) declare.
struct AiDisclosure {
  std::vector<SourceTypeFinding> findings;

  bool generative_ai() const;
  bool synthetic() const;  // generative AI or other algorithmic media
  // Distinct IPTC terms (or URIs outside the vocabulary), in order of appearance.
  std::vector<std::string> terms() const;
};

// The three answers about one asset, and what they rest on.
struct C2paReport {
  Verdict verdict = Verdict::kNoManifest;
  NoManifestReason no_manifest_reason = NoManifestReason::kNone;
  std::string detail;  // why no manifest was read
  AssetFormat format = AssetFormat::kUnknown;
  std::vector<ByteRange> carriers;  // where the store sits in the asset
  std::shared_ptr<const ManifestStore> store;
  std::string active_manifest;
  // Every status of the active manifest, its ingredients (ingredient_uri set) and the hard
  // binding, after dropping ingredient results that the ingredient assertions already
  // recorded (C2PA §15.11.3, validationResults deltas).
  std::vector<ValidationStatus> statuses;

  IntegrityReport integrity;
  TrustReport trust;
  AiDisclosure ai;
  // Ingredients, those of the active manifest first, then breadth-first through their
  // manifests.
  std::vector<IngredientFinding> ingredients;

  bool has_manifest() const { return verdict != Verdict::kNoManifest; }
  // Distinct failure codes in order of appearance.
  std::vector<std::string> failure_codes() const;
};

// Finds, parses and validates the C2PA manifest store of an asset held in memory. A missing
// or unreadable store is a report with Verdict::kNoManifest, not an error; the Result is for
// failures outside the asset (none today, kept for the streaming reader to come).
// Thread-safe: no shared state.
base::Result<C2paReport> read_c2pa(std::span<const uint8_t> asset, const ReadOptions& options = {});

// Reads the file and validates it as above; I/O failures are errors (kNotFound, kUnavailable).
base::Result<C2paReport> read_c2pa_file(const std::string& path, const ReadOptions& options = {});

}  // namespace clearcut::c2pa
