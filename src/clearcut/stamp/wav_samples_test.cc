#include "clearcut/stamp/wav_samples.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace clearcut::stamp {
namespace {

void le(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
}

void id(std::vector<uint8_t>& out, const char* four) {
  out.insert(out.end(), four, four + 4);
}

// A WAV with `frames` frames of a ramp in `channels` channels, in the given encoding; a LIST
// chunk before "data" and an odd-sized one after it, as tools leave them.
std::vector<uint8_t> wav_of(int bits, bool is_float, int channels, int frames,
                            bool extensible = false, int tag = 0) {
  std::vector<uint8_t> out;
  id(out, "RIFF");
  le(out, 0, 4);
  id(out, "WAVE");
  id(out, "fmt ");
  le(out, extensible ? 40 : 16, 4);
  const int format = tag != 0 ? tag : extensible ? 0xFFFE : is_float ? 3 : 1;
  le(out, static_cast<uint64_t>(format), 2);
  le(out, static_cast<uint64_t>(channels), 2);
  le(out, 48000, 4);
  le(out, static_cast<uint64_t>(48000 * channels * bits / 8), 4);
  le(out, static_cast<uint64_t>(channels * bits / 8), 2);
  le(out, static_cast<uint64_t>(bits), 2);
  if (extensible) {
    le(out, 22, 2);
    le(out, static_cast<uint64_t>(bits), 2);
    le(out, 3, 4);  // channel mask
    le(out, is_float ? 3 : 1, 2);
    const uint8_t rest[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                              0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    out.insert(out.end(), rest, rest + 14);
  }
  id(out, "LIST");
  le(out, 4, 4);
  id(out, "INFO");
  id(out, "data");
  le(out, static_cast<uint64_t>(frames * channels * bits / 8), 4);
  for (int i = 0; i < frames * channels; ++i) {
    const double v = -0.9 + 1.8 * i / (frames * channels);
    if (is_float) {
      const float f = static_cast<float>(v);
      uint32_t u = 0;
      std::memcpy(&u, &f, 4);
      le(out, u, 4);
    } else {
      const double scale = std::ldexp(1.0, bits - 1);
      le(out, static_cast<uint64_t>(static_cast<int64_t>(std::nearbyint(v * scale))), bits / 8);
    }
  }
  id(out, "note");
  le(out, 3, 4);
  out.insert(out.end(), {'a', 'b', 'c'});
  const uint64_t size = out.size() - 8;
  for (int i = 0; i < 4; ++i) {
    out[4 + static_cast<size_t>(i)] = static_cast<uint8_t>(size >> (8 * i));
  }
  return out;
}

struct Format {
  int bits;
  bool is_float;
  int channels;
  bool extensible;
};

TEST(WavSamplesTest, ReadsAndWritesBackEveryPcmAndFloatLayout) {
  for (const Format& f :
       {Format{16, false, 1, false}, Format{24, false, 2, false}, Format{32, false, 1, false},
        Format{32, true, 2, false}, Format{24, false, 2, true}, Format{32, true, 1, true}}) {
    SCOPED_TRACE(std::to_string(f.bits) + (f.is_float ? " float " : " pcm ") +
                 std::to_string(f.channels) + (f.extensible ? " extensible" : ""));
    const std::vector<uint8_t> wav = wav_of(f.bits, f.is_float, f.channels, 100, f.extensible);
    auto read = read_wav_samples(wav);
    ASSERT_TRUE(read.has_value()) << read.error().to_string();
    EXPECT_EQ(read->sample_rate, 48000);
    EXPECT_EQ(read->channels, f.channels);
    EXPECT_EQ(read->frames, 100u);
    ASSERT_EQ(read->interleaved.size(), static_cast<size_t>(100 * f.channels));
    EXPECT_NEAR(read->interleaved.front(), -0.9, 1e-4);
    EXPECT_NEAR(read->interleaved.back(), 0.9 - 1.8 / (100 * f.channels), 1e-4);
    // Unchanged samples write back to the same bytes, every other chunk with them.
    auto same = with_wav_samples(wav, *read, read->interleaved);
    ASSERT_TRUE(same.has_value());
    EXPECT_EQ(*same, wav);
    // Changed samples land in the data chunk only, in the file's format.
    std::vector<float> louder = read->interleaved;
    for (float& v : louder) {
      v *= 1.5f;  // past full scale at the ends: clipped
    }
    auto changed = with_wav_samples(wav, *read, louder);
    ASSERT_TRUE(changed.has_value());
    ASSERT_EQ(changed->size(), wav.size());
    EXPECT_TRUE(std::equal(wav.begin(),
                           wav.begin() + static_cast<std::ptrdiff_t>(read->data_offset),
                           changed->begin()));
    auto again = read_wav_samples(*changed);
    ASSERT_TRUE(again.has_value());
    const double step = f.is_float ? 1e-6 : std::ldexp(1.0, 1 - f.bits);
    for (size_t i = 0; i < louder.size(); ++i) {
      const double want = f.is_float ? louder[i] : std::clamp<double>(louder[i], -1.0, 1.0 - step);
      ASSERT_NEAR(again->interleaved[i], want, step) << i;
    }
  }
}

TEST(WavSamplesTest, RefusesWhatItCannotMarkWithAClearError) {
  auto error = [](const std::vector<uint8_t>& wav) {
    auto read = read_wav_samples(wav);
    return read.has_value() ? std::string("read") : read.error().to_string();
  };
  EXPECT_NE(error(wav_of(8, false, 1, 10)).find("8-bit PCM samples"), std::string::npos);
  EXPECT_NE(error(wav_of(16, false, 1, 10, false, 2)).find("encoding 2"), std::string::npos);
  std::vector<uint8_t> no_data = wav_of(16, false, 1, 10);
  std::memcpy(no_data.data() + 48, "junk", 4);  // the data chunk renamed
  EXPECT_NE(error(no_data).find("no \"data\" chunk"), std::string::npos);
  std::vector<uint8_t> partial = wav_of(16, false, 2, 10);
  partial[52] = 39;  // 39 data bytes: not whole frames of 4
  EXPECT_NE(error(partial).find("not whole frames"), std::string::npos);
  EXPECT_NE(error({'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P'}).find("not a WAV"),
            std::string::npos);
  auto read = read_wav_samples(wav_of(16, false, 1, 10));
  ASSERT_TRUE(read.has_value());
  EXPECT_FALSE(
      with_wav_samples(wav_of(16, false, 1, 10), *read, std::vector<float>(9)).has_value());
}

}  // namespace
}  // namespace clearcut::stamp
