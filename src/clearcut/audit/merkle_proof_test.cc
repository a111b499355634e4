#include "clearcut/audit/merkle_proof.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/audit/merkle_tree.h"

namespace clearcut::audit {
namespace {

constexpr uint64_t kMaxSize = 64;

class AuditMerkleProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint64_t i = 0; i < kMaxSize; ++i) {
      tree_.append("entry " + std::to_string(i));
    }
    for (uint64_t n = 0; n <= kMaxSize; ++n) {
      roots_.push_back(tree_.root_at(n).value());
    }
  }

  MerkleTree tree_;
  std::vector<Hash> roots_;  // roots_[n]: the root of the first n leaves
};

// Variants of `hash` with one bit flipped in each byte (a different bit per byte).
std::vector<Hash> bit_flips(const Hash& hash) {
  std::vector<Hash> out;
  for (size_t byte = 0; byte < hash.size(); ++byte) {
    Hash flipped = hash;
    flipped[byte] ^= static_cast<uint8_t>(1u << (byte % 8));
    out.push_back(flipped);
  }
  return out;
}

TEST_F(AuditMerkleProofTest, EveryInclusionProofVerifiesAndEveryAlterationFails) {
  for (uint64_t n = 1; n <= kMaxSize; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      const Hash& leaf = tree_.leaf_hash(i);
      std::vector<Hash> proof = tree_.inclusion_proof(i, n).value();
      ASSERT_TRUE(verify_inclusion(leaf, i, n, proof, roots_[n]).has_value()) << i << " of " << n;
      EXPECT_EQ(root_from_inclusion_proof(leaf, i, n, proof).value(), roots_[n]);

      for (size_t e = 0; e < proof.size(); ++e) {
        for (const Hash& flipped : bit_flips(proof[e])) {
          std::vector<Hash> bad = proof;
          bad[e] = flipped;
          ASSERT_FALSE(verify_inclusion(leaf, i, n, bad, roots_[n]).has_value())
              << i << " of " << n << ", element " << e;
        }
      }
      for (const Hash& flipped : bit_flips(leaf)) {
        ASSERT_FALSE(verify_inclusion(flipped, i, n, proof, roots_[n]).has_value());
      }
      for (const Hash& flipped : bit_flips(roots_[n])) {
        ASSERT_FALSE(verify_inclusion(leaf, i, n, proof, flipped).has_value());
      }
      for (uint64_t j = 0; j < n; ++j) {
        if (j != i) {
          ASSERT_FALSE(verify_inclusion(leaf, j, n, proof, roots_[n]).has_value())
              << i << " of " << n << " as index " << j;
        }
      }
      for (uint64_t other = i + 1; other <= kMaxSize; ++other) {
        if (other != n) {
          // A size is only ever checked together with its own root (both come from one
          // signed checkpoint), so the wrong size is tried with that size's root.
          ASSERT_FALSE(verify_inclusion(leaf, i, other, proof, roots_[other]).has_value())
              << i << " of " << n << " against the root of size " << other;
        }
      }
      if (!proof.empty()) {
        std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
        ASSERT_FALSE(verify_inclusion(leaf, i, n, shorter, roots_[n]).has_value());
      }
      std::vector<Hash> longer = proof;
      longer.push_back(roots_[n]);
      ASSERT_FALSE(verify_inclusion(leaf, i, n, longer, roots_[n]).has_value());
      // Another leaf with this leaf's proof.
      if (n > 1) {
        uint64_t other_leaf = (i + 1) % n;
        ASSERT_FALSE(
            verify_inclusion(tree_.leaf_hash(other_leaf), i, n, proof, roots_[n]).has_value());
      }
    }
  }
}

TEST_F(AuditMerkleProofTest, EveryConsistencyProofVerifiesAndEveryAlterationFails) {
  for (uint64_t n = 1; n <= kMaxSize; ++n) {
    for (uint64_t m = 0; m <= n; ++m) {
      std::vector<Hash> proof = tree_.consistency_proof(m, n).value();
      ASSERT_TRUE(verify_consistency(m, n, roots_[m], roots_[n], proof).has_value())
          << m << " to " << n;
      if (m == 0) {
        // Every tree extends the empty tree: only the old root and an empty proof matter.
        for (const Hash& flipped : bit_flips(roots_[0])) {
          ASSERT_FALSE(verify_consistency(0, n, flipped, roots_[n], proof).has_value());
        }
        ASSERT_FALSE(verify_consistency(0, n, roots_[0], roots_[n], std::vector<Hash>{roots_[n]})
                         .has_value());
        continue;
      }

      for (size_t e = 0; e < proof.size(); ++e) {
        for (const Hash& flipped : bit_flips(proof[e])) {
          std::vector<Hash> bad = proof;
          bad[e] = flipped;
          ASSERT_FALSE(verify_consistency(m, n, roots_[m], roots_[n], bad).has_value())
              << m << " to " << n << ", element " << e;
        }
      }
      for (const Hash& flipped : bit_flips(roots_[m])) {
        ASSERT_FALSE(verify_consistency(m, n, flipped, roots_[n], proof).has_value());
      }
      for (const Hash& flipped : bit_flips(roots_[n])) {
        ASSERT_FALSE(verify_consistency(m, n, roots_[m], flipped, proof).has_value());
      }
      // As for inclusion, a wrong size is tried with that size's own root.
      for (uint64_t other = 1; other <= n; ++other) {
        if (other != m) {
          ASSERT_FALSE(verify_consistency(other, n, roots_[other], roots_[n], proof).has_value())
              << m << " to " << n << " with the root of old size " << other;
        }
      }
      for (uint64_t other = m; other <= kMaxSize; ++other) {
        if (other != n) {
          ASSERT_FALSE(verify_consistency(m, other, roots_[m], roots_[other], proof).has_value())
              << m << " to " << n << " with the root of new size " << other;
        }
      }
      if (!proof.empty()) {
        std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
        ASSERT_FALSE(verify_consistency(m, n, roots_[m], roots_[n], shorter).has_value());
      }
      std::vector<Hash> longer = proof;
      longer.push_back(roots_[n]);
      ASSERT_FALSE(verify_consistency(m, n, roots_[m], roots_[n], longer).has_value());
    }
  }
}

TEST_F(AuditMerkleProofTest, ForkedTreesAreInconsistent) {
  for (uint64_t n = 2; n <= kMaxSize; ++n) {
    for (uint64_t m = 1; m < n; ++m) {
      // The same first n leaves, except leaf m - 1 (the old tree's last) is replaced.
      MerkleTree forked;
      for (uint64_t i = 0; i < n; ++i) {
        forked.append_leaf_hash(i == m - 1 ? hash_leaf(std::string_view("forged"))
                                           : tree_.leaf_hash(i));
      }
      std::vector<Hash> proof = forked.consistency_proof(m, n).value();
      ASSERT_FALSE(verify_consistency(m, n, roots_[m], forked.root(), proof).has_value())
          << m << " to " << n;
      ASSERT_TRUE(
          verify_consistency(m, n, forked.root_at(m).value(), forked.root(), proof).has_value());
    }
  }
}

TEST(AuditMerkleProofErrorsTest, BadArgumentsAreInvalidArguments) {
  Hash zero{};
  auto inclusion = verify_inclusion(zero, 3, 3, {}, zero);
  ASSERT_FALSE(inclusion.has_value());
  EXPECT_EQ(inclusion.error().code(), base::ErrorCode::kInvalidArgument);
  auto consistency = verify_consistency(4, 3, zero, zero, {});
  ASSERT_FALSE(consistency.has_value());
  EXPECT_EQ(consistency.error().code(), base::ErrorCode::kInvalidArgument);
  auto mismatch = verify_consistency(3, 3, zero, empty_tree_hash(), {});
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().code(), base::ErrorCode::kDataLoss);
  EXPECT_TRUE(verify_consistency(0, 5, empty_tree_hash(), zero, {}).has_value());
  EXPECT_FALSE(verify_consistency(0, 5, zero, zero, {}).has_value());
}

}  // namespace
}  // namespace clearcut::audit
