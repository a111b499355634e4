#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "clearcut/crypto/sha256.h"

namespace clearcut::audit {

// A node of the RFC 9162 Merkle tree: a SHA-256 digest.
using Hash = crypto::Sha256Digest;

// RFC 9162 §2.1.1: the hash of the empty tree, SHA-256 of the empty string.
Hash empty_tree_hash();

// RFC 9162 §2.1.1: a leaf hash, SHA-256(0x00 || entry).
Hash hash_leaf(std::span<const uint8_t> entry);
Hash hash_leaf(std::string_view entry);

// RFC 9162 §2.1.1: an interior node, SHA-256(0x01 || left || right).
Hash hash_children(const Hash& left, const Hash& right);

}  // namespace clearcut::audit
