#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "clearcut/base/result.h"

namespace clearcut::watermark {

// The secret that places and reads a watermark: 32 bytes. Everything the embedder spreads over
// an image (chip signs, chip placement, the synchronisation pattern, the payload scrambling) is
// derived from it, so a detector without the key sees noise. A plain value: copyable,
// thread-compatible. Keep it per deployment; it is not a tamper-proof secret (see README.md).
class WatermarkKey {
 public:
  static constexpr size_t kSize = 32;

  explicit WatermarkKey(const std::array<uint8_t, kSize>& bytes) : bytes_(bytes) {}

  // Exactly kSize bytes, else kInvalidArgument.
  static base::Result<WatermarkKey> from_bytes(std::span<const uint8_t> bytes);
  // SHA-256 of a passphrase with a domain label; an empty passphrase is kInvalidArgument.
  static base::Result<WatermarkKey> from_passphrase(std::string_view passphrase);

  const std::array<uint8_t, kSize>& bytes() const { return bytes_; }

  friend bool operator==(const WatermarkKey&, const WatermarkKey&) = default;

 private:
  std::array<uint8_t, kSize> bytes_;
};

}  // namespace clearcut::watermark
