#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/digest.h"

namespace clearcut::c2pa {

// A byte range a data hash leaves out (C2PA §18.5.2 EXCLUSION_RANGE-map).
struct HashExclusion {
  uint64_t start = 0;
  uint64_t length = 0;
};

// `c2pa.hash.data` (C2PA §18.5): a hash over the asset's bytes minus the exclusions.
struct DataHash {
  std::vector<HashExclusion> exclusions;
  std::optional<std::string> alg;
  std::vector<uint8_t> hash;
  std::optional<std::string> name;
  std::optional<std::string> url;  // deprecated remote hash
  std::vector<uint8_t> pad;

  static base::Result<DataHash> from_cbor(const CborValue& value);
  CborValue to_cbor() const;
};

// One exclusion of a BMFF hash (C2PA §18.6.2): the boxes at `xpath` that pass the filters,
// whole or only the `subset` ranges of each.
struct BmffExclusion {
  struct Data {
    uint64_t offset = 0;
    std::vector<uint8_t> value;
  };
  struct Subset {
    uint64_t offset = 0;
    uint64_t length = 0;  // 0 = to the end of the box
  };
  std::string xpath;
  std::optional<uint64_t> length;
  std::vector<Data> data;
  std::vector<Subset> subset;
  std::optional<uint8_t> version;
  std::optional<uint32_t> flags;
  std::optional<bool> exact;
};

// A Merkle map of a BMFF hash (C2PA §18.6.3), as far as validation reads it.
struct BmffMerkleMap {
  uint64_t unique_id = 0;
  uint64_t local_id = 0;
  uint64_t count = 0;
  std::optional<std::string> alg;
  std::optional<std::vector<uint8_t>> init_hash;
  std::vector<std::vector<uint8_t>> hashes;
  bool has_block_sizes = false;  // fixedBlockSize or variableBlockSizes present
};

// `c2pa.hash.bmff` (v1, deprecated), `.v2` and `.v3` (C2PA §18.6).
struct BmffHash {
  int version = 3;
  std::vector<BmffExclusion> exclusions;
  std::optional<std::string> alg;
  std::optional<std::vector<uint8_t>> hash;
  std::vector<BmffMerkleMap> merkle;
  std::optional<std::string> name;

  static base::Result<BmffHash> from_cbor(const CborValue& value, int version);
  // The v2/v3 form (v1 is never written); Merkle maps are not written.
  CborValue to_cbor() const;
};

// The outcome of checking a hard binding against the asset.
struct BindingCheck {
  enum class Outcome { kMatch, kMismatch, kMalformed, kUnsupported };
  Outcome outcome = Outcome::kMismatch;
  std::string explanation;
};

// Hash of `asset` without the exclusions (merged when they overlap). Error when an
// exclusion reaches past the end of the asset.
base::Result<std::vector<uint8_t>> hash_excluding(std::span<const uint8_t> asset,
                                                  std::vector<HashExclusion> exclusions,
                                                  HashAlgorithm algorithm);

BindingCheck verify_data_hash(const DataHash& binding, std::span<const uint8_t> asset,
                              HashAlgorithm claim_algorithm);

// The hash of `asset` under the binding's exclusions and version (C2PA §18.6.3), as a writer
// stores it in `hash` and a validator recomputes it. Error when the asset is not ISO BMFF.
base::Result<std::vector<uint8_t>> compute_bmff_hash(const BmffHash& binding,
                                                     std::span<const uint8_t> asset,
                                                     HashAlgorithm algorithm);

// v2 and v3 feed each top-level box's file offset (8 bytes, big-endian) into the hash before
// the box's included bytes, except for boxes excluded whole; v1 does not. A Merkle map with
// an `initHash` on an unfragmented file is a mismatch (an init segment has no fragments to
// validate against it); fragment and timed-media Merkle trees are reported as unsupported.
BindingCheck verify_bmff_hash(const BmffHash& binding, std::span<const uint8_t> asset,
                              HashAlgorithm claim_algorithm);

}  // namespace clearcut::c2pa
