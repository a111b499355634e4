#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "clearcut/audit/merkle_hash.h"
#include "clearcut/base/result.h"

namespace clearcut::audit {

// An append-only RFC 9162 Merkle tree over leaf hashes, with the roots, inclusion proofs and
// consistency proofs of the whole tree and of every earlier size.
// Keeps every complete subtree (about 2n hashes for n leaves), so the root of any size is
// O(log n) and a proof O(log² n); the current root is folded from the frontier, the last
// complete subtree of each level. Not thread-safe while appending; const calls may run together.
class MerkleTree {
 public:
  MerkleTree() = default;

  // A tree over leaf hashes a store kept, in order; O(n).
  static MerkleTree from_leaf_hashes(std::span<const Hash> leaf_hashes);

  // Appends the entry (hashed as a leaf) and returns its leaf index.
  uint64_t append(std::span<const uint8_t> entry);
  uint64_t append(std::string_view entry);
  // Appends a leaf hash computed elsewhere (hash_leaf) and returns its leaf index.
  uint64_t append_leaf_hash(const Hash& leaf_hash);

  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // The leaf hash at `index`; index < size().
  const Hash& leaf_hash(uint64_t index) const;

  // RFC 9162 §2.1.1 MTH of the whole tree.
  Hash root() const;
  // MTH of the first `tree_size` leaves; fails when tree_size > size().
  base::Result<Hash> root_at(uint64_t tree_size) const;

  // RFC 9162 §2.1.3.1 PATH(index, D[0:tree_size]): index < tree_size <= size().
  base::Result<std::vector<Hash>> inclusion_proof(uint64_t index, uint64_t tree_size) const;
  // RFC 9162 §2.1.4.1 PROOF(old_size, D[0:new_size]): old_size <= new_size <= size(). Empty
  // when old_size is 0 or equals new_size (nothing to prove beyond comparing roots).
  base::Result<std::vector<Hash>> consistency_proof(uint64_t old_size, uint64_t new_size) const;

 private:
  // MTH(D[begin:end]) for a range the RFC recursion produces: begin is a multiple of the
  // smallest power of two >= end - begin, so the range splits into stored complete subtrees.
  Hash subtree_hash(uint64_t begin, uint64_t end) const;

  // levels_[k][i] is the hash of the complete subtree over leaves [i * 2^k, (i + 1) * 2^k).
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace clearcut::audit
