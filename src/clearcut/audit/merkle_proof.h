#pragma once

#include <cstdint>
#include <span>

#include "clearcut/audit/merkle_hash.h"
#include "clearcut/base/result.h"

namespace clearcut::audit {

// Proof verification for a client that holds only roots (from signed checkpoints) and proofs.
// A proof that does not verify is kDataLoss; sizes or indices that cannot describe a proof
// (index >= size, old size > new size) are kInvalidArgument.

// RFC 9162 §2.1.3.2: the root that `proof` implies for the leaf at `index` of a tree of
// `tree_size` leaves; fails when the proof has the wrong length for that position.
base::Result<Hash> root_from_inclusion_proof(const Hash& leaf_hash, uint64_t index,
                                             uint64_t tree_size, std::span<const Hash> proof);

// RFC 9162 §2.1.3.2: checks that the leaf is at `index` of the tree whose root is `root`.
base::Status verify_inclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                              std::span<const Hash> proof, const Hash& root);

// RFC 9162 §2.1.4.2: checks that the tree of `new_size` leaves with `new_root` extends the tree
// of `old_size` leaves with `old_root`. Equal sizes need an empty proof and equal roots; an old
// size of 0 needs an empty proof and the empty tree's root.
base::Status verify_consistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                                const Hash& new_root, std::span<const Hash> proof);

}  // namespace clearcut::audit
