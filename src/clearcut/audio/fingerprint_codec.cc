#include "clearcut/audio/fingerprint_codec.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "clearcut/base/base64.h"

namespace clearcut::audio {
namespace {

constexpr uint8_t kMagic[] = {'c', 'c', 'a', 'f'};
constexpr uint8_t kVersion = 1;

void put_varint(std::vector<uint8_t>& out, uint32_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  // A minimal varint (no trailing zero group: one value, one encoding) of at most 5 bytes that
  // fits in 32 bits; nullopt when truncated, longer or not minimal.
  std::optional<uint32_t> varint() {
    uint32_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (at_ >= bytes_.size()) {
        return std::nullopt;
      }
      const uint8_t byte = bytes_[at_++];
      if (shift == 28 && byte > 0x0f) {
        return std::nullopt;
      }
      value |= static_cast<uint32_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        if (byte == 0 && shift > 0) {
          return std::nullopt;
        }
        return value;
      }
    }
    return std::nullopt;
  }

  std::optional<uint8_t> byte() {
    if (at_ >= bytes_.size()) {
      return std::nullopt;
    }
    return bytes_[at_++];
  }

  bool done() const { return at_ == bytes_.size(); }

 private:
  std::span<const uint8_t> bytes_;
  size_t at_ = 0;
};

base::Error bad(const std::string& what) {
  return base::invalid_argument("audio fingerprint: " + what).with_field("audio_fingerprint");
}

}  // namespace

base::Result<std::string> encode_fingerprint(const Fingerprint& fp) {
  if (fp.peaks.size() > kMaxStoredPeaks) {
    return bad("at most " + std::to_string(kMaxStoredPeaks) + " peaks can be stored, not " +
               std::to_string(fp.peaks.size()));
  }
  std::vector<uint8_t> out(std::begin(kMagic), std::end(kMagic));
  out.push_back(kVersion);
  put_varint(out, static_cast<uint32_t>(fp.sample_rate));
  put_varint(out, static_cast<uint32_t>(fp.hop));
  put_varint(out, static_cast<uint32_t>(fp.frames));
  put_varint(out, static_cast<uint32_t>(fp.peaks.size()));
  int32_t previous = 0;
  for (const Peak& p : fp.peaks) {
    put_varint(out, static_cast<uint32_t>(p.frame - previous));
    previous = p.frame;
    out.push_back(static_cast<uint8_t>(p.bin));
    const long quarter_db = std::lround(p.prominence_db * 4.0f);
    out.push_back(static_cast<uint8_t>(std::clamp<long>(quarter_db, 0, 255)));
  }
  return base::base64_encode(out);
}

base::Result<Fingerprint> decode_fingerprint(std::string_view text) {
  // The largest valid text: the header and kMaxStoredPeaks peaks of 5 + 2 bytes, in base64.
  constexpr size_t kMaxText = (5 + 4 * 5 + kMaxStoredPeaks * 7 + 2) / 3 * 4;
  if (text.size() > kMaxText) {
    return bad("longer than any stored fingerprint (" + std::to_string(text.size()) +
               " characters)");
  }
  std::optional<std::vector<uint8_t>> bytes = base::base64_decode(text);
  if (!bytes) {
    return bad("expected canonical base64 (RFC 4648)");
  }
  if (bytes->size() < sizeof kMagic + 1 ||
      !std::equal(std::begin(kMagic), std::end(kMagic), bytes->begin())) {
    return bad("expected the \"ccaf\" magic");
  }
  if ((*bytes)[sizeof kMagic] != kVersion) {
    return bad("version " + std::to_string((*bytes)[sizeof kMagic]) + ", expected 1");
  }
  Reader in(std::span<const uint8_t>(*bytes).subspan(sizeof kMagic + 1));
  std::optional<uint32_t> rate = in.varint();
  std::optional<uint32_t> hop = in.varint();
  std::optional<uint32_t> frames = in.varint();
  std::optional<uint32_t> count = in.varint();
  if (!rate || !hop || !frames || !count) {
    return bad("the header is truncated or not minimal varints");
  }
  if (*rate < 1000 || *rate > 192000) {
    return bad("sample rate " + std::to_string(*rate) + ", expected 1000 to 192000 Hz");
  }
  if (*hop < 1 || *hop > 8192) {
    return bad("hop " + std::to_string(*hop) + ", expected 1 to 8192 samples");
  }
  if (*frames > static_cast<uint32_t>(kMaxStoredFrames)) {
    return bad(std::to_string(*frames) + " frames, expected at most " +
               std::to_string(kMaxStoredFrames));
  }
  if (*count > kMaxStoredPeaks) {
    return bad(std::to_string(*count) + " peaks, expected at most " +
               std::to_string(kMaxStoredPeaks));
  }
  // Each peak takes at least 3 bytes: a count past what the text holds is refused before any
  // allocation it asks for.
  if (*count > (bytes->size() - sizeof kMagic - 1) / 3) {
    return bad("the text holds fewer peaks than its header says");
  }
  Fingerprint fp;
  fp.sample_rate = static_cast<int>(*rate);
  fp.hop = static_cast<int>(*hop);
  fp.frames = static_cast<int32_t>(*frames);
  fp.peaks.reserve(*count);
  int64_t frame = 0;
  for (uint32_t i = 0; i < *count; ++i) {
    std::optional<uint32_t> delta = in.varint();
    std::optional<uint8_t> bin = in.byte();
    std::optional<uint8_t> prominence = in.byte();
    if (!delta || !bin || !prominence) {
      return bad("peak " + std::to_string(i) + " is truncated or not a minimal varint");
    }
    frame += *delta;
    if (frame >= static_cast<int64_t>(*frames)) {
      return bad("peak " + std::to_string(i) + " at frame " + std::to_string(frame) +
                 ", past the " + std::to_string(*frames) + " frames");
    }
    if (*bin == 0) {
      return bad("peak " + std::to_string(i) + " in bin 0, expected 1 to 255");
    }
    fp.peaks.push_back(
        Peak{static_cast<int32_t>(frame), *bin, static_cast<float>(*prominence) / 4.0f});
  }
  if (!in.done()) {
    return bad("bytes after the last peak");
  }
  FingerprintOptions options;
  options.sample_rate = fp.sample_rate;
  options.hop = fp.hop;
  fp.landmarks = pair_peaks(fp.peaks, options);
  return fp;
}

}  // namespace clearcut::audio
