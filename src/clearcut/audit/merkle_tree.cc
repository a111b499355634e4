#include "clearcut/audit/merkle_tree.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

namespace clearcut::audit {
namespace {

// The largest power of two strictly below n (n >= 2): where RFC 9162 §2.1.1 splits D[0:n].
uint64_t split_point(uint64_t n) {
  return std::bit_floor(n - 1);
}

}  // namespace

MerkleTree MerkleTree::from_leaf_hashes(std::span<const Hash> leaf_hashes) {
  MerkleTree tree;
  for (const Hash& leaf : leaf_hashes) {
    tree.append_leaf_hash(leaf);
  }
  return tree;
}

uint64_t MerkleTree::append(std::span<const uint8_t> entry) {
  return append_leaf_hash(hash_leaf(entry));
}

uint64_t MerkleTree::append(std::string_view entry) {
  return append_leaf_hash(hash_leaf(entry));
}

uint64_t MerkleTree::append_leaf_hash(const Hash& leaf_hash) {
  if (levels_.empty()) {
    levels_.emplace_back();
  }
  levels_[0].push_back(leaf_hash);
  // Each new leaf completes one subtree per trailing one bit of the old size; amortized O(1).
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    const std::vector<Hash>& nodes = levels_[level];
    Hash parent = hash_children(nodes[nodes.size() - 2], nodes.back());
    if (levels_.size() == level + 1) {
      levels_.emplace_back();
    }
    levels_[level + 1].push_back(parent);
  }
  return levels_[0].size() - 1;
}

const Hash& MerkleTree::leaf_hash(uint64_t index) const {
  CC_CHECK(index < size());
  return levels_[0][index];
}

Hash MerkleTree::root() const {
  if (size() == 0) {
    return empty_tree_hash();
  }
  return subtree_hash(0, size());
}

base::Result<Hash> MerkleTree::root_at(uint64_t tree_size) const {
  if (tree_size > size()) {
    return base::invalid_argument("tree size " + std::to_string(tree_size) +
                                  " is beyond the tree's " + std::to_string(size()) + " leaves");
  }
  if (tree_size == 0) {
    return empty_tree_hash();
  }
  return subtree_hash(0, tree_size);
}

Hash MerkleTree::subtree_hash(uint64_t begin, uint64_t end) const {
  CC_CHECK(begin < end && end <= size());
  CC_CHECK(begin % std::bit_ceil(end - begin) == 0);
  // The range is a run of complete subtrees of decreasing size (the binary digits of its
  // length); MTH folds them from the right (RFC 9162 §2.1.1 applied recursively to D[k:n]).
  std::array<const Hash*, 64> parts{};
  size_t count = 0;
  for (uint64_t pos = begin; pos < end;) {
    uint64_t width = std::bit_floor(end - pos);
    int level = std::countr_zero(width);
    parts[count++] = &levels_[level][pos >> level];
    pos += width;
  }
  Hash hash = *parts[count - 1];
  for (size_t i = count - 1; i > 0; --i) {
    hash = hash_children(*parts[i - 1], hash);
  }
  return hash;
}

base::Result<std::vector<Hash>> MerkleTree::inclusion_proof(uint64_t index,
                                                            uint64_t tree_size) const {
  if (tree_size > size()) {
    return base::invalid_argument("tree size " + std::to_string(tree_size) +
                                  " is beyond the tree's " + std::to_string(size()) + " leaves");
  }
  if (index >= tree_size) {
    return base::invalid_argument("leaf index " + std::to_string(index) +
                                  " is not below the tree size " + std::to_string(tree_size));
  }
  // PATH(m, D[n]) walked from the top: each step records the sibling subtree, which the RFC
  // appends after the deeper path, so the list is reversed at the end (leaf level first).
  std::vector<Hash> proof;
  uint64_t begin = 0;
  uint64_t end = tree_size;
  while (end - begin > 1) {
    uint64_t k = split_point(end - begin);
    if (index - begin < k) {
      proof.push_back(subtree_hash(begin + k, end));
      end = begin + k;
    } else {
      proof.push_back(subtree_hash(begin, begin + k));
      begin += k;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

base::Result<std::vector<Hash>> MerkleTree::consistency_proof(uint64_t old_size,
                                                              uint64_t new_size) const {
  if (new_size > size()) {
    return base::invalid_argument("tree size " + std::to_string(new_size) +
                                  " is beyond the tree's " + std::to_string(size()) + " leaves");
  }
  if (old_size > new_size) {
    return base::invalid_argument("old size " + std::to_string(old_size) +
                                  " is larger than the new size " + std::to_string(new_size));
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == new_size) {
    return proof;
  }
  // SUBPROOF(m, D[n], true) walked from the top, reversed at the end like PATH.
  uint64_t begin = 0;
  uint64_t end = new_size;
  uint64_t m = old_size;
  bool subtree_is_old_root = true;
  while (true) {
    uint64_t n = end - begin;
    if (m == n) {
      // The old tree's root is this very subtree; a verifier that knows it needs no copy.
      if (!subtree_is_old_root) {
        proof.push_back(subtree_hash(begin, end));
      }
      break;
    }
    uint64_t k = split_point(n);
    if (m <= k) {
      proof.push_back(subtree_hash(begin + k, end));
      end = begin + k;
    } else {
      proof.push_back(subtree_hash(begin, begin + k));
      begin += k;
      m -= k;
      subtree_is_old_root = false;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

}  // namespace clearcut::audit
