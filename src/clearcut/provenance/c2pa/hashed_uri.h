#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/cbor.h"

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

// The hashed URI at `key` of a map, when present and well formed.
std::optional<HashedUri> find_hashed_uri(const CborValue& map, std::string_view key);

}  // namespace clearcut::c2pa
