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
#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/claim.h"
#include "clearcut/provenance/c2pa/claim_signer.h"
#include "clearcut/provenance/c2pa/digital_source_type.h"

namespace clearcut::c2pa {

// The generating tool (model or application), named as the softwareAgent of the action that
// carries the digital source type (C2PA §18.15.4.3, a generator-info map in actions v2).
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

// The asset an edit started from, as the user gave it, when it may carry Content Credentials
// of its own. It becomes the manifest's parentOf ingredient (C2PA §18.16, c2pa.ingredient.v3):
// its manifest store is copied into the new one, the ingredient names its active manifest and
// claim signature by hashed URI, and records how clearcut's reader judged it.
struct ParentAsset {
  // The original file: JPEG, PNG, MP4, WAV or MP3. Only read during write_c2pa; the caller keeps
  // it.
  std::span<const uint8_t> bytes;
  // dc:title, e.g. the file name; empty: the title the parent's active manifest gives, if any.
  std::string title;
  // dc:format, a media type; empty: from the bytes ("image/jpeg", "image/png", "video/mp4").
  std::string media_type;
  // instanceID: the parent's xmpMM:InstanceID when the caller has read it; empty: the
  // instanceID of the parent's active manifest, if any.
  std::string instance_id;
  // How the parent is validated for the ingredient's validationResults (c2pa-rs validates a
  // parent with its own trust settings likewise). What is recorded is no news to a later
  // validator: recorded signingCredential.untrusted (no anchors here) lets a validator that
  // trusts the new signer call the edit Trusted although it does not trust the original's;
  // recorded signingCredential.trusted makes such a validator see the untrusted original as
  // a change, and the edit is then Valid, not Trusted.
  ReadOptions validation;
};

// What the active manifest says.
struct ManifestDefinition {
  // The source type of the output: trainedAlgorithmicMedia for generated output,
  // compositeWithTrainedAlgorithmicMedia for AI edits of other material. Without a parent it
  // goes on c2pa.created; with one on c2pa.edited (C2PA §18.15.4.4).
  DigitalSourceType digital_source_type = DigitalSourceType::kTrainedAlgorithmicMedia;
  SoftwareAgent software_agent;  // required
  // The original this output was made from, when it carries (or may carry) Content
  // Credentials. Set: the actions are c2pa.opened (naming the parentOf ingredient) then
  // c2pa.edited with the source type and the software agent; c2pa.created is not used.
  std::optional<ParentAsset> parent;
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
  ByteRange carrier;  // what the data hash excludes of the store's carrier in `bytes`
  // With a parent: the label of its active manifest (empty when it carried none) and the
  // verdict recorded in the ingredient (kNoManifest when it carried none).
  std::string parent_manifest;
  Verdict parent_verdict = Verdict::kNoManifest;
};

// Writes Content Credentials (C2PA 2.2) into a JPEG, PNG, MP4 (M4A), WAV or MP3 held in memory: one
// manifest store with one new standard manifest holding c2pa.actions.v2, the registration and
// custom assertions, the hard binding (c2pa.hash.data excluding the store's carrier for JPEG, PNG,
// WAV and MP3, c2pa.hash.bmff.v3 for MP4), a c2pa.claim.v2 that lists them all as created
// assertions, and a COSE_Sign1 signature by `signer` with x5chain in the protected header and no
// time-stamp. The layout is fixed before the hash is taken (sizes do not depend on hash or
// signature values), so the asset is hashed once and signed once. Write XMP before calling this:
// later changes break the binding.
//
// Without a parent the actions are c2pa.created with the source type and the software agent.
// With `definition.parent` (an AI edit of material that already carries Content Credentials):
//  * the parent's manifest store is read from `parent.bytes` (not from `asset`, which must
//    carry no store: stamping re-encodes the picture, so the bytes signed are new) and every
//    box of it is copied, unchanged, into the new store ahead of the new manifest, which stays
//    the active (last) one;
//  * a c2pa.ingredient.v3 assertion, relationship parentOf, with dc:title, dc:format and
//    instanceID (see ParentAsset), activeManifest and claimSignature (hashed URIs to the
//    parent's active manifest and its signature box, C2PA §18.16) and validationResults:
//    what read_c2pa reported for the parent (its active manifest's codes, and deltas per
//    ingredient of its own). A parent that reads Invalid is still recorded, as c2pa-rs does:
//    its failures are in validationResults, so validators do not count them again;
//  * the actions c2pa.opened (parameters.ingredients: the ingredient's hashed URI), then
//    c2pa.edited with the digital source type and the software agent.
// A parent without a manifest store is recorded as a parentOf ingredient without provenance
// (no activeManifest, no validationResults; validators report ingredient.unknownProvenance).
//
// Errors: kUnsupported (other formats, fragmented MP4, HEIF), kFailedPrecondition (`asset`
// already carries a manifest store: pass the original as the parent and sign bytes without
// one), kInvalidArgument (bad definition, damaged container, or a parent that is empty, not a
// JPEG, PNG, MP4, WAV or MP3, or whose manifest store cannot be parsed: its credentials would be
// lost, so nothing is written), and the signer's errors. Thread-safe when the signer is.
base::Result<SignedAsset> write_c2pa(std::span<const uint8_t> asset, const ClaimSigner& signer,
                                     const ManifestDefinition& definition,
                                     const WriteOptions& options = {});

}  // namespace clearcut::c2pa
