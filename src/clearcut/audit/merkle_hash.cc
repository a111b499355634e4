#include "clearcut/audit/merkle_hash.h"

namespace clearcut::audit {
namespace {

// Domain separation between leaves and interior nodes (RFC 9162 §2.1.1), so that no leaf can be
// passed off as an interior node in a second-preimage attack.
constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

}  // namespace

Hash empty_tree_hash() {
  return crypto::sha256(std::string_view());
}

Hash hash_leaf(std::span<const uint8_t> entry) {
  crypto::Sha256 hasher;
  hasher.update(std::span<const uint8_t>(&kLeafPrefix, 1));
  hasher.update(entry);
  return hasher.finish();
}

Hash hash_leaf(std::string_view entry) {
  return hash_leaf(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(entry.data()), entry.size()));
}

Hash hash_children(const Hash& left, const Hash& right) {
  crypto::Sha256 hasher;
  hasher.update(std::span<const uint8_t>(&kNodePrefix, 1));
  hasher.update(left);
  hasher.update(right);
  return hasher.finish();
}

}  // namespace clearcut::audit
