#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace clearcut::crypto {

enum class HashAlgorithm { kSha256, kSha384, kSha512 };

size_t digest_size(HashAlgorithm algorithm);  // in bytes

// A streaming digest. Not thread-safe; one object per stream.
class Digester {
 public:
  explicit Digester(HashAlgorithm algorithm);
  ~Digester();
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;

  void update(std::span<const uint8_t> bytes);
  void update(std::string_view text);
  // The digest, into `out` of exactly digest_size() bytes; the object is reset and may hash
  // a new stream.
  void finish(std::span<uint8_t> out);
  std::vector<uint8_t> finish();

 private:
  struct State;
  HashAlgorithm algorithm_;
  std::unique_ptr<State> state_;
};

std::vector<uint8_t> digest(HashAlgorithm algorithm, std::span<const uint8_t> bytes);

}  // namespace clearcut::crypto
