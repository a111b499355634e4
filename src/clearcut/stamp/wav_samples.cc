#include "clearcut/stamp/wav_samples.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "clearcut/provenance/c2pa/riff.h"

namespace clearcut::stamp {
namespace {

constexpr uint16_t kPcm = 1;
constexpr uint16_t kFloat = 3;
constexpr uint16_t kExtensible = 0xFFFE;

uint16_t le16(std::span<const uint8_t> d, size_t at) {
  return static_cast<uint16_t>(d[at] | (d[at + 1] << 8));
}

uint32_t le32(std::span<const uint8_t> d, size_t at) {
  return uint32_t{d[at]} | (uint32_t{d[at + 1]} << 8) | (uint32_t{d[at + 2]} << 16) |
         (uint32_t{d[at + 3]} << 24);
}

base::Error unsupported(const std::string& what) {
  return base::Error(base::ErrorCode::kUnsupported, "WAV: " + what);
}

}  // namespace

base::Result<WavSamples> read_wav_samples(std::span<const uint8_t> wav) {
  const c2pa::RiffFile riff = CC_TRY(c2pa::parse_riff(wav));
  if (std::string_view(riff.form.data(), 4) != "WAVE") {
    return base::invalid_argument("not a WAV: the RIFF form is \"" +
                                  std::string(riff.form.data(), 4) + "\"");
  }
  std::optional<c2pa::RiffChunk> fmt;
  std::optional<c2pa::RiffChunk> data;
  for (const c2pa::RiffChunk& chunk : riff.chunks) {
    if (chunk.id_view() == "fmt " && !fmt) {
      fmt = chunk;
    } else if (chunk.id_view() == "data" && !data) {
      data = chunk;
    }
  }
  if (!fmt || fmt->data_size < 16) {
    return base::invalid_argument("WAV: no \"fmt \" chunk of at least 16 bytes");
  }
  if (!data) {
    return base::invalid_argument("WAV: no \"data\" chunk");
  }
  const size_t f = fmt->offset + 8;
  uint16_t tag = le16(wav, f);
  WavSamples out;
  out.channels = le16(wav, f + 2);
  out.sample_rate = static_cast<int>(le32(wav, f + 4));
  out.bits = le16(wav, f + 14);
  if (tag == kExtensible) {
    if (fmt->data_size < 40) {
      return base::invalid_argument("WAV: WAVE_FORMAT_EXTENSIBLE with a short \"fmt \" chunk");
    }
    tag = le16(wav, f + 24);  // the sub-format GUID's first two bytes
  }
  if (tag != kPcm && tag != kFloat) {
    return unsupported("encoding " + std::to_string(tag) + " (PCM and float samples only)");
  }
  out.is_float = tag == kFloat;
  if (out.is_float ? out.bits != 32 : out.bits != 16 && out.bits != 24 && out.bits != 32) {
    return unsupported(std::to_string(out.bits) + "-bit " + (out.is_float ? "float" : "PCM") +
                       " samples (16, 24 and 32-bit PCM, 32-bit float)");
  }
  if (out.channels < 1 || out.channels > 32) {
    return unsupported(std::to_string(out.channels) + " channels (1 to 32)");
  }
  if (out.sample_rate < 8000 || out.sample_rate > 384000) {
    return unsupported("a rate of " + std::to_string(out.sample_rate) + " Hz (8 to 384 kHz)");
  }
  const size_t align = out.block_align();
  if (data->data_size % align != 0) {
    return base::invalid_argument("WAV: " + std::to_string(data->data_size) +
                                  " data bytes are not whole frames of " + std::to_string(align));
  }
  out.data_offset = data->offset + 8;
  out.frames = data->data_size / align;
  const size_t count = out.frames * static_cast<size_t>(out.channels);
  out.interleaved.resize(count);
  const uint8_t* p = wav.data() + out.data_offset;
  const int bytes = out.bits / 8;
  for (size_t i = 0; i < count; ++i, p += bytes) {
    if (out.is_float) {
      float v = 0;
      std::memcpy(&v, p, 4);  // little-endian hosts only (x86-64, arm64)
      out.interleaved[i] = v;
    } else if (bytes == 2) {
      out.interleaved[i] = static_cast<float>(static_cast<int16_t>(p[0] | (p[1] << 8))) / 32768.0f;
    } else if (bytes == 3) {
      const int32_t v = static_cast<int32_t>((uint32_t{p[0]} << 8) | (uint32_t{p[1]} << 16) |
                                             (uint32_t{p[2]} << 24)) >>
                        8;
      out.interleaved[i] = static_cast<float>(v) / 8388608.0f;
    } else {
      const auto v = static_cast<int32_t>(le32(std::span<const uint8_t>(p, 4), 0));
      out.interleaved[i] = static_cast<float>(static_cast<double>(v) / 2147483648.0);
    }
  }
  return out;
}

base::Result<std::vector<uint8_t>> with_wav_samples(std::span<const uint8_t> wav,
                                                    const WavSamples& layout,
                                                    std::span<const float> interleaved) {
  if (interleaved.size() != layout.interleaved.size() ||
      layout.data_offset + layout.frames * layout.block_align() > wav.size()) {
    return base::invalid_argument("WAV: " + std::to_string(interleaved.size()) +
                                  " samples given for " +
                                  std::to_string(layout.interleaved.size()));
  }
  std::vector<uint8_t> out(wav.begin(), wav.end());
  uint8_t* p = out.data() + layout.data_offset;
  const int bytes = layout.bits / 8;
  const double scale = std::ldexp(1.0, layout.bits - 1);
  for (size_t i = 0; i < interleaved.size(); ++i, p += bytes) {
    if (layout.is_float) {
      std::memcpy(p, &interleaved[i], 4);
      continue;
    }
    // The change is added to the stored integer, so that a sample left as read keeps its exact
    // value (a float holds 24 bits: 32-bit PCM would otherwise lose its low bits).
    int64_t stored = 0;
    for (int k = 0; k < bytes; ++k) {
      stored |= int64_t{p[k]} << (8 * k);
    }
    stored = (stored ^ (int64_t{1} << (layout.bits - 1))) - (int64_t{1} << (layout.bits - 1));
    const double change =
        (static_cast<double>(interleaved[i]) - static_cast<double>(layout.interleaved[i])) * scale;
    const int64_t q =
        std::clamp<int64_t>(stored + std::llround(change), -static_cast<int64_t>(scale),
                            static_cast<int64_t>(scale) - 1);
    for (int k = 0; k < bytes; ++k) {
      p[k] = static_cast<uint8_t>(q >> (8 * k));
    }
  }
  return out;
}

}  // namespace clearcut::stamp
