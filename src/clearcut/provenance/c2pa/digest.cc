#include "clearcut/provenance/c2pa/digest.h"

namespace clearcut::c2pa {

std::optional<HashAlgorithm> hash_algorithm_from_name(std::string_view name) {
  if (name == "sha256") {
    return HashAlgorithm::kSha256;
  }
  if (name == "sha384") {
    return HashAlgorithm::kSha384;
  }
  if (name == "sha512") {
    return HashAlgorithm::kSha512;
  }
  return std::nullopt;
}

std::string_view hash_algorithm_name(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha256:
      return "sha256";
    case HashAlgorithm::kSha384:
      return "sha384";
    case HashAlgorithm::kSha512:
      return "sha512";
  }
  return "sha256";
}

}  // namespace clearcut::c2pa
