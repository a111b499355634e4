#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/claim.h"
#include "clearcut/provenance/c2pa/claim_signer.h"
#include "clearcut/provenance/c2pa/digital_source_type.h"

namespace clearcut::c2pa {

// The generating tool (model or application), named as the softwareAgent of c2pa.created
// (C2PA §18.15.4.3, a generator-info map in actions v2).
struct SoftwareAgent {
  std::string name;
  std::optional<std::string> version;
};

// What clearcut registered the output as: the `com.clearcut.registration` assertion, a CBOR
// map {"use_case_id", "production", "asset_id"} of text (empty fields are left out).
struct Registration {
  std::string use_case_id;
  std::string production;
  std::string asset_id;
};
inline constexpr std::string_view kRegistrationLabel = "com.clearcut.registration";

// Any further CBOR assertion, created by the signer (C2PA §10.2.2 created_assertions).
struct CustomAssertion {
  std::string label;
  CborValue data;
};

// What the active manifest says.
struct ManifestDefinition {
  // The source type on c2pa.created: trainedAlgorithmicMedia for generated output,
  // compositeWithTrainedAlgorithmicMedia for AI edits of other material.
  DigitalSourceType digital_source_type = DigitalSourceType::kTrainedAlgorithmicMedia;
  SoftwareAgent software_agent;  // required
  std::optional<Registration> registration;
  std::optional<std::string> title;  // dc:title
  // The claim's instanceID; use the asset's xmpMM:InstanceID when it has one (C2PA §10.2.2).
  // Empty: a fresh "xmp:iid:<uuid>".
  std::string instance_id;
  ClaimGeneratorInfo claim_generator = {"clearcut", "0.1.0"};
  std::vector<CustomAssertion> assertions;
};

struct WriteOptions {
  // Store bytes per JPEG APP11 segment (1..65517); c2pa-rs writes 64000.
  size_t jpeg_segment_payload = 64000;
  // A 16-byte random salt in every assertion box (C2PA §8.4.2.3), so that hashed URIs
  // reveal nothing of redacted or guessable content.
  bool salt_assertions = true;
};

// A labelled asset and the names it was given.
struct SignedAsset {
  std::vector<uint8_t> bytes;
  AssetFormat format = AssetFormat::kUnknown;
  std::string manifest_label;  // "urn:c2pa:<uuid>:clearcut"
  std::string instance_id;
  ByteRange carrier;  // where the manifest store's carrier sits in `bytes`
};

// Writes Content Credentials (C2PA 2.2) into a JPEG, PNG or MP4 held in memory: one manifest
// store with one standard manifest holding c2pa.actions.v2 (c2pa.created with the digital
// source type and the software agent), the registration and custom assertions, the hard
// binding (c2pa.hash.data excluding the store's carrier for JPEG and PNG, c2pa.hash.bmff.v3
// for MP4), a c2pa.claim.v2 that lists them all as created assertions, and a COSE_Sign1
// signature by `signer` with x5chain in the protected header and no time-stamp. The layout is
// fixed before the hash is taken (sizes do not depend on hash or signature values), so the
// asset is hashed once and signed once. Write XMP before calling this: later changes break
// the binding.
// Errors: kUnsupported (other formats, fragmented MP4, HEIF), kFailedPrecondition (the asset
// already carries a manifest store: signing over one as an ingredient is not done),
// kInvalidArgument (bad definition or damaged container), and the signer's errors.
// Thread-safe when the signer is.
base::Result<SignedAsset> write_c2pa(std::span<const uint8_t> asset, const ClaimSigner& signer,
                                     const ManifestDefinition& definition,
                                     const WriteOptions& options = {});

}  // namespace clearcut::c2pa
