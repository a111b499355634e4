#include "clearcut/provenance/c2pa/cbor.h"

#include <gtest/gtest.h>

#include "clearcut/base/hex.h"

namespace clearcut::c2pa {
namespace {

std::vector<uint8_t> hex(std::string_view text) {
  return base::from_hex(text).value();
}

CborValue decode_hex(std::string_view text) {
  auto bytes = hex(text);
  auto result = decode_cbor(bytes);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message());
  return result ? *result : CborValue();
}

TEST(C2paCborTest, DecodesRfc8949AppendixAExamples) {
  EXPECT_EQ(decode_hex("00").as_int(), 0);
  EXPECT_EQ(decode_hex("1864").as_int(), 100);
  EXPECT_EQ(decode_hex("1b000000e8d4a51000").as_int(), 1000000000000);
  EXPECT_EQ(decode_hex("3903e7").as_int(), -1000);
  EXPECT_EQ(decode_hex("3bffffffffffffffff").argument(), 0xFFFFFFFFFFFFFFFFu);
  EXPECT_FALSE(decode_hex("3bffffffffffffffff").as_int().has_value());
  EXPECT_EQ(decode_hex("f93c00").as_float(), 1.0);
  EXPECT_EQ(decode_hex("f97bff").as_float(), 65504.0);
  EXPECT_EQ(decode_hex("fa47c35000").as_float(), 100000.0);
  EXPECT_EQ(decode_hex("fb3ff199999999999a").as_float(), 1.1);
  EXPECT_EQ(decode_hex("f5").type(), CborValue::Type::kBool);
  EXPECT_TRUE(decode_hex("f6").is_null());
  EXPECT_EQ(decode_hex("6449455446").text_value(), "IETF");
  EXPECT_EQ(decode_hex("4401020304").bytes_value().size(), 4u);

  CborValue tagged = decode_hex("c074323031332d30332d32315432303a30343a30305a");
  EXPECT_EQ(tagged.type(), CborValue::Type::kTag);
  EXPECT_EQ(tagged.argument(), 0u);
  EXPECT_EQ(tagged.tag_content().text_value(), "2013-03-21T20:04:00Z");

  CborValue map = decode_hex("a26161016162820203");
  ASSERT_TRUE(map.is_map());
  EXPECT_EQ(map.find("a")->as_int(), 1);
  EXPECT_EQ(map.find("b")->size(), 2u);
  EXPECT_EQ(map.find("c"), nullptr);
}

TEST(C2paCborTest, DecodesIndefiniteLengths) {
  EXPECT_EQ(decode_hex("5f42010243030405ff").bytes_value().size(), 5u);
  EXPECT_EQ(decode_hex("7f657374726561646d696e67ff").text_value(), "streaming");
  EXPECT_EQ(decode_hex("9f018202039f0405ffff").size(), 3u);
  CborValue map = decode_hex("bf61610161629f0203ffff");
  EXPECT_EQ(map.find("b")->size(), 2u);
}

TEST(C2paCborTest, RejectsMalformedInput) {
  for (std::string_view bad : {"", "18", "1c", "5f01ff", "62aa", "ff", "8301", "a16161", "bf6161ff",
                               "0000", "f818", "9f", "c0"}) {
    auto bytes = hex(bad);
    EXPECT_FALSE(decode_cbor(bytes).has_value()) << bad;
  }
  // A count far beyond the input is rejected before anything is reserved.
  auto huge = hex("9bffffffffffffffff");
  EXPECT_FALSE(decode_cbor(huge).has_value());
}

TEST(C2paCborTest, LimitsNestingDepth) {
  std::vector<uint8_t> deep(1000, 0x81);
  deep.push_back(0x00);
  auto result = decode_cbor(deep);
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message().find("nesting"), std::string::npos);
}

TEST(C2paCborTest, EncodesPreferredSerializationAndRoundTrips) {
  CborValue map = CborValue::map();
  map.insert("alg", CborValue::text("sha256"));
  map.insert("n", CborValue::integer(-500));
  map.insert("big", CborValue::unsigned_int(1ull << 40));
  map.insert("h", CborValue::bytes(std::vector<uint8_t>{1, 2, 3}));
  map.insert("f", CborValue::floating(1.5));
  map.insert("d", CborValue::floating(1.1));
  map.insert("t", CborValue::tag(1, CborValue::integer(1363896240)));
  map.insert(CborValue::integer(1),
             CborValue::array({CborValue::boolean(true), CborValue::null()}));
  std::vector<uint8_t> encoded = encode_cbor(map);
  auto decoded = decode_cbor(encoded);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, map);
  EXPECT_EQ(decoded->find(1)->size(), 2u);
  EXPECT_EQ(base::to_hex(encode_cbor(CborValue::integer(-500))), "3901f3");
  EXPECT_EQ(base::to_hex(encode_cbor(CborValue::unsigned_int(23))), "17");
  EXPECT_EQ(base::to_hex(encode_cbor(CborValue::unsigned_int(24))), "1818");
  EXPECT_EQ(base::to_hex(encode_cbor(CborValue::floating(1.5))), "fa3fc00000");
  // Found by the fuzzer: a NaN with a payload, and a double beyond float's range, stay double.
  for (std::string_view item : {"fbfffbfbfbfbfbfbfb", "fbfbfbfbfbfbfbfbfb", "fb7ff8000000000001"}) {
    CborValue value = decode_hex(item);
    EXPECT_EQ(base::to_hex(encode_cbor(value)), item);
  }
}

TEST(C2paCborTest, PrefixDecodingReportsConsumedBytes) {
  auto bytes = hex("820102ffee");
  size_t consumed = 0;
  auto value = decode_cbor_prefix(bytes, &consumed);
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(consumed, 3u);
  EXPECT_EQ(cbor_to_diagnostic(*value), "[1, 2]");
}

}  // namespace
}  // namespace clearcut::c2pa
