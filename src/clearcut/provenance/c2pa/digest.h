#pragma once

#include <optional>
#include <string_view>

#include "clearcut/crypto/digest.h"

namespace clearcut::c2pa {

// The hash algorithms C2PA allows (§13.1): sha256, sha384, sha512.
using crypto::digest;
using crypto::Digester;
using crypto::HashAlgorithm;

// "sha256" / "sha384" / "sha512"; nullopt for anything else.
std::optional<HashAlgorithm> hash_algorithm_from_name(std::string_view name);
std::string_view hash_algorithm_name(HashAlgorithm algorithm);

}  // namespace clearcut::c2pa
