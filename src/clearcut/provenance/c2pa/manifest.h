#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/jumbf.h"

namespace clearcut::c2pa {

// C2PA §8.4.2: a JUMBF URI and the hash of the box it names. `alg` overrides the claim's.
struct HashedUri {
  std::string url;
  std::optional<std::string> alg;
  std::vector<uint8_t> hash;

  // Accepts the hash as a byte string or, as early writers did, an array of byte values.
  static base::Result<HashedUri> from_cbor(const CborValue& value);
  CborValue to_cbor() const;
};

// A parsed "self#jumbf=" URI (C2PA §8.4.1). `manifest` is set for absolute URIs
// ("/c2pa/<manifest>/..."), empty for URIs relative to the manifest that holds them.
struct JumbfUri {
  std::string manifest;
  std::vector<std::string> path;  // boxes below the manifest, e.g. {"c2pa.assertions", label}
};
std::optional<JumbfUri> parse_jumbf_uri(std::string_view url);
// "self#jumbf=/c2pa/<manifest>[/<path>]".
std::string absolute_jumbf_uri(std::string_view manifest, std::string_view path = {});

struct ClaimGeneratorInfo {
  std::string name;
  std::optional<std::string> version;
};

// The claim (C2PA §10): v1 `c2pa.claim` or v2 `c2pa.claim.v2`, in one model. For v1 the
// `assertions` list is kept in `created_assertions`.
struct Claim {
  int version = 2;
  std::optional<std::string> title;   // dc:title
  std::optional<std::string> format;  // dc:format (v1)
  std::string instance_id;
  std::optional<std::string> claim_generator;  // v1 user-agent string
  std::vector<ClaimGeneratorInfo> claim_generator_info;
  std::string signature;  // URI of the claim signature box
  std::vector<HashedUri> created_assertions;
  std::vector<HashedUri> gathered_assertions;
  std::vector<std::string> redacted_assertions;
  std::optional<std::string> alg;  // hash algorithm of the hashed URIs

  // Every referenced assertion: created, then gathered.
  std::vector<const HashedUri*> assertion_refs() const;

  static base::Result<Claim> from_cbor(const CborValue& value, int version);
  CborValue to_cbor() const;
};

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

// One action of `c2pa.actions` / `c2pa.actions.v2` (C2PA §18.15).
struct Action {
  std::string action;
  std::optional<std::string> digital_source_type;
  std::optional<std::string> software_agent;  // text, or the name of a generator-info map
  std::optional<std::string> when;
  std::vector<HashedUri> ingredients;  // parameters.ingredients / parameters.ingredient
  CborValue parameters;

  CborValue to_cbor(int version) const;
};

struct ActionsAssertion {
  int version = 2;
  std::vector<Action> actions;

  static base::Result<ActionsAssertion> from_cbor(const CborValue& value, int version);
  CborValue to_cbor() const;
};

// A validation status as a claim generator recorded it in an ingredient (C2PA §15.2.1).
struct RecordedStatus {
  std::string code;
  std::string url;
  std::string explanation;
};

// `c2pa.ingredient` v1/v2/v3 (C2PA §18.16), the fields validation and disclosure use.
struct Ingredient {
  int version = 1;
  std::optional<std::string> title;
  std::optional<std::string> format;
  std::string relationship;  // parentOf, componentOf, inputTo
  std::optional<std::string> instance_id;
  std::optional<std::string> document_id;
  std::optional<HashedUri> manifest;         // c2pa_manifest (v1, v2) or activeManifest (v3)
  std::optional<HashedUri> claim_signature;  // v3
  std::optional<HashedUri> thumbnail;
  // validationStatus (v1, v2) and every code of validationResults (v3), flattened.
  std::vector<RecordedStatus> recorded_statuses;

  static base::Result<Ingredient> from_cbor(const CborValue& value, int version);
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
