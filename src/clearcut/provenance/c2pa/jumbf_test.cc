#include "clearcut/provenance/c2pa/jumbf.h"

#include <gtest/gtest.h>

#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/bmff.h"
#include "clearcut/provenance/c2pa/digital_source_type.h"
#include "clearcut/provenance/c2pa/hashed_uri.h"
#include "clearcut/provenance/c2pa/manifest_store.h"

namespace clearcut::c2pa {
namespace {

std::vector<uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

std::vector<uint8_t> sample_store() {
  std::vector<uint8_t> salt(16, 0xAB);
  auto assertion = encode_jumbf_superbox(jumbf_type_uuid("json"), "stds.schema-org.CreativeWork",
                                         {encode_jumbf_box("json", bytes("{}"))}, salt);
  auto store = encode_jumbf_superbox(jumbf_type_uuid("c2as"), "c2pa.assertions", {assertion});
  return encode_jumbf_superbox(jumbf_type_uuid("c2pa"), "c2pa", {store});
}

TEST(C2paJumbfTest, ParsesWhatItEncodes) {
  std::vector<uint8_t> data = sample_store();
  auto root = parse_jumbf(data);
  ASSERT_TRUE(root.has_value()) << root.error().message();
  EXPECT_TRUE(root->is_superbox());
  EXPECT_EQ(root->label(), "c2pa");
  EXPECT_EQ(root->description.type, jumbf_type_uuid("c2pa"));
  EXPECT_EQ(root->description.toggles, 0x03);
  const JumbfBox* store = root->find_child("c2pa.assertions");
  ASSERT_NE(store, nullptr);
  const JumbfBox* assertion = store->find_child("stds.schema-org.CreativeWork");
  ASSERT_NE(assertion, nullptr);
  EXPECT_EQ(assertion->description.toggles, 0x13);
  ASSERT_TRUE(assertion->description.private_box.has_value());
  EXPECT_EQ(assertion->description.private_box->length, 24u);
  const JumbfBox* json = assertion->find_content("json");
  ASSERT_NE(json, nullptr);
  auto payload = slice(data, json->payload);
  EXPECT_EQ(std::string(payload.begin(), payload.end()), "{}");
  EXPECT_EQ(root->box.length, data.size());
}

TEST(C2paJumbfTest, ReadsOptionalDescriptionFields) {
  std::vector<uint8_t> description(16, 0x11);
  description.push_back(0x0F);  // requestable, label, id, signature
  description.insert(description.end(), {'x', 0, 0, 0, 0, 7});
  description.insert(description.end(), 32, 0x5A);
  auto box = encode_jumbf_box("jumb", encode_jumbf_box("jumd", description));
  auto parsed = parse_jumbf(box);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  EXPECT_EQ(parsed->label(), "x");
  EXPECT_EQ(parsed->description.id, 7u);
  ASSERT_TRUE(parsed->description.signature.has_value());
  EXPECT_EQ((*parsed->description.signature)[0], 0x5A);
}

TEST(C2paJumbfTest, RejectsMalformedBoxes) {
  std::vector<uint8_t> good = sample_store();
  // Every truncation fails cleanly.
  for (size_t cut = 0; cut < good.size(); ++cut) {
    std::vector<uint8_t> truncated(good.begin(), good.begin() + cut);
    EXPECT_FALSE(parse_jumbf(truncated).has_value()) << cut;
  }
  // A child longer than its parent.
  std::vector<uint8_t> overlong = good;
  overlong[8 + 3] = 0xFF;  // LBox of the jumd box
  EXPECT_FALSE(parse_jumbf(overlong).has_value());
  // A label without its NUL.
  std::vector<uint8_t> description(16, 0);
  description.push_back(0x03);
  description.insert(description.end(), {'a', 'b'});
  EXPECT_FALSE(
      parse_jumbf(encode_jumbf_box("jumb", encode_jumbf_box("jumd", description))).has_value());
  // A superbox that does not start with a description.
  EXPECT_FALSE(
      parse_jumbf(encode_jumbf_box("jumb", encode_jumbf_box("json", bytes("{}")))).has_value());
  // Not a superbox at all.
  EXPECT_FALSE(parse_jumbf(encode_jumbf_box("json", bytes("{}"))).has_value());
}

TEST(C2paJumbfTest, LimitsNesting) {
  std::vector<uint8_t> box = encode_jumbf_superbox(jumbf_type_uuid("c2pa"), "x", {});
  for (int i = 0; i < 40; ++i) {
    box = encode_jumbf_superbox(jumbf_type_uuid("c2pa"), "x", {box});
  }
  auto parsed = parse_jumbf(box);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("nested"), std::string::npos);
}

TEST(C2paJumbfTest, UsesXlBoxForHugeLengths) {
  std::vector<uint8_t> box = encode_jumbf_box("jumb", {});
  box[3] = 1;  // LBox 1: an XLBox follows, here missing
  EXPECT_FALSE(parse_jumbf(box).has_value());
}

TEST(C2paJumbfUriTest, ParsesRelativeAndAbsoluteUris) {
  auto relative = parse_jumbf_uri("self#jumbf=c2pa.assertions/c2pa.actions");
  ASSERT_TRUE(relative.has_value());
  EXPECT_TRUE(relative->manifest.empty());
  EXPECT_EQ(relative->path, (std::vector<std::string>{"c2pa.assertions", "c2pa.actions"}));

  auto absolute = parse_jumbf_uri("self#jumbf=/c2pa/urn:c2pa:1234:acme/c2pa.signature");
  ASSERT_TRUE(absolute.has_value());
  EXPECT_EQ(absolute->manifest, "urn:c2pa:1234:acme");
  EXPECT_EQ(absolute->path, std::vector<std::string>{"c2pa.signature"});

  auto manifest_only = parse_jumbf_uri("self#jumbf=/c2pa/urn:uuid:1");
  ASSERT_TRUE(manifest_only.has_value());
  EXPECT_TRUE(manifest_only->path.empty());

  // Written without the leading slash by some generators.
  auto no_slash = parse_jumbf_uri("self#jumbf=c2pa/contoso:urn:uuid:1/c2pa.signature");
  ASSERT_TRUE(no_slash.has_value());
  EXPECT_EQ(no_slash->manifest, "contoso:urn:uuid:1");

  EXPECT_FALSE(parse_jumbf_uri("https://example.com/x").has_value());
  EXPECT_FALSE(parse_jumbf_uri("self#jumbf=").has_value());
  EXPECT_FALSE(parse_jumbf_uri("self#jumbf=/other/x").has_value());
  EXPECT_FALSE(parse_jumbf_uri("self#jumbf=a//b").has_value());
  EXPECT_EQ(absolute_jumbf_uri("m", "c2pa.signature"), "self#jumbf=/c2pa/m/c2pa.signature");
}

TEST(C2paAssertionLabelTest, SplitsInstanceAndVersion) {
  Assertion a;
  a.label = "c2pa.actions.v2__3";
  EXPECT_EQ(a.base_label(), "c2pa.actions.v2");
  EXPECT_EQ(a.version(), 2);
  EXPECT_TRUE(a.is("c2pa.actions"));
  EXPECT_FALSE(a.is("c2pa.action"));
  a.label = "c2pa.ingredient__1";
  EXPECT_EQ(a.base_label(), "c2pa.ingredient");
  EXPECT_EQ(a.version(), 1);
  EXPECT_TRUE(a.is("c2pa.ingredient"));
  a.label = "c2pa.hash.bmff";
  EXPECT_TRUE(a.is("c2pa.hash.bmff"));
  EXPECT_FALSE(a.is("c2pa.hash"));
  a.label = "my__label";
  EXPECT_EQ(a.base_label(), "my__label");
}

TEST(C2paHashedUriTest, AcceptsByteStringsAndByteArrays) {
  CborValue map = CborValue::map();
  map.insert("url", CborValue::text("self#jumbf=c2pa.assertions/x"));
  map.insert("hash", CborValue::array({CborValue::integer(1), CborValue::integer(255)}));
  auto uri = HashedUri::from_cbor(map);
  ASSERT_TRUE(uri.has_value());
  EXPECT_EQ(uri->hash, (std::vector<uint8_t>{1, 255}));
  CborValue bad = CborValue::map();
  bad.insert("url", CborValue::text("x"));
  bad.insert("hash", CborValue::array({CborValue::integer(256)}));
  EXPECT_FALSE(HashedUri::from_cbor(bad).has_value());
  auto round_trip = HashedUri::from_cbor(uri->to_cbor());
  ASSERT_TRUE(round_trip.has_value());
  EXPECT_EQ(round_trip->hash, uri->hash);
}

TEST(C2paDigitalSourceTypeTest, ParsesIptcAndC2paVocabularies) {
  using T = DigitalSourceType;
  EXPECT_EQ(parse_digital_source_type(
                "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"),
            T::kTrainedAlgorithmicMedia);
  EXPECT_EQ(
      parse_digital_source_type(
          "https://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"),
      T::kCompositeWithTrainedAlgorithmicMedia);
  EXPECT_EQ(parse_digital_source_type("http://c2pa.org/digitalsourcetype/trainedAlgorithmicData"),
            T::kC2paTrainedAlgorithmicData);
  EXPECT_EQ(parse_digital_source_type("c2pa.trainedAlgorithmicData"),
            T::kC2paTrainedAlgorithmicData);
  EXPECT_EQ(parse_digital_source_type("algorithmicMedia"), T::kAlgorithmicMedia);
  EXPECT_EQ(parse_digital_source_type("http://example.com/digitalsourcetype/algorithmicMedia"),
            T::kUnknown);
  EXPECT_EQ(parse_digital_source_type("http://cv.iptc.org/newscodes/digitalsourcetype/empty"),
            T::kUnknown);
  EXPECT_EQ(ai_involvement(T::kTrainedAlgorithmicMedia), AiInvolvement::kGenerativeAi);
  EXPECT_EQ(ai_involvement(T::kCompositeSynthetic), AiInvolvement::kSynthetic);
  EXPECT_EQ(ai_involvement(T::kDigitalCapture), AiInvolvement::kNone);
  EXPECT_EQ(digital_source_type_term(T::kCompositeCapture), "compositeCapture");
}

TEST(C2paContainerTest, FindsNothingInPlainAssets) {
  std::vector<uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xD9};
  auto found = find_manifest_store(jpeg);
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
  // A segment length running past the end is damage, not "no manifest".
  std::vector<uint8_t> damaged = {0xFF, 0xD8, 0xFF, 0xE0, 0x40, 0x00, 0x00};
  EXPECT_FALSE(find_manifest_store(damaged).has_value());
  std::vector<uint8_t> unknown = {'G', 'I', 'F', '8', '9', 'a'};
  auto result = find_manifest_store(unknown);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), base::ErrorCode::kUnsupported);
}

TEST(C2paContainerTest, IgnoresApp11ThatIsNotC2pa) {
  // An APP11 JUMBF box of another kind (type "json") is not a manifest store.
  auto other = encode_jumbf_superbox(jumbf_type_uuid("json"), "other", {});
  std::vector<uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xEB};
  size_t length = other.size() + 10;
  jpeg.push_back(static_cast<uint8_t>(length >> 8));
  jpeg.push_back(static_cast<uint8_t>(length));
  jpeg.insert(jpeg.end(), {'J', 'P', 0, 1, 0, 0, 0, 1});
  jpeg.insert(jpeg.end(), other.begin(), other.end());
  jpeg.insert(jpeg.end(), {0xFF, 0xD9});
  auto found = find_manifest_store(jpeg);
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
}

TEST(C2paBmffTest, FindsBoxesByXpath) {
  auto box = [](std::string_view type, std::vector<uint8_t> payload) {
    std::vector<uint8_t> out = {0, 0, 0, static_cast<uint8_t>(payload.size() + 8)};
    out.reserve(payload.size() + 8);  // GCC 12 -O3 -Warray-bounds false positive otherwise
    out.insert(out.end(), type.begin(), type.end());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
  };
  std::vector<uint8_t> stco = box("stco", {1, 0, 0, 2, 0, 0, 0, 0});
  std::vector<uint8_t> stbl = box("stbl", stco);
  std::vector<uint8_t> trak1 = box("trak", stbl);
  std::vector<uint8_t> trak2 = box("trak", {});
  std::vector<uint8_t> moov_payload = trak1;
  moov_payload.insert(moov_payload.end(), trak2.begin(), trak2.end());
  std::vector<uint8_t> file = box("ftyp", {'i', 's', 'o', 'm'});
  std::vector<uint8_t> moov = box("moov", moov_payload);
  file.insert(file.end(), moov.begin(), moov.end());

  auto boxes = parse_bmff(file);
  ASSERT_TRUE(boxes.has_value()) << boxes.error().message();
  EXPECT_EQ(find_bmff_boxes(*boxes, "/moov/trak").size(), 2u);
  EXPECT_EQ(find_bmff_boxes(*boxes, "/moov/trak[2]").size(), 1u);
  auto found = find_bmff_boxes(*boxes, "/moov/trak[1]/stbl/stco");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->version, 1);
  EXPECT_EQ(found[0]->flags, 2u);
  EXPECT_TRUE(find_bmff_boxes(*boxes, "/moov/trak[3]").empty());
  EXPECT_TRUE(find_bmff_boxes(*boxes, "moov").empty());
  EXPECT_TRUE(find_bmff_boxes(*boxes, "/moov/trak[0]").empty());

  file[3] = 0x40;  // ftyp claims more than the file holds
  EXPECT_FALSE(parse_bmff(file).has_value());
}

}  // namespace
}  // namespace clearcut::c2pa
