#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/hashed_uri.h"

namespace clearcut::c2pa {

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

}  // namespace clearcut::c2pa
