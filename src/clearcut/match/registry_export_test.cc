#include "clearcut/match/registry_export.h"

#include <random>

#include <gtest/gtest.h>

#include "clearcut/match/match_test_support.h"

namespace clearcut::match {
namespace {

TEST(CodeTest, BytesFollowTheHexTextOrder) {
  // words[3] holds bits 255..192, the first 16 hex digits of a PDQ hash.
  const Code code = {0x0011223344556677, 0x8899aabbccddeeff, 0x0123456789abcdef,
                     0xfedcba9876543210};
  const std::array<uint8_t, 32> expected = {0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
                                            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                            0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
                                            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
  EXPECT_EQ(code_to_bytes(code), expected);
  EXPECT_EQ(code_from_bytes(expected), code);
}

TEST(CodeTest, HammingDistance) {
  EXPECT_EQ(hamming_distance(Code{}, Code{}), 0);
  EXPECT_EQ(hamming_distance(Code{}, Code{~0ull, ~0ull, ~0ull, ~0ull}), 256);
  EXPECT_EQ(hamming_distance(Code{1, 0, 0, 0}, Code{0, 0, 0, uint64_t{1} << 63}), 2);
}

TEST(RegistryExportTest, EncodesTheDocumentedLayout) {
  const std::vector<Entry> entries = {{258, {1, 0, 0, 0}}, {-1, {0, 0, 0, 0}}};
  const auto bytes = encode_registry_export(entries);
  ASSERT_EQ(bytes.size(), 32u + 2 * 40 + 32);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 8), "CCREGEXP");
  EXPECT_EQ(bytes[8], 1);    // version
  EXPECT_EQ(bytes[12], 40);  // record size
  EXPECT_EQ(bytes[16], 2);   // count
  // Sorted by id: -1 first (all 0xff), then 258 = 0x0102 little-endian.
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(bytes[32 + i], 0xff);
  }
  EXPECT_EQ(bytes[72], 0x02);
  EXPECT_EQ(bytes[73], 0x01);
  EXPECT_EQ(bytes[72 + 8 + 31], 0x01);  // bit 0 is the last code byte
  auto decoded = decode_registry_export(bytes);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, (std::vector<Entry>{entries[1], entries[0]}));
}

TEST(RegistryExportTest, RejectsWhatIsNotAnExport) {
  auto bad_magic = encode_registry_export({});
  bad_magic[0] = 'X';
  EXPECT_EQ(decode_registry_export(bad_magic).error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(decode_registry_export({}).error().code(), base::ErrorCode::kInvalidArgument);
  auto version = encode_registry_export({});
  version[8] = 2;
  EXPECT_EQ(decode_registry_export(version).error().code(), base::ErrorCode::kUnsupported);
  auto huge = encode_registry_export({});
  huge[20] = 1;  // count 2^32
  EXPECT_EQ(decode_registry_export(huge).error().code(), base::ErrorCode::kResourceExhausted);
  auto large = encode_registry_export({});
  large[16] = 0xff;  // count 255, no records
  EXPECT_EQ(decode_registry_export(large).error().code(), base::ErrorCode::kDataLoss);
  auto reserved = encode_registry_export({});
  reserved[30] = 1;
  EXPECT_EQ(decode_registry_export(reserved).error().code(), base::ErrorCode::kDataLoss);
}

TEST(RegistryExportTest, WritesAndStreams) {
  std::mt19937_64 rng(11);
  std::vector<Entry> entries;
  for (int i = 0; i < 70000; ++i) {  // more than one read chunk
    entries.push_back({i * 2 - 1000, test_support::random_code(rng)});
  }
  const std::string path = ::testing::TempDir() + "registry_export_test.bin";
  ASSERT_TRUE(write_registry_export(path, entries).has_value());
  struct Sink : RegistrySink {
    uint64_t announced = 0;
    std::vector<Entry> got;
    void begin(uint64_t count) override { announced = count; }
    void append(std::span<const Entry> e) override { got.insert(got.end(), e.begin(), e.end()); }
  } sink;
  ASSERT_TRUE(read_registry_export(path, sink).has_value());
  EXPECT_EQ(sink.announced, entries.size());
  EXPECT_EQ(sink.got, entries);
  std::remove(path.c_str());
  EXPECT_FALSE(write_registry_export("/nonexistent-dir/x.bin", entries).has_value());
}

}  // namespace
}  // namespace clearcut::match
