#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"

namespace clearcut::base {

using Sha256Digest = std::array<uint8_t, 32>;

// Streaming SHA-256 (OpenSSL underneath). Not thread-safe; one object per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::span<const uint8_t> bytes);
  void update(std::string_view text);
  // Returns the digest; the object is reset and may hash a new stream.
  Sha256Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Sha256Digest sha256(std::string_view data);
Sha256Digest sha256(std::span<const uint8_t> data);

// SHA-256 of a whole file, read in large blocks.
Result<Sha256Digest> sha256_file(const std::string& path);

}  // namespace clearcut::base
