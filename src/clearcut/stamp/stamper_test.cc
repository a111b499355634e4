// stage_stamp on phone-like stills: a picture stored turned, with an ICC profile, EXIF (the
// orientation, GPS, a thumbnail) and XMP, comes out upright and keeps its metadata. Sound as
// MP3 (Content Credentials in the ID3v2 tag) and FLAC (none: C2PA defines no place for them).
#include "clearcut/stamp/stamper.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/base/file.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/media/orientation.h"
#include "clearcut/provenance/c2pa/c2pa_writer.h"
#include "clearcut/provenance/c2pa/test_samples.h"
#include "clearcut/provenance/xmp/photo_samples.h"

namespace clearcut::stamp {
namespace {

namespace fs = std::filesystem;

// A textured picture (the watermark hides in texture) with a bright top-left corner, so that
// a picture shown turned is far from the upright one.
media::Image upright_picture(int width, int height) {
  media::Image image{width, height, 3, {}};
  std::mt19937 rng(11);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int noise = static_cast<int>(rng() % 40);
      const bool corner = x < width / 3 && y < height / 3;
      image.pixels.push_back(static_cast<uint8_t>(corner ? 215 + noise : x * 160 / width + noise));
      image.pixels.push_back(static_cast<uint8_t>((x + y) * 120 / (width + height) + 50 + noise));
      image.pixels.push_back(static_cast<uint8_t>(corner ? 200 + noise : y * 160 / height + noise));
    }
  }
  return image;
}

double mean_abs_difference(const media::Image& a, const media::Image& b) {
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  if (a.pixels.size() != b.pixels.size() || a.pixels.empty()) {
    return 255;
  }
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    sum += std::abs(int{a.pixels[i]} - int{b.pixels[i]});
  }
  return sum / static_cast<double>(a.pixels.size());
}

struct Photo {
  bool png = false;
  media::Orientation orientation = media::Orientation::kRotated180;
};

// Signing keys under a throw-away root, made once for the tests below.
const c2pa::SigningKeys& signing_keys() {
  static const c2pa::test_samples::TestSigner kSigner =
      c2pa::test_samples::make_signer(c2pa::CoseAlgorithm::kEs256);
  static const c2pa::SigningKeys kKeys = kSigner.keys();
  return kKeys;
}

class StamperMetadataTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("clearcut-stamper-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `upright` as a phone stores it under `photo.orientation`, with an RGB profile, EXIF that
  // says the orientation and where the photo was taken, and an XMP title.
  fs::path write_phone_photo(const Photo& photo, const media::Image& upright) {
    // The stored picture is the one the orientation turns into `upright`: 3 undoes itself,
    // and 6 and 8 undo each other.
    media::Orientation inverse = photo.orientation;
    if (photo.orientation == media::Orientation::kRotated90Cw) {
      inverse = media::Orientation::kRotated90Ccw;
    } else if (photo.orientation == media::Orientation::kRotated90Ccw) {
      inverse = media::Orientation::kRotated90Cw;
    }
    const media::Image stored = media::apply_orientation(upright, inverse);
    media::JpegEncodeOptions jpeg;
    jpeg.quality = 95;
    std::vector<uint8_t> plain =
        photo.png ? media::encode_png(stored).value() : media::encode_jpeg(stored, jpeg).value();
    xmp::test_samples::SampleExif exif;
    exif.orientation = static_cast<int>(photo.orientation);
    exif.gps = true;
    exif.width = stored.width;
    exif.height = stored.height;
    exif.thumbnail_jpeg =
        media::encode_jpeg(media::Image{8, 8, 3, std::vector<uint8_t>(192, 9)}).value();
    xmp::PhotoMetadata metadata;
    metadata.exif = xmp::test_samples::sample_exif(exif);
    metadata.icc = icc_;
    metadata.xmp =
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' "
        "xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title><rdf:Alt><rdf:li "
        "xml:lang='x-default'>harbour at dusk</rdf:li></rdf:Alt></dc:title></rdf:Description>"
        "</rdf:RDF></x:xmpmeta>";
    auto bytes = xmp::write_photo_metadata(plain, metadata);
    EXPECT_TRUE(bytes.has_value()) << bytes.error().to_string();
    const fs::path path = dir_ / (photo.png ? "phone.png" : "phone.jpg");
    EXPECT_TRUE(base::write_file_atomic(path.string(), *bytes).has_value());
    return path;
  }

  // Stamps `input` and returns the committed copy's bytes.
  std::vector<uint8_t> stamp(const fs::path& input, const xmp::MetadataStrip& strip,
                             std::vector<std::string>* notes = nullptr) {
    auto key = watermark::WatermarkKey::from_passphrase("stamper test");
    EXPECT_TRUE(key.has_value());
    StampRequest request;
    request.input = input.string();
    request.force = true;
    request.manifest.title = input.filename().string();
    request.manifest.software_agent.name = "Test Diffusion";
    request.watermark_payload = 0x5eed;
    request.watermark_key = &*key;
    request.signer = &signing_keys();
    request.strip = strip;
    auto staged = stage_stamp(request);
    EXPECT_TRUE(staged.has_value()) << staged.error().to_string();
    if (!staged.has_value()) {
      return {};
    }
    EXPECT_TRUE(staged->inspection().c2pa.integrity.intact);
    if (notes != nullptr) {
      *notes = staged->notes();
    }
    EXPECT_TRUE(staged->commit(true).has_value());
    return base::read_file_bytes(staged->path()).value();
  }

  const std::vector<uint8_t> icc_ = xmp::test_samples::sample_icc_profile("RGB ", 3144);
  fs::path dir_;
};

TEST_F(StamperMetadataTest, APhotoStoredTurnedComesOutUprightWithItsMetadata) {
  for (Photo photo :
       {Photo{false, media::Orientation::kRotated180}, Photo{true, media::Orientation::kRotated180},
        Photo{false, media::Orientation::kRotated90Cw},
        Photo{true, media::Orientation::kMirrored}}) {
    SCOPED_TRACE(std::string(photo.png ? "PNG" : "JPEG") + ", orientation " +
                 std::to_string(static_cast<int>(photo.orientation)));
    const media::Image upright = upright_picture(320, 240);
    std::vector<std::string> notes;
    const std::vector<uint8_t> copy = stamp(write_phone_photo(photo, upright), {}, &notes);
    ASSERT_FALSE(copy.empty());

    // The pixels are the photo as displayed (the watermark and, in JPEG, the encoding move
    // them a little); the stored picture is far from it.
    auto decoded = media::decode_image(copy);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
    EXPECT_EQ(decoded->width, 320);
    EXPECT_EQ(decoded->height, 240);
    EXPECT_LT(mean_abs_difference(*decoded, upright), 4.0);
    EXPECT_GT(mean_abs_difference(
                  *decoded, media::apply_orientation(upright, media::Orientation::kRotated180)),
              20.0);

    auto metadata = xmp::read_photo_metadata(copy);
    ASSERT_TRUE(metadata.has_value()) << metadata.error().to_string();
    EXPECT_EQ(metadata->orientation, 1);
    EXPECT_EQ(metadata->icc, icc_);
    std::map<std::string, std::string> tags = xmp::test_samples::exif_tags(metadata->exif);
    EXPECT_EQ(tags["Exif.Image.Orientation"], "1");
    EXPECT_EQ(tags["Exif.Image.Model"], "test phone");
    EXPECT_EQ(tags["Exif.Photo.PixelXDimension"], "320");
    EXPECT_EQ(tags["Exif.GPSInfo.GPSLatitudeRef"], "N");
    EXPECT_EQ(tags.count("Exif.Thumbnail.JPEGInterchangeFormat"), 0u);
    EXPECT_NE(metadata->xmp.find("harbour at dusk"), std::string::npos);
    EXPECT_NE(metadata->xmp.find("trainedAlgorithmicMedia"), std::string::npos);
    bool turned_note = false;
    for (const std::string& note : notes) {
      turned_note |= note.find("turned upright") != std::string::npos;
    }
    EXPECT_TRUE(turned_note) << testing::PrintToString(notes);
  }
}

TEST_F(StamperMetadataTest, StripGpsLeavesTheLocationOutAndStripExifAllOfIt) {
  for (bool png : {false, true}) {
    SCOPED_TRACE(png ? "PNG" : "JPEG");
    const fs::path input = write_phone_photo({png}, upright_picture(256, 192));
    auto metadata = xmp::read_photo_metadata(stamp(input, {.gps = true}));
    ASSERT_TRUE(metadata.has_value()) << metadata.error().to_string();
    std::map<std::string, std::string> tags = xmp::test_samples::exif_tags(metadata->exif);
    EXPECT_EQ(tags["Exif.Image.Model"], "test phone");
    for (const auto& [key, value] : tags) {
      EXPECT_EQ(key.find("GPS"), std::string::npos) << key;
    }
    EXPECT_EQ(metadata->icc, icc_);

    metadata = xmp::read_photo_metadata(stamp(input, {.exif = true}));
    ASSERT_TRUE(metadata.has_value()) << metadata.error().to_string();
    EXPECT_TRUE(metadata->exif.empty());
    EXPECT_EQ(metadata->icc, icc_);
    EXPECT_NE(metadata->xmp.find("harbour at dusk"), std::string::npos);
  }
}

// A warbling tone of three seconds at `level` made by the ffmpeg command (skipped without it),
// encoded with `codec_options` into `path`.
bool make_sound(const fs::path& path, const std::string& codec_options,
                const std::string& level = "0.4") {
  const std::string command = "ffmpeg -nostdin -loglevel error -y -f lavfi -i 'aevalsrc=" + level +
                              "*sin(2*PI*(440+220*sin(2*PI*1.5*t))*t):s=44100:d=3' " +
                              codec_options + " '" + path.string() + "'";
  return std::system(command.c_str()) == 0;
}

StampRequest sound_request(const fs::path& input, const watermark::WatermarkKey& key) {
  StampRequest request;
  request.input = input.string();
  request.force = true;
  request.manifest.title = input.filename().string();
  request.manifest.software_agent.name = "Test Voice";
  request.watermark_payload = 0x5eed;
  request.watermark_key = &key;
  request.signer = &signing_keys();
  return request;
}

bool has_note(const std::vector<std::string>& notes, const std::string& text) {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

// An MP3 is decoded, marked and encoded again at its bit rate; the mark reads back from the copy,
// whose Content Credentials are in its ID3v2 tag.
TEST_F(StamperMetadataTest, AnMp3IsMarkedAndGetsContentCredentialsInItsId3Tag) {
  const fs::path mp3 = dir_ / "line.mp3";
  if (!make_sound(mp3, "-c:a libmp3lame -b:a 128k")) {
    GTEST_SKIP() << "no ffmpeg CLI with libmp3lame";
  }
  const auto key = watermark::WatermarkKey::from_passphrase("stamper test").value();
  auto staged = stage_stamp(sound_request(mp3, key));
  ASSERT_TRUE(staged.has_value()) << staged.error().to_string();
  const OutputInspection& seen = staged->inspection();
  EXPECT_EQ(seen.media_type, "audio/mpeg");
  EXPECT_EQ(seen.c2pa.format, c2pa::AssetFormat::kMp3);
  EXPECT_TRUE(seen.c2pa.integrity.intact);
  EXPECT_EQ(seen.c2pa.active_manifest, staged->manifest_id());
  EXPECT_NEAR(static_cast<double>(seen.duration_ms), 3000.0, 100.0);
  ASSERT_TRUE(seen.mark.has_value());
  EXPECT_TRUE(seen.mark->found);
  EXPECT_EQ(seen.mark->payload, 0x5eedu);
  EXPECT_TRUE(has_note(staged->notes(),
                       "MP3: decoded, marked and encoded again with libmp3lame "
                       "at 128 kbit/s"))
      << testing::PrintToString(staged->notes());
}

// A FLAC is marked and encoded again losslessly; it carries no Content Credentials, and a note
// says so.
TEST_F(StamperMetadataTest, AFlacIsMarkedWithoutContentCredentialsAndANoteSaysSo) {
  const fs::path flac = dir_ / "line.flac";
  if (!make_sound(flac, "-c:a flac")) {
    GTEST_SKIP() << "no ffmpeg CLI";
  }
  const auto key = watermark::WatermarkKey::from_passphrase("stamper test").value();
  auto staged = stage_stamp(sound_request(flac, key));
  ASSERT_TRUE(staged.has_value()) << staged.error().to_string();
  const OutputInspection& seen = staged->inspection();
  EXPECT_EQ(seen.media_type, "audio/flac");
  EXPECT_FALSE(seen.c2pa.has_manifest());
  EXPECT_TRUE(staged->manifest_id().empty());
  EXPECT_NEAR(static_cast<double>(seen.duration_ms), 3000.0, 100.0);
  EXPECT_TRUE(has_note(staged->notes(), "C2PA defines no place for Content Credentials in FLAC"))
      << testing::PrintToString(staged->notes());
  ASSERT_TRUE(seen.mark.has_value());
  EXPECT_TRUE(seen.mark->found);
  EXPECT_EQ(seen.mark->payload, 0x5eedu);
  ASSERT_TRUE(staged->commit(true).has_value());
  const std::vector<uint8_t> copy = base::read_file_bytes(staged->path()).value();
  ASSERT_GE(copy.size(), 4u);
  EXPECT_EQ(std::string(copy.begin(), copy.begin() + 4), "fLaC");
}

// An MP3 that already carries Content Credentials (signed elsewhere, not marked): the new copy
// is encoded again without the old GEOB frame, and the original's manifest travels in the new
// store as the parentOf ingredient.
TEST_F(StamperMetadataTest, AnMp3WithContentCredentialsBecomesTheParentIngredient) {
  const fs::path plain = dir_ / "plain.mp3";
  if (!make_sound(plain, "-c:a libmp3lame -b:a 128k")) {
    GTEST_SKIP() << "no ffmpeg CLI with libmp3lame";
  }
  c2pa::ManifestDefinition original;
  original.software_agent.name = "Voice Generator";
  const c2pa::SignedAsset signed_original =
      c2pa::write_c2pa(base::read_file_bytes(plain.string()).value(), signing_keys(), original)
          .value();
  const fs::path labelled = dir_ / "labelled.mp3";
  ASSERT_TRUE(base::write_file_atomic(labelled.string(), signed_original.bytes).has_value());

  const auto key = watermark::WatermarkKey::from_passphrase("stamper test").value();
  auto staged = stage_stamp(sound_request(labelled, key));
  ASSERT_TRUE(staged.has_value()) << staged.error().to_string();
  const OutputInspection& seen = staged->inspection();
  EXPECT_TRUE(seen.c2pa.integrity.intact);
  ASSERT_TRUE(seen.c2pa.store != nullptr);
  ASSERT_EQ(seen.c2pa.store->manifests().size(), 2u);
  EXPECT_EQ(seen.c2pa.store->manifests()[0].label, signed_original.manifest_label);
  ASSERT_EQ(seen.c2pa.ingredients.size(), 1u);
  EXPECT_EQ(seen.c2pa.ingredients[0].ingredient_manifest, signed_original.manifest_label);
  ASSERT_TRUE(seen.mark.has_value());
  EXPECT_TRUE(seen.mark->found);
  EXPECT_TRUE(has_note(staged->notes(), "are kept as the parent ingredient"))
      << testing::PrintToString(staged->notes());
}

// Sound too quiet to hide the mark in (-128 dBFS): it does not read back from the new encoding,
// so the copy is the original's sound as it was, with Content Credentials, and a note says so.
TEST_F(StamperMetadataTest, AnMp3WhoseMarkDoesNotReadBackIsStampedUnmarked) {
  const fs::path mp3 = dir_ / "hush.mp3";
  if (!make_sound(mp3, "-c:a libmp3lame -b:a 128k", "0.0000004")) {
    GTEST_SKIP() << "no ffmpeg CLI with libmp3lame";
  }
  const auto key = watermark::WatermarkKey::from_passphrase("stamper test").value();
  auto staged = stage_stamp(sound_request(mp3, key));
  ASSERT_TRUE(staged.has_value()) << staged.error().to_string();
  const OutputInspection& seen = staged->inspection();
  EXPECT_TRUE(seen.c2pa.integrity.intact);
  EXPECT_TRUE(!seen.mark || !seen.mark->found);
  EXPECT_TRUE(has_note(staged->notes(), "the mark did not read back from it"))
      << testing::PrintToString(staged->notes());
  // The MPEG frames are the original's: only the tag in front changed.
  const std::vector<uint8_t> original = base::read_file_bytes(mp3.string()).value();
  ASSERT_TRUE(staged->commit(true).has_value());
  const std::vector<uint8_t> copy = base::read_file_bytes(staged->path()).value();
  ASSERT_GT(copy.size(), original.size());
  EXPECT_TRUE(std::equal(original.end() - 1000, original.end(), copy.end() - 1000));
}

}  // namespace
}  // namespace clearcut::stamp
