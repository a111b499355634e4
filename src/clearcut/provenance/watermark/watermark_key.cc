#include "clearcut/provenance/watermark/watermark_key.h"

#include <algorithm>
#include <string>

#include "clearcut/crypto/sha256.h"

namespace clearcut::watermark {

base::Result<WatermarkKey> WatermarkKey::from_bytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kSize) {
    return base::invalid_argument("watermark key: need " + std::to_string(kSize) + " bytes, got " +
                                  std::to_string(bytes.size()));
  }
  std::array<uint8_t, kSize> b{};
  std::copy(bytes.begin(), bytes.end(), b.begin());
  return WatermarkKey(b);
}

base::Result<WatermarkKey> WatermarkKey::from_passphrase(std::string_view passphrase) {
  if (passphrase.empty()) {
    return base::invalid_argument("watermark key: empty passphrase");
  }
  crypto::Sha256 h;
  h.update(std::string_view("clearcut.watermark.key.v1\n"));
  h.update(passphrase);
  return WatermarkKey(h.finish());
}

}  // namespace clearcut::watermark
