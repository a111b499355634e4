#include "clearcut/audit/merkle_proof.h"

#include <string>

namespace clearcut::audit {
namespace {

base::Error proof_failed(std::string message) {
  return base::Error(base::ErrorCode::kDataLoss, std::move(message));
}

// Right-shifts fn and sn together until fn's lowest bit is set or fn is 0 (RFC 9162 §2.1.3.2
// step 4.b and §2.1.4.2 step 6.b.iii): climbs past the levels where the node is a right edge
// with no sibling.
void climb_right_edge(uint64_t& fn, uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

base::Result<Hash> root_from_inclusion_proof(const Hash& leaf_hash, uint64_t index,
                                             uint64_t tree_size, std::span<const Hash> proof) {
  if (index >= tree_size) {
    return base::invalid_argument("leaf index " + std::to_string(index) +
                                  " is not below the tree size " + std::to_string(tree_size));
  }
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return proof_failed("inclusion proof is longer than the path for its index and size");
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = hash_children(p, r);
      climb_right_edge(fn, sn);
    } else {
      r = hash_children(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return proof_failed("inclusion proof is shorter than the path for its index and size");
  }
  return r;
}

base::Status verify_inclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                              std::span<const Hash> proof, const Hash& root) {
  Hash computed = CC_TRY(root_from_inclusion_proof(leaf_hash, index, tree_size, proof));
  if (computed != root) {
    return proof_failed("inclusion proof leads to a different root");
  }
  return {};
}

base::Status verify_consistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                                const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) {
    return base::invalid_argument("old size " + std::to_string(old_size) +
                                  " is larger than the new size " + std::to_string(new_size));
  }
  if (old_size == new_size || old_size == 0) {
    if (!proof.empty()) {
      return proof_failed("consistency proof must be empty for these sizes");
    }
    if (old_size == new_size && old_root != new_root) {
      return proof_failed("trees of the same size have different roots");
    }
    if (old_size == 0 && old_root != empty_tree_hash()) {
      return proof_failed("old root is not the empty tree's root");
    }
    return {};
  }
  // RFC 9162 §2.1.4.2, steps 1-7.
  if (proof.empty()) {
    return proof_failed("consistency proof is empty");
  }
  // Step 2: when the old tree is a complete subtree of the new one the proof omits its root.
  bool old_is_power_of_two = (old_size & (old_size - 1)) == 0;
  size_t next = 0;
  Hash first = old_is_power_of_two ? old_root : proof[next++];
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = first;
  Hash sr = first;
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) {
      return proof_failed("consistency proof is longer than the path for its sizes");
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = hash_children(c, fr);
      sr = hash_children(c, sr);
      climb_right_edge(fn, sn);
    } else {
      sr = hash_children(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return proof_failed("consistency proof is shorter than the path for its sizes");
  }
  if (fr != old_root) {
    return proof_failed("consistency proof does not lead to the old root");
  }
  if (sr != new_root) {
    return proof_failed("consistency proof does not lead to the new root");
  }
  return {};
}

}  // namespace clearcut::audit
