#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace clearcut::c2pa {

// The hash algorithms C2PA allows (§13.1): sha256, sha384, sha512.
enum class HashAlgorithm { kSha256, kSha384, kSha512 };

// "sha256" / "sha384" / "sha512"; nullopt for anything else.
std::optional<HashAlgorithm> hash_algorithm_from_name(std::string_view name);
std::string_view hash_algorithm_name(HashAlgorithm algorithm);

// A streaming digest (OpenSSL underneath). Not thread-safe; one object per stream.
class Digester {
 public:
  explicit Digester(HashAlgorithm algorithm);
  ~Digester();
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;

  void update(std::span<const uint8_t> bytes);
  std::vector<uint8_t> finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::vector<uint8_t> digest(HashAlgorithm algorithm, std::span<const uint8_t> bytes);

}  // namespace clearcut::c2pa
