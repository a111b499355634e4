#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/hashed_uri.h"

namespace clearcut::c2pa {

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

}  // namespace clearcut::c2pa
