#include "clearcut/audit/merkle_tree.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/base/hex.h"

namespace clearcut::audit {
namespace {

// The Certificate Transparency test leaves (RFC 6962 test data), used across the ecosystem.
std::vector<std::string> ct_leaves() {
  return {std::string(""),
          std::string("\x00", 1),
          std::string("\x10"),
          std::string("\x20\x21"),
          std::string("\x30\x31"),
          std::string("\x40\x41\x42\x43"),
          std::string("\x50\x51\x52\x53\x54\x55\x56\x57"),
          std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f")};
}

std::string hex(const Hash& hash) {
  return base::to_hex(hash);
}

std::vector<std::string> hexes(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  for (const Hash& h : hashes) {
    out.push_back(hex(h));
  }
  return out;
}

// The definitions of RFC 9162 §2.1, written as directly (and slowly) as the RFC states them.
uint64_t largest_power_below(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return k;
}

Hash reference_mth(std::span<const Hash> leaves) {
  if (leaves.empty()) {
    return empty_tree_hash();
  }
  if (leaves.size() == 1) {
    return leaves[0];
  }
  uint64_t k = largest_power_below(leaves.size());
  return hash_children(reference_mth(leaves.subspan(0, k)), reference_mth(leaves.subspan(k)));
}

std::vector<Hash> reference_path(uint64_t m, std::span<const Hash> leaves) {
  if (leaves.size() == 1) {
    return {};
  }
  uint64_t k = largest_power_below(leaves.size());
  std::vector<Hash> out;
  if (m < k) {
    out = reference_path(m, leaves.subspan(0, k));
    out.push_back(reference_mth(leaves.subspan(k)));
  } else {
    out = reference_path(m - k, leaves.subspan(k));
    out.push_back(reference_mth(leaves.subspan(0, k)));
  }
  return out;
}

std::vector<Hash> reference_subproof(uint64_t m, std::span<const Hash> leaves, bool b) {
  if (m == leaves.size()) {
    return b ? std::vector<Hash>{} : std::vector<Hash>{reference_mth(leaves)};
  }
  uint64_t k = largest_power_below(leaves.size());
  std::vector<Hash> out;
  if (m <= k) {
    out = reference_subproof(m, leaves.subspan(0, k), b);
    out.push_back(reference_mth(leaves.subspan(k)));
  } else {
    out = reference_subproof(m - k, leaves.subspan(k), false);
    out.push_back(reference_mth(leaves.subspan(0, k)));
  }
  return out;
}

TEST(AuditMerkleHashTest, DomainSeparatedHashes) {
  EXPECT_EQ(hex(empty_tree_hash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // SHA-256 of the single byte 0x00: the leaf hash of the empty entry.
  EXPECT_EQ(hex(hash_leaf(std::string_view())),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_NE(hash_leaf(std::string_view("a")), crypto::sha256(std::string_view("a")));
}

TEST(AuditMerkleTreeTest, KnownRootsOfTheCtTestLeaves) {
  // Roots of the first n CT test leaves, n = 0..8 (RFC 6962 test data; checked by hand from
  // the RFC's definitions).
  const char* want[] = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  MerkleTree tree;
  EXPECT_EQ(hex(tree.root()), want[0]);
  std::vector<std::string> leaves = ct_leaves();
  for (size_t n = 1; n <= leaves.size(); ++n) {
    EXPECT_EQ(tree.append(leaves[n - 1]), n - 1);
    EXPECT_EQ(tree.size(), n);
    EXPECT_EQ(hex(tree.root()), want[n]) << "size " << n;
  }
  for (size_t n = 0; n <= leaves.size(); ++n) {
    EXPECT_EQ(hex(tree.root_at(n).value()), want[n]) << "size " << n;
  }
  EXPECT_FALSE(tree.root_at(9).has_value());
}

TEST(AuditMerkleTreeTest, KnownInclusionProofs) {
  MerkleTree tree;
  for (const std::string& leaf : ct_leaves()) {
    tree.append(leaf);
  }
  EXPECT_EQ(hexes(tree.inclusion_proof(0, 8).value()),
            (std::vector<std::string>{
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  EXPECT_EQ(hexes(tree.inclusion_proof(5, 8).value()),
            (std::vector<std::string>{
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_EQ(hexes(tree.inclusion_proof(2, 3).value()),
            (std::vector<std::string>{
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}));
  EXPECT_TRUE(tree.inclusion_proof(0, 1).value().empty());
  EXPECT_FALSE(tree.inclusion_proof(3, 3).has_value());
  EXPECT_FALSE(tree.inclusion_proof(0, 9).has_value());
}

TEST(AuditMerkleTreeTest, KnownConsistencyProofs) {
  MerkleTree tree;
  for (const std::string& leaf : ct_leaves()) {
    tree.append(leaf);
  }
  EXPECT_EQ(hexes(tree.consistency_proof(1, 8).value()),
            (std::vector<std::string>{
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  EXPECT_EQ(hexes(tree.consistency_proof(6, 8).value()),
            (std::vector<std::string>{
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_EQ(hexes(tree.consistency_proof(2, 5).value()),
            (std::vector<std::string>{
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
  EXPECT_EQ(hexes(tree.consistency_proof(3, 7).value()),
            (std::vector<std::string>{
                "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
                "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e"}));
  EXPECT_TRUE(tree.consistency_proof(0, 8).value().empty());
  EXPECT_TRUE(tree.consistency_proof(8, 8).value().empty());
  EXPECT_FALSE(tree.consistency_proof(5, 4).has_value());
  EXPECT_FALSE(tree.consistency_proof(4, 9).has_value());
}

// Every root, path and subproof of every size up to 64 equals the RFC's recursive definition.
TEST(AuditMerkleTreeTest, MatchesTheRfcDefinitionsUpTo64Leaves) {
  std::vector<Hash> leaves;
  MerkleTree tree;
  for (uint64_t i = 0; i < 64; ++i) {
    leaves.push_back(hash_leaf("leaf " + std::to_string(i)));
    tree.append_leaf_hash(leaves.back());
  }
  std::span<const Hash> all(leaves);
  for (uint64_t n = 0; n <= 64; ++n) {
    ASSERT_EQ(tree.root_at(n).value(), reference_mth(all.subspan(0, n))) << n;
    for (uint64_t m = 0; m < n; ++m) {
      ASSERT_EQ(tree.inclusion_proof(m, n).value(), reference_path(m, all.subspan(0, n)))
          << m << " of " << n;
    }
    for (uint64_t m = 1; m < n; ++m) {
      ASSERT_EQ(tree.consistency_proof(m, n).value(),
                reference_subproof(m, all.subspan(0, n), true))
          << m << " to " << n;
    }
  }
}

TEST(AuditMerkleTreeTest, FromLeafHashesEqualsAppending) {
  MerkleTree appended;
  std::vector<Hash> leaves;
  for (int i = 0; i < 100; ++i) {
    leaves.push_back(hash_leaf(std::to_string(i)));
    appended.append(std::to_string(i));
  }
  MerkleTree rebuilt = MerkleTree::from_leaf_hashes(leaves);
  EXPECT_EQ(rebuilt.size(), 100u);
  EXPECT_EQ(rebuilt.root(), appended.root());
  EXPECT_EQ(rebuilt.leaf_hash(42), leaves[42]);
  EXPECT_EQ(rebuilt.inclusion_proof(42, 77).value(), appended.inclusion_proof(42, 77).value());
}

// Proofs over a large tree stay logarithmic: the sizes follow from the RFC's recursion.
TEST(AuditMerkleTreeTest, LargeTreeProofLengths) {
  MerkleTree tree;
  for (uint64_t i = 0; i < 100000; ++i) {
    tree.append_leaf_hash(hash_leaf(std::to_string(i)));
  }
  EXPECT_EQ(tree.inclusion_proof(0, 65536).value().size(), 16u);
  for (uint64_t index : {uint64_t{0}, uint64_t{12345}, uint64_t{65536}, uint64_t{99999}}) {
    EXPECT_LE(tree.inclusion_proof(index, 100000).value().size(), 17u) << index;
  }
  EXPECT_LE(tree.consistency_proof(54321, 100000).value().size(), 2u * 17u);
  EXPECT_EQ(tree.root_at(100000).value(), tree.root());
}

}  // namespace
}  // namespace clearcut::audit
