#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/claim.h"
#include "clearcut/provenance/c2pa/jumbf.h"

namespace clearcut::c2pa {

enum class AssertionEncoding { kCbor, kJson, kEmbeddedFile, kUuid, kOther };

// One assertion box of a manifest's assertion store.
struct Assertion {
  std::string label;  // the box label, instance suffix included ("c2pa.ingredient__1")
  AssertionEncoding encoding = AssertionEncoding::kOther;
  ByteRange superbox;  // in the store bytes
  ByteRange contents;  // the superbox after its header: what a hashed URI covers (§8.4.2.3)
  ByteRange content;   // payload of the first content box
  std::optional<CborValue> cbor;  // when CBOR and decodable
  std::optional<std::string> cbor_error;

  // The label without "__n" (C2PA §6.4) and its ".vN" version (1 when absent), e.g.
  // "c2pa.actions.v2__1" → base "c2pa.actions.v2", version 2.
  std::string base_label() const;
  int version() const;
  // True when the base label is `family` or `family.vN`.
  bool is(std::string_view family) const;
};

enum class ManifestKind { kStandard, kUpdate };

// One manifest (C2PA §11.1): its claim, assertions and where each box sits in the store.
struct Manifest {
  std::string label;
  ManifestKind kind = ManifestKind::kStandard;
  std::string claim_label;  // "c2pa.claim" or "c2pa.claim.v2"
  Claim claim;
  ByteRange superbox;        // whole manifest superbox
  ByteRange contents;        // the superbox after its header: an ingredient's hash covers it
  ByteRange claim_cbor;      // the claim's CBOR (the COSE payload)
  ByteRange signature_cbor;  // the COSE_Sign1 in the signature box
  // The signature superbox after its header: what an ingredient's claimSignature hashes
  // (C2PA §18.16, v3).
  ByteRange signature_contents;
  std::vector<Assertion> assertions;

  const Assertion* find_assertion(std::string_view label) const;
};

// A parsed manifest store (C2PA §11.1.3). Owns its bytes; every ByteRange refers to them.
// Immutable after parse, so it can be shared between threads.
class ManifestStore {
 public:
  // Parses the JUMBF of a manifest store. Errors (kInvalidArgument) for malformed boxes or a
  // manifest without exactly one CBOR claim, a signature box or an assertion store; a claim
  // with no hash algorithm is an error with kUnsupported and field "alg", as validators
  // reject it before validation starts (c2pa-rs: UnknownAlgorithm). Unknown boxes are skipped.
  static base::Result<ManifestStore> parse(std::vector<uint8_t> jumbf);

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::span<const uint8_t> bytes(ByteRange range) const;
  const JumbfBox& root() const { return root_; }
  const std::vector<Manifest>& manifests() const { return manifests_; }
  // C2PA §15.5: the active manifest is the last one in the store.
  const Manifest* active_manifest() const;
  const Manifest* find(std::string_view label) const;

 private:
  std::vector<uint8_t> bytes_;
  JumbfBox root_;
  std::vector<Manifest> manifests_;
};

}  // namespace clearcut::c2pa
