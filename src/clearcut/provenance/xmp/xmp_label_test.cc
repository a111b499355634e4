#include "clearcut/provenance/xmp/xmp_label.h"

#include <string>

#include <gtest/gtest.h>

#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/c2pa_writer.h"
#include "clearcut/provenance/c2pa/test_samples.h"
#include "clearcut/provenance/xmp/photo_samples.h"
#include "clearcut/provenance/xmp/xmp_packet.h"

namespace clearcut::xmp {
namespace {

constexpr const char* kTrained =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
constexpr const char* kComposite =
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

media::Image gradient() {
  media::Image image;
  image.width = 40;
  image.height = 24;
  image.channels = 3;
  image.pixels.resize(image.row_bytes() * image.height);
  for (size_t i = 0; i < image.pixels.size(); ++i) {
    image.pixels[i] = static_cast<uint8_t>(i * 5);
  }
  return image;
}

std::vector<uint8_t> jpeg() {
  return media::encode_jpeg(gradient()).value();
}

std::vector<uint8_t> png() {
  return media::encode_png(gradient()).value();
}

// A JPEG whose APP1 XMP segment holds `packet`.
std::vector<uint8_t> jpeg_with_packet(std::string_view packet) {
  return test_samples::jpeg_with_xmp_packet(jpeg(), packet);
}

class XmpRoundTripTest : public testing::TestWithParam<bool> {
 protected:
  std::vector<uint8_t> image() const { return GetParam() ? png() : jpeg(); }
};

TEST_P(XmpRoundTripTest, WritesAndReadsTheLabel) {
  std::vector<uint8_t> plain = image();
  XmpLabel label;
  label.digital_source_type = kTrained;
  label.instance_id = "xmp:iid:0b9b2d4e-7a5c-4f0e-9d8a-3c2b1a0f9e8d";
  auto written = write_xmp_label(plain, label);
  ASSERT_TRUE(written.has_value()) << written.error().to_string();
  EXPECT_GT(written->size(), plain.size());

  auto read = read_xmp_label(*written);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_EQ(*read, label);

  // The pixels are untouched: the file still decodes to the same image.
  auto before = media::decode_image(plain);
  auto after = media::decode_image(*written);
  ASSERT_TRUE(before.has_value() && after.has_value());
  EXPECT_EQ(before->pixels, after->pixels);
}

TEST_P(XmpRoundTripTest, RewritingReplacesOneFieldAndKeepsTheOther) {
  XmpLabel first;
  first.digital_source_type = kTrained;
  first.instance_id = "xmp:iid:1";
  std::vector<uint8_t> once = write_xmp_label(image(), first).value();

  XmpLabel second;
  second.digital_source_type = kComposite;
  std::vector<uint8_t> twice = write_xmp_label(once, second).value();

  XmpLabel read = read_xmp_label(twice).value();
  EXPECT_EQ(read.digital_source_type, kComposite);
  EXPECT_EQ(read.instance_id, "xmp:iid:1");
}

TEST_P(XmpRoundTripTest, FileWithoutXmpHasAnEmptyLabel) {
  auto read = read_xmp_label(image());
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_EQ(*read, XmpLabel{});
}

INSTANTIATE_TEST_SUITE_P(Formats, XmpRoundTripTest, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool>& param_info) {
                           return param_info.param ? "Png" : "Jpeg";
                         });

TEST(XmpLabelTest, ReadsBothRdfForms) {
  // ExifTool writes the element form; the attribute form is the same RDF.
  std::string element =
      "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
      "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' "
      "xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/'>"
      "<Iptc4xmpExt:DigitalSourceType>" +
      std::string(kTrained) +
      "</Iptc4xmpExt:DigitalSourceType></rdf:Description></rdf:RDF></x:xmpmeta>";
  std::string attribute =
      "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
      "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' "
      "xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' "
      "Iptc4xmpExt:DigitalSourceType='" +
      std::string(kComposite) + "'/></rdf:RDF></x:xmpmeta>";
  EXPECT_EQ(read_xmp_label(jpeg_with_packet(element)).value().digital_source_type, kTrained);
  EXPECT_EQ(read_xmp_label(jpeg_with_packet(attribute)).value().digital_source_type, kComposite);
}

TEST(XmpLabelTest, WritesTheIptcPrefixAndReadsAnyPrefixOfTheNamespace) {
  std::vector<uint8_t> written = write_xmp_label(jpeg(), XmpLabel{kTrained, std::nullopt}).value();
  std::string text(written.begin(), written.end());
  EXPECT_NE(text.find("xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\""),
            std::string::npos);
  EXPECT_NE(text.find("Iptc4xmpExt:DigitalSourceType"), std::string::npos);

  std::string other_prefix =
      "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
      "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' "
      "xmlns:iptcExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' "
      "iptcExt:DigitalSourceType='" +
      std::string(kTrained) + "'/></rdf:RDF></x:xmpmeta>";
  EXPECT_EQ(read_xmp_label(jpeg_with_packet(other_prefix)).value().digital_source_type, kTrained);
}

// XMP first, Content Credentials second: the C2PA hard binding then covers the XMP, and an
// XMP change afterwards shows up as a binding mismatch.
TEST(XmpLabelTest, LabelWrittenBeforeSigningIsCoveredByTheBinding) {
  const c2pa::test_samples::TestSigner signer =
      c2pa::test_samples::make_signer(c2pa::CoseAlgorithm::kEs256);
  c2pa::TrustAnchors anchors = signer.anchors();
  c2pa::ReadOptions options;
  options.trust_anchors = &anchors;
  for (bool as_png : {false, true}) {
    XmpLabel label{kTrained, "xmp:iid:5f0c5d2a-6c44-4d7e-9b1e-0d7f1c2b3a49"};
    std::vector<uint8_t> labelled = write_xmp_label(as_png ? png() : jpeg(), label).value();
    c2pa::ManifestDefinition definition;
    definition.software_agent = {"generator", std::nullopt};
    definition.instance_id = *label.instance_id;
    std::vector<uint8_t> signed_asset =
        c2pa::write_c2pa(labelled, signer.keys(), definition).value().bytes;

    EXPECT_EQ(read_xmp_label(signed_asset).value(), label);
    c2pa::C2paReport report = c2pa::read_c2pa(signed_asset, options).value();
    EXPECT_EQ(report.verdict, c2pa::Verdict::kTrusted)
        << testing::PrintToString(report.failure_codes());

    std::vector<uint8_t> relabelled =
        write_xmp_label(signed_asset, XmpLabel{kComposite, std::nullopt}).value();
    c2pa::C2paReport after = c2pa::read_c2pa(relabelled, options).value();
    EXPECT_EQ(after.verdict, c2pa::Verdict::kInvalid);
    EXPECT_EQ(after.failure_codes(), std::vector<std::string>{"assertion.dataHash.mismatch"});
  }
}

std::string packet_with(std::string_view descriptions) {
  return "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>"
         "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>" +
         std::string(descriptions) + "</rdf:RDF></x:xmpmeta><?xpacket end='w'?>";
}

// Photo tools write a property twice (here photoshop:DateCreated as an attribute and as an
// element, the way 7 of 9 phone and camera photos tried for issue #13 had it). The XMP toolkit
// refuses the whole packet; the label beside it must still be read.
TEST(XmpLabelTest, ReadsTheLabelWhenAnotherPropertyIsRepeated) {
  const std::string packet = packet_with(
      "<rdf:Description rdf:about='' xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
      "photoshop:DateCreated='2024-05-01'><photoshop:DateCreated>2024-05-01"
      "</photoshop:DateCreated></rdf:Description>"
      "<rdf:Description rdf:about='' "
      "xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' "
      "xmlns:xmpMM='http://ns.adobe.com/xap/1.0/mm/' xmpMM:InstanceID='xmp:iid:7'>"
      "<Iptc4xmpExt:DigitalSourceType>\n  " +
      std::string(kTrained) + "\n</Iptc4xmpExt:DigitalSourceType></rdf:Description>");
  const std::vector<uint8_t> photo = jpeg_with_packet(packet);
  // The toolkit under exiv2 does refuse it (so this test is about the case it claims to be).
  EXPECT_EQ(write_xmp_label(photo, XmpLabel{kTrained, std::nullopt}).error().code(),
            base::ErrorCode::kInvalidArgument);

  auto read = read_xmp_label(photo);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_EQ(read->digital_source_type, kTrained);
  EXPECT_EQ(read->instance_id, "xmp:iid:7");
  EXPECT_EQ(read->damage, "");
  EXPECT_FALSE(read->source_type_unreadable);
}

TEST(XmpLabelTest, ARepeatedSourceTypeNamingAiWins) {
  for (bool ai_first : {false, true}) {
    const std::string capture = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture";
    const std::string attribute = ai_first ? kTrained : capture;
    const std::string element = ai_first ? capture : kTrained;
    const std::string packet = packet_with(
        "<rdf:Description rdf:about='' "
        "xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' "
        "Iptc4xmpExt:DigitalSourceType='" +
        attribute + "'><Iptc4xmpExt:DigitalSourceType rdf:resource='" + element +
        "'/></rdf:Description>");
    EXPECT_EQ(read_xmp_label(jpeg_with_packet(packet)).value().digital_source_type, kTrained)
        << ai_first;
  }
}

TEST(XmpLabelTest, DamagedPacketIsReportedWithWhereAndStillGivesAUriInItsText) {
  // The description is never closed: not XML, but the label's URI is in the text.
  const std::string cut = packet_with(
      "<rdf:Description rdf:about='' "
      "xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/'>"
      "<Iptc4xmpExt:DigitalSourceType>" +
      std::string(kComposite) + "</Iptc4xmpExt:DigitalSourceType>");
  XmpLabel read = read_xmp_label(jpeg_with_packet(cut)).value();
  EXPECT_NE(read.damage.find("not well-formed XML"), std::string::npos) << read.damage;
  EXPECT_NE(read.damage.find("line 1, column"), std::string::npos) << read.damage;
  EXPECT_EQ(read.digital_source_type, kComposite);
  EXPECT_FALSE(read.source_type_unreadable);
}

TEST(XmpLabelTest, DamagedPacketNamingTheSourceTypeWithoutAValueIsUnreadable) {
  XmpLabel read = read_xmp_label(jpeg_with_packet("<x:xmpmeta><Iptc4xmpExt:DigitalSourceType>"
                                                  "trained<</x:xmpmeta>"))
                      .value();
  EXPECT_FALSE(read.damage.empty());
  EXPECT_FALSE(read.digital_source_type.has_value());
  EXPECT_TRUE(read.source_type_unreadable);

  // Damage that names no source type hides no label.
  XmpLabel plain =
      read_xmp_label(jpeg_with_packet("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF")).value();
  EXPECT_FALSE(plain.damage.empty());
  EXPECT_FALSE(plain.source_type_unreadable);
}

TEST(XmpLabelTest, PacketLimits) {
  // Entity declarations (expansion bombs) and DOCTYPEs are damage; so is deep nesting.
  const std::string entity =
      "<!DOCTYPE x [<!ENTITY a 'aaaaaaaa'>]><x:xmpmeta xmlns:x='adobe:ns:meta/'>&a;</x:xmpmeta>";
  EXPECT_NE(read_packet_label(entity).damage, "");
  std::string deep;
  for (int i = 0; i <= kMaxPacketDepth; ++i) {
    deep += "<a>";
  }
  EXPECT_NE(read_packet_label(deep).damage.find("nested deeper"), std::string::npos);
  EXPECT_EQ(read_packet_label("  \n").damage, "");
}

TEST(XmpLabelTest, DamagedFilesAreErrors) {
  std::vector<uint8_t> garbage_jpeg = {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'x', 'y'};
  auto read = read_xmp_label(garbage_jpeg);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code(), base::ErrorCode::kInvalidArgument);

  std::vector<uint8_t> broken_png = png();
  broken_png.resize(20);  // inside IHDR
  auto write = write_xmp_label(broken_png, XmpLabel{kTrained, std::nullopt});
  ASSERT_FALSE(write.has_value());
  EXPECT_EQ(write.error().code(), base::ErrorCode::kInvalidArgument);
}

TEST(XmpLabelTest, OtherFormatsAreUnsupported) {
  std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
  EXPECT_EQ(read_xmp_label(gif).error().code(), base::ErrorCode::kUnsupported);
  EXPECT_EQ(read_xmp_label({}).error().code(), base::ErrorCode::kUnsupported);
  EXPECT_EQ(write_xmp_label(gif, XmpLabel{kTrained, std::nullopt}).error().code(),
            base::ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace clearcut::xmp
