// detect_asset_format on MP3 and what only looks like it: MPEG audio after junk or an ID3v2 tag,
// and the other formats that carry an ID3v2 tag in front (FLAC, ADTS AAC).
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/id3.h"

namespace clearcut::c2pa {
namespace {

// MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding, no CRC: 144 x 128000 / 44100 = 417 bytes.
constexpr uint8_t kMpeg1Layer3[4] = {0xFF, 0xFB, 0x90, 0x64};

void append_frames(std::vector<uint8_t>& out, int count) {
  for (int i = 0; i < count; ++i) {
    const size_t at = out.size();
    out.resize(at + 417, 0x55);
    std::copy(std::begin(kMpeg1Layer3), std::end(kMpeg1Layer3),
              out.begin() + static_cast<long>(at));
  }
}

// An ID3v2.4 tag of `size` bytes of padding after its header.
std::vector<uint8_t> id3_tag(uint32_t size) {
  std::vector<uint8_t> tag = {'I', 'D', '3', 4, 0, 0};
  for (int shift = 21; shift >= 0; shift -= 7) {
    tag.push_back(static_cast<uint8_t>((size >> shift) & 0x7F));
  }
  tag.resize(10 + size, 0);
  return tag;
}

TEST(AssetFormatTest, FrameSizesFollowTheHeader) {
  EXPECT_EQ(mpeg_audio_frame_size(kMpeg1Layer3, 0), 417U);
  const uint8_t padded[4] = {0xFF, 0xFB, 0x92, 0x64};  // the padding bit: one byte more
  EXPECT_EQ(mpeg_audio_frame_size(padded, 0), 418U);
  const uint8_t mpeg2_layer3[4] = {0xFF, 0xF3, 0x80, 0x64};  // 64 kbit/s, 22.05 kHz: 72 x ...
  EXPECT_EQ(mpeg_audio_frame_size(mpeg2_layer3, 0), 208U);
  const uint8_t mpeg1_layer1[4] = {0xFF, 0xFF, 0x80, 0x64};  // 256 kbit/s, 44.1 kHz, 4-byte slots
  EXPECT_EQ(mpeg_audio_frame_size(mpeg1_layer1, 0), 276U);
  const uint8_t mpeg1_layer2[4] = {0xFF, 0xFD, 0x84, 0x64};  // 128 kbit/s, 48 kHz
  EXPECT_EQ(mpeg_audio_frame_size(mpeg1_layer2, 0), 384U);
  const uint8_t free_format[4] = {0xFF, 0xFB, 0x00, 0x64};
  EXPECT_FALSE(mpeg_audio_frame_size(free_format, 0).has_value());
  const uint8_t adts[4] = {0xFF, 0xF1, 0x50, 0x80};  // AAC: layer 0
  EXPECT_FALSE(mpeg_audio_frame_size(adts, 0).has_value());
}

TEST(AssetFormatTest, Mp3WithAndWithoutATag) {
  std::vector<uint8_t> bare;
  append_frames(bare, 4);
  EXPECT_EQ(detect_asset_format(bare), AssetFormat::kMp3);

  std::vector<uint8_t> tagged = id3_tag(300);
  append_frames(tagged, 4);
  EXPECT_EQ(detect_asset_format(tagged), AssetFormat::kMp3);
  EXPECT_EQ(id3_tag_end(tagged), 310U);
}

TEST(AssetFormatTest, Mp3AfterJunkOrABrokenFirstFrame) {
  std::vector<uint8_t> junk(1000, 0);
  junk[100] = 0xFF;  // a lone sync with nothing after it where it says
  junk[101] = 0xFB;
  junk[102] = 0x90;
  append_frames(junk, 3);
  EXPECT_EQ(detect_asset_format(junk), AssetFormat::kMp3);
  EXPECT_EQ(find_mpeg_audio_stream(junk, 0), 1000U);

  std::vector<uint8_t> tagged = id3_tag(64);
  tagged.insert(tagged.end(), 500, 0);  // padding past the size the tag states
  append_frames(tagged, 3);
  EXPECT_EQ(detect_asset_format(tagged), AssetFormat::kMp3);
}

TEST(AssetFormatTest, OtherStreamsBehindATagAreNotMp3) {
  std::vector<uint8_t> flac = id3_tag(100);
  for (char c : std::string("fLaC")) {
    flac.push_back(static_cast<uint8_t>(c));
  }
  flac.resize(flac.size() + 2000, 0x11);
  EXPECT_EQ(detect_asset_format(flac), AssetFormat::kUnknown);

  std::vector<uint8_t> aac = id3_tag(100);
  for (int i = 0; i < 10; ++i) {
    const size_t at = aac.size();
    aac.resize(at + 300, 0x22);
    aac[at] = 0xFF;  // ADTS
    aac[at + 1] = 0xF1;
    aac[at + 2] = 0x50;
  }
  EXPECT_EQ(detect_asset_format(aac), AssetFormat::kUnknown);
}

TEST(AssetFormatTest, RandomBytesAreNotMp3) {
  std::mt19937 random(18);
  std::vector<uint8_t> noise(256 * 1024);
  for (uint8_t& b : noise) {
    b = static_cast<uint8_t>(random());
  }
  EXPECT_EQ(detect_asset_format(noise), AssetFormat::kUnknown);
}

TEST(AssetFormatTest, AHeadThatEndsInsideTheTagIsPresumedMp3) {
  std::vector<uint8_t> head = id3_tag(100000);
  head.resize(64);
  EXPECT_EQ(detect_asset_format(head), AssetFormat::kMp3);
  EXPECT_EQ(id3_tag_end(head), 100010U);

  std::vector<uint8_t> one_frame;  // a head of a bare stream: one header, the rest not given
  append_frames(one_frame, 1);
  one_frame.resize(64);
  EXPECT_EQ(detect_asset_format(one_frame), AssetFormat::kMp3);
}

}  // namespace
}  // namespace clearcut::c2pa
