#include "clearcut/provenance/xmp/photo_metadata.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/xmp/photo_samples.h"
#include "clearcut/provenance/xmp/xmp_label.h"

namespace clearcut::xmp {
namespace {

using test_samples::exif_tags;

constexpr const char* kTrained =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
constexpr const char* kCapture = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture";

// What a phone tool writes beside EXIF: its copies of orientation, size and location, the
// rendition's instance id and manifest, a title and a capture source type.
std::string phone_packet() {
  return R"(<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
  xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
  xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
  tiff:Orientation="3" exif:PixelXDimension="48" exif:PixelYDimension="32"
  exif:GPSLatitude="51,30.445N" exif:GPSLongitude="0,7.66W"
  xmpMM:InstanceID="xmp.iid:original-rendition"
  dcterms:provenance="self#jumbf=/c2pa/urn:uuid:original-manifest"
  Iptc4xmpExt:DigitalSourceType=")" +
         std::string(kCapture) + R"(">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">harbour at dusk</rdf:li></rdf:Alt></dc:title>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>)";
}

media::Image picture(int width, int height) {
  media::Image image{width, height, 3, {}};
  for (int i = 0; i < width * height * 3; ++i) {
    image.pixels.push_back(static_cast<uint8_t>((i * 13) % 251));
  }
  return image;
}

std::vector<uint8_t> encoded(bool png, const media::Image& image) {
  return png ? media::encode_png(image).value() : media::encode_jpeg(image).value();
}

PhotoMetadata phone_metadata() {
  PhotoMetadata metadata;
  test_samples::SampleExif exif;
  exif.orientation = 3;
  exif.gps = true;
  exif.width = 48;
  exif.height = 32;
  exif.thumbnail_jpeg = media::encode_jpeg(picture(16, 12)).value();
  metadata.exif = test_samples::sample_exif(exif);
  metadata.icc = test_samples::sample_icc_profile("RGB ", 560);
  metadata.xmp = phone_packet();
  return metadata;
}

bool has_key_starting(const std::map<std::string, std::string>& tags, std::string_view prefix) {
  for (const auto& [key, value] : tags) {
    if (std::string_view(key).substr(0, prefix.size()) == prefix) {
      return true;
    }
  }
  return false;
}

class PhotoMetadataTest : public testing::TestWithParam<bool> {
 protected:
  bool png() const { return GetParam(); }

  // `metadata` written into a fresh file of the format under test and read back from it.
  PhotoMetadata written_and_read(const PhotoMetadata& metadata) const {
    auto file = write_photo_metadata(encoded(png(), picture(48, 32)), metadata);
    EXPECT_TRUE(file.has_value()) << file.error().to_string();
    auto read = file.has_value() ? read_photo_metadata(*file) : file.error();
    EXPECT_TRUE(read.has_value()) << read.error().to_string();
    return read.has_value() ? *read : PhotoMetadata();
  }
};

TEST_P(PhotoMetadataTest, WrittenBlocksReadBackAndThePixelsStay) {
  const media::Image image = picture(48, 32);
  const std::vector<uint8_t> plain = encoded(png(), image);
  const PhotoMetadata metadata = phone_metadata();
  auto written = write_photo_metadata(plain, metadata);
  ASSERT_TRUE(written.has_value()) << written.error().to_string();

  auto read = read_photo_metadata(*written);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_EQ(read->orientation, 3);
  EXPECT_EQ(read->icc, metadata.icc);
  EXPECT_EQ(exif_tags(read->exif), exif_tags(metadata.exif));
  EXPECT_NE(read->xmp.find("harbour at dusk"), std::string::npos) << read->xmp;
  EXPECT_TRUE(read->notes.empty());

  auto before = media::decode_image(plain);
  auto after = media::decode_image(*written);
  ASSERT_TRUE(before.has_value() && after.has_value()) << after.error().to_string();
  EXPECT_EQ(before->pixels, after->pixels);
}

TEST_P(PhotoMetadataTest, TheCopyIsUprightKeepsTheRestAndDropsTheThumbnail) {
  const PhotoMetadata original = phone_metadata();
  ASSERT_TRUE(has_key_starting(exif_tags(original.exif), "Exif.Thumbnail."));
  auto copy = metadata_for_copy(original, 48, 32, {});
  ASSERT_TRUE(copy.has_value()) << copy.error().to_string();
  std::map<std::string, std::string> tags = exif_tags(copy->exif);
  EXPECT_EQ(tags["Exif.Image.Orientation"], "1");
  EXPECT_EQ(tags["Exif.Image.Make"], "clearcut");
  EXPECT_EQ(tags["Exif.Photo.DateTimeOriginal"], "2026:11:02 14:31:07");
  EXPECT_EQ(tags["Exif.GPSInfo.GPSLatitudeRef"], "N");
  EXPECT_FALSE(has_key_starting(tags, "Exif.Thumbnail.")) << "IFD1 shows the original picture";
  EXPECT_EQ(copy->icc, original.icc);
  EXPECT_EQ(copy->orientation, 1);
  EXPECT_NE(copy->xmp.find("harbour at dusk"), std::string::npos);
  EXPECT_EQ(copy->xmp.find("original-rendition"), std::string::npos) << copy->xmp;
  EXPECT_EQ(copy->xmp.find("original-manifest"), std::string::npos) << copy->xmp;
  EXPECT_NE(copy->xmp.find("GPSLatitude"), std::string::npos);

  // Written into a re-encoded copy, read back from the file.
  const PhotoMetadata read = written_and_read(*copy);
  EXPECT_EQ(read.orientation, 1);
  EXPECT_EQ(read.icc, original.icc);
  EXPECT_EQ(exif_tags(read.exif)["Exif.GPSInfo.GPSLatitudeRef"], "N");
}

TEST_P(PhotoMetadataTest, AQuarterTurnSwapsTheStatedSize) {
  PhotoMetadata original = phone_metadata();
  auto copy = metadata_for_copy(original, 32, 48, {});
  ASSERT_TRUE(copy.has_value()) << copy.error().to_string();
  std::map<std::string, std::string> tags = exif_tags(copy->exif);
  EXPECT_EQ(tags["Exif.Photo.PixelXDimension"], "32");
  EXPECT_EQ(tags["Exif.Photo.PixelYDimension"], "48");
  EXPECT_NE(copy->xmp.find("PixelXDimension=\"32\""), std::string::npos) << copy->xmp;
}

TEST_P(PhotoMetadataTest, StripGpsRemovesTheLocationFromExifAndXmp) {
  auto copy = metadata_for_copy(phone_metadata(), 48, 32, {.gps = true});
  ASSERT_TRUE(copy.has_value()) << copy.error().to_string();
  std::map<std::string, std::string> tags = exif_tags(copy->exif);
  EXPECT_FALSE(has_key_starting(tags, "Exif.GPSInfo."));
  EXPECT_EQ(tags.count("Exif.Image.GPSTag"), 0u);
  EXPECT_EQ(tags["Exif.Image.Make"], "clearcut");
  EXPECT_EQ(copy->xmp.find("GPS"), std::string::npos) << copy->xmp;
  EXPECT_NE(copy->xmp.find("harbour at dusk"), std::string::npos);
  EXPECT_FALSE(has_key_starting(exif_tags(written_and_read(*copy).exif), "Exif.GPSInfo."));
}

TEST_P(PhotoMetadataTest, StripExifLeavesTheProfileAndTheRestOfTheXmp) {
  auto copy = metadata_for_copy(phone_metadata(), 48, 32, {.exif = true});
  ASSERT_TRUE(copy.has_value()) << copy.error().to_string();
  EXPECT_TRUE(copy->exif.empty());
  EXPECT_FALSE(copy->icc.empty());
  EXPECT_EQ(copy->xmp.find("exif:"), std::string::npos) << copy->xmp;
  EXPECT_EQ(copy->xmp.find("tiff:"), std::string::npos) << copy->xmp;
  EXPECT_NE(copy->xmp.find("harbour at dusk"), std::string::npos);
  EXPECT_TRUE(written_and_read(*copy).exif.empty());
}

TEST_P(PhotoMetadataTest, ALabelWrittenBeforeWinsOverTheOriginalsProperties) {
  auto labelled = write_xmp_label(encoded(png(), picture(48, 32)), {kTrained, std::nullopt});
  ASSERT_TRUE(labelled.has_value()) << labelled.error().to_string();
  auto copy = metadata_for_copy(phone_metadata(), 48, 32, {});
  ASSERT_TRUE(copy.has_value());
  auto file = write_photo_metadata(*labelled, *copy);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  auto label = read_xmp_label(*file);
  ASSERT_TRUE(label.has_value()) << label.error().to_string();
  EXPECT_EQ(label->digital_source_type, std::optional<std::string>(kTrained));
  auto read = read_photo_metadata(*file);
  ASSERT_TRUE(read.has_value());
  EXPECT_NE(read->xmp.find("harbour at dusk"), std::string::npos) << read->xmp;
}

TEST_P(PhotoMetadataTest, AProfileForOtherThanRgbIsLeftOutWithANote) {
  PhotoMetadata original;
  original.icc = test_samples::sample_icc_profile("CMYK", 300);
  auto copy = metadata_for_copy(original, 48, 32, {});
  ASSERT_TRUE(copy.has_value());
  EXPECT_TRUE(copy->icc.empty());
  ASSERT_EQ(copy->notes.size(), 1u);
  EXPECT_NE(copy->notes[0].find("CMYK"), std::string::npos) << copy->notes[0];
}

INSTANTIATE_TEST_SUITE_P(Formats, PhotoMetadataTest, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool>& param_info) {
                           return param_info.param ? "Png" : "Jpeg";
                         });

uint32_t be32(const std::vector<uint8_t>& bytes, size_t at) {
  return (uint32_t{bytes[at]} << 24) | (uint32_t{bytes[at + 1]} << 16) |
         (uint32_t{bytes[at + 2]} << 8) | bytes[at + 3];
}

TEST(PhotoMetadataPngTest, ProfileAndExifAreStandardChunksBeforeTheImageData) {
  auto file = write_photo_metadata(encoded(true, picture(48, 32)), phone_metadata());
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  std::vector<std::string> types;
  std::string iccp_name;
  for (size_t at = 8; at + 12 <= file->size(); at += 12 + be32(*file, at)) {
    types.emplace_back(file->begin() + static_cast<long>(at) + 4,
                       file->begin() + static_cast<long>(at) + 8);
    if (types.back() == "iCCP") {
      iccp_name = reinterpret_cast<const char*>(file->data() + at + 8);
    }
  }
  auto index = [&](const std::string& type) {
    return std::find(types.begin(), types.end(), type) - types.begin();
  };
  EXPECT_EQ(types.front(), "IHDR");
  EXPECT_LT(index("iCCP"), index("IDAT"));
  EXPECT_LT(index("eXIf"), index("IDAT"));
  EXPECT_EQ(iccp_name, "ICC profile");
  // The ImageMagick text chunk exiv2 writes EXIF into elsewhere is not there.
  for (size_t at = 8; at + 12 <= file->size(); at += 12 + be32(*file, at)) {
    std::string text(file->begin() + static_cast<long>(at) + 8,
                     file->begin() + static_cast<long>(at) + 8 + be32(*file, at));
    EXPECT_EQ(text.find("Raw profile type"), std::string::npos);
  }
}

TEST(PhotoMetadataJpegTest, AProfileOverOneSegmentIsSplitAndJoinedAgain) {
  PhotoMetadata metadata;
  metadata.icc = test_samples::sample_icc_profile("RGB ", 150'000);
  auto file = write_photo_metadata(encoded(false, picture(48, 32)), metadata);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  auto read = read_photo_metadata(*file);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_EQ(read->icc, metadata.icc);
}

TEST(PhotoMetadataJpegTest, OrientationComesFromXmpWhenThereIsNoExif) {
  PhotoMetadata metadata;
  metadata.xmp = phone_packet();
  auto file = write_photo_metadata(encoded(false, picture(48, 32)), metadata);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  auto read = read_photo_metadata(*file);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_TRUE(read->exif.empty());
  EXPECT_EQ(read->orientation, 3);
}

TEST(PhotoMetadataJpegTest, APlainFileHasNoneAndAPacketTheToolkitRefusesIsANote) {
  std::vector<uint8_t> plain = encoded(false, picture(48, 32));
  auto read = read_photo_metadata(plain);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_EQ(read->orientation, 1);
  EXPECT_TRUE(read->exif.empty() && read->icc.empty() && read->xmp.empty());

  const std::string packet = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF";
  std::string payload = std::string("http://ns.adobe.com/xap/1.0/") + '\0' + packet;
  std::vector<uint8_t> damaged(plain.begin(), plain.begin() + 2);
  damaged.insert(damaged.end(), {0xFF, 0xE1, static_cast<uint8_t>((payload.size() + 2) >> 8),
                                 static_cast<uint8_t>(payload.size() + 2)});
  damaged.insert(damaged.end(), payload.begin(), payload.end());
  damaged.insert(damaged.end(), plain.begin() + 2, plain.end());
  read = read_photo_metadata(damaged);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_TRUE(read->xmp.empty());
  ASSERT_EQ(read->notes.size(), 1u);
  EXPECT_NE(read->notes[0].find("XMP"), std::string::npos);
}

TEST(PhotoMetadataJpegTest, OtherFormatsAreUnsupported) {
  const std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 0, 0};
  auto read = read_photo_metadata(gif);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code(), base::ErrorCode::kUnsupported);
  EXPECT_FALSE(write_photo_metadata(gif, phone_metadata()).has_value());
}

}  // namespace
}  // namespace clearcut::xmp
