#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"
#include "clearcut/crypto/digest.h"

namespace clearcut::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

// Streaming SHA-256. Not thread-safe; one object per stream.
class Sha256 {
 public:
  Sha256() : digester_(HashAlgorithm::kSha256) {}

  void update(std::span<const uint8_t> bytes) { digester_.update(bytes); }
  void update(std::string_view text) { digester_.update(text); }
  // Returns the digest; the object is reset and may hash a new stream.
  Sha256Digest finish();

 private:
  Digester digester_;
};

Sha256Digest sha256(std::string_view data);
Sha256Digest sha256(std::span<const uint8_t> data);

// SHA-256 of a whole file, read in large blocks.
base::Result<Sha256Digest> sha256_file(const std::string& path);

}  // namespace clearcut::crypto
