// `clearcut stamp` and `clearcut inspect` end to end: the binary runs as a child process against a
// seeded demo database and a test signing root; the stamped files are read back with the
// library's own C2PA reader, watermark detector and XMP reader.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/api/child_process.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "clearcut/api/http/http_server.h"
#include "clearcut/app/demo.h"
#include "clearcut/app/service.h"
#include "clearcut/audio/fingerprint_codec.h"
#include "clearcut/audio/internal/test_material.h"
#include "clearcut/base/base64.h"
#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/media/ffmpeg/audio_reader.h"
#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/media/orientation.h"
#include "clearcut/media/thumbnail.h"
#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/id3.h"
#include "clearcut/provenance/c2pa/signing_keys.h"
#include "clearcut/provenance/c2pa/trust_anchors.h"
#include "clearcut/provenance/watermark/video_watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_key.h"
#include "clearcut/provenance/xmp/photo_metadata.h"
#include "clearcut/provenance/xmp/photo_samples.h"
#include "clearcut/provenance/xmp/xmp_label.h"

namespace clearcut {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPassphraseVar = "CLEARCUT_STAMP_TEST_WM";
constexpr const char* kPassphrase = "stamp-test passphrase";
constexpr const char* kPartner = "partner@vendor.example";
constexpr const char* kOutsider = "partner@other.example";
const char* const kAiSource =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// A textured picture (the watermark hides in texture; flat images give weak PDQ hashes).
media::Image test_image(int width, int height, uint32_t seed) {
  media::Image image{width, height, 3, {}};
  image.pixels.resize(static_cast<size_t>(width) * height * 3);
  std::mt19937 rng(seed);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * width + x) * 3];
      int noise = static_cast<int>(rng() % 40);
      p[0] = static_cast<uint8_t>((x * 255 / width + noise) % 256);
      p[1] = static_cast<uint8_t>(((x + y) * 128 / (width + height) + 60 + noise) % 256);
      p[2] = static_cast<uint8_t>((y * 255 / height + (((x / 32) + (y / 32)) % 2) * 50) % 256);
    }
  }
  return image;
}

// A stamped still's size and thumbnail size: the 512 x 384 test picture's unless given.
struct StillSize {
  int width = 512;
  int height = 384;
  int thumbnail_width = 160;
  int thumbnail_height = 120;
};

// A registered asset's thumbnail: a base64 JPEG of exactly `width` x `height` pixels.
void expect_thumbnail(const std::string& thumbnail, int width, int height) {
  auto jpeg = base::base64_decode(thumbnail);
  ASSERT_TRUE(jpeg.has_value()) << "not base64: " << thumbnail.substr(0, 40);
  EXPECT_LE(thumbnail.size(), 64U * 1024U);
  EXPECT_EQ(media::sniff_image_format(*jpeg), media::ImageFormat::kJpeg);
  auto image = media::decode_image(*jpeg);
  ASSERT_TRUE(image.has_value()) << image.error().to_string();
  EXPECT_EQ(image->width, width);
  EXPECT_EQ(image->height, height);
}

// What the reference validator (c2pa-rs as WebAssembly, tests/node/validate_c2pa.mjs) reports
// for a file, trusting `roots`; null when node or its packages are not installed.
nlohmann::json reference_validation(const fs::path& file, const fs::path& roots) {
#ifdef CLEARCUT_NODE
  const fs::path script = CLEARCUT_VALIDATE_C2PA;
  if (!fs::exists(script.parent_path() / "node_modules" / "@contentauth" / "c2pa-wasm")) {
    return nullptr;
  }
  const std::string command = std::string(CLEARCUT_NODE) + " " + script.string() + " " +
                              file.string() + " --trust " + roots.string();
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return nullptr;
  }
  std::string out;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    out += buffer;
  }
  ::pclose(pipe);
  return nlohmann::json::parse(out, nullptr, false);
#else
  (void)file;
  (void)roots;
  return nullptr;
#endif
}

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

class StampTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("clearcut-stamp-test-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_ / "keys");
    // A signing key set under a test root, as `clearcut keys init --test-root` lays it out.
    c2pa::CertificateOptions root_options;
    root_options.subject = {"clearcut stamp test root", "clearcut tests", ""};
    auto root = c2pa::generate_root_ca(root_options);
    ASSERT_TRUE(root.has_value()) << root.error().to_string();
    c2pa::CertificateOptions signer_options;
    signer_options.subject = {"clearcut stamp test signer", "clearcut tests", ""};
    auto signer = c2pa::issue_signer_certificate(signer_options, root->certificate_chain_pem,
                                                 root->private_key_pem);
    ASSERT_TRUE(signer.has_value()) << signer.error().to_string();
    write_text(*dir_ / "keys" / "root.pem", root->certificate_chain_pem);
    write_text(*dir_ / "keys" / "signer.pem", signer->certificate_chain_pem);
    write_text(*dir_ / "keys" / "signer.key", signer->private_key_pem);

    app::ServiceConfig config;
    config.db = db_url();
    auto service = app::Service::open(config);
    ASSERT_TRUE(service.has_value()) << service.error().to_string();
    auto demo = app::seed_demo(**service);
    ASSERT_TRUE(demo.has_value()) << demo.error().to_string();
    ::setenv(kPassphraseVar, kPassphrase, 1);
  }

  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }

  static std::string db_url() { return "sqlite:" + (*dir_ / "demo.db").string(); }

  static RunResult run(const std::string& args) {
    const fs::path out = *dir_ / "stdout.txt";
    const fs::path err = *dir_ / "stderr.txt";
    std::string command =
        std::string(CLEARCUT_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
    int status = std::system(command.c_str());
    RunResult result;
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    auto out_bytes = read_file(out);
    auto err_bytes = read_file(err);
    result.out.assign(out_bytes.begin(), out_bytes.end());
    result.err.assign(err_bytes.begin(), err_bytes.end());
    return result;
  }

  // The first use case of the demo production in `state`.
  static int64_t use_case_in(domain::UseCaseState state) {
    auto service = open();
    auto tx = service->store().begin();
    EXPECT_TRUE(tx.has_value());
    store::UseCaseFilter filter;
    filter.state = state;
    auto found = (*tx)->use_cases().list(filter);
    EXPECT_TRUE(found.has_value() && !found->empty());
    return found.has_value() && !found->empty() ? found->front().id : 0;
  }

  static std::unique_ptr<app::Service> open() {
    app::ServiceConfig config;
    config.db = db_url();
    auto service = app::Service::open(config);
    EXPECT_TRUE(service.has_value()) << service.error().to_string();
    return std::move(*service);
  }

  static std::vector<domain::Asset> assets_of(int64_t use_case) {
    auto service = open();
    auto tx = service->store().begin();
    EXPECT_TRUE(tx.has_value());
    auto assets = (*tx)->assets().list_of_use_case(use_case);
    EXPECT_TRUE(assets.has_value());
    return assets.has_value() ? *assets : std::vector<domain::Asset>{};
  }

  static std::string stamp_args(const fs::path& file, int64_t use_case, const std::string& as) {
    return "stamp " + file.string() + " --use-case " + std::to_string(use_case) + " --db " +
           db_url() + " --as " + as + " --key " + (*dir_ / "keys").string() +
           " --watermark-passphrase " + kPassphraseVar + " --tool 'Test Diffusion'";
  }

  static c2pa::TrustAnchors anchors() {
    auto loaded = c2pa::TrustAnchors::load_pem_file((*dir_ / "keys" / "root.pem").string());
    EXPECT_TRUE(loaded.has_value());
    return loaded.has_value() ? *loaded : c2pa::TrustAnchors();
  }

  // A stamped sound file's Content Credentials, read with the test root: Trusted and declaring
  // AI by clearcut's reader and, when node and c2pa-wasm are installed, by the reference one.
  static c2pa::C2paReport expect_trusted(const fs::path& stamped) {
    c2pa::TrustAnchors trust = anchors();
    c2pa::ReadOptions options;
    options.trust_anchors = &trust;
    auto report = c2pa::read_c2pa(read_file(stamped), options);
    EXPECT_TRUE(report.has_value());
    if (!report.has_value()) {
      return {};
    }
    EXPECT_EQ(report->verdict, c2pa::Verdict::kTrusted)
        << testing::PrintToString(report->failure_codes());
    EXPECT_TRUE(report->ai.generative_ai());
    nlohmann::json reference = reference_validation(stamped, *dir_ / "keys" / "root.pem");
    if (!reference.is_null()) {
      EXPECT_EQ(reference["state"], "Trusted") << reference.dump();
      EXPECT_EQ(reference["failure"], nlohmann::json::array()) << reference.dump();
      EXPECT_EQ(reference["digital_source_types"], nlohmann::json::array({kAiSource}));
    }
    return *report;
  }

  // Stamps `original` and checks everything the stamp promises.
  void stamp_and_check(const fs::path& original, const fs::path& stamped, bool still,
                       const StillSize& size = {}) {
    const std::vector<uint8_t> before = read_file(original);
    const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
    const size_t assets_before = assets_of(use_case).size();

    RunResult result = run(stamp_args(original, use_case, kPartner));
    ASSERT_EQ(result.code, 0) << result.err << result.out;
    EXPECT_EQ(read_file(original), before) << "the original was modified";
    ASSERT_TRUE(fs::exists(stamped)) << result.out;
    const std::vector<uint8_t> bytes = read_file(stamped);

    c2pa::TrustAnchors trust = anchors();
    c2pa::ReadOptions options;
    options.trust_anchors = &trust;
    auto report = c2pa::read_c2pa(bytes, options);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->verdict, c2pa::Verdict::kTrusted);
    EXPECT_TRUE(report->integrity.intact);
    EXPECT_TRUE(report->trust.trusted);
    EXPECT_TRUE(report->ai.generative_ai());
    EXPECT_EQ(report->ai.terms(), std::vector<std::string>{"trainedAlgorithmicMedia"});
    nlohmann::json reference = reference_validation(stamped, *dir_ / "keys" / "root.pem");
    if (reference.is_null()) {
      std::printf("note: node or @contentauth/c2pa-wasm missing; reference validation skipped\n");
    } else {
      EXPECT_EQ(reference["state"], "Trusted") << reference.dump();
      EXPECT_EQ(reference["failure"], nlohmann::json::array()) << reference.dump();
      EXPECT_EQ(reference["active_manifest"], report->active_manifest);
      EXPECT_EQ(reference["digital_source_types"], nlohmann::json::array({kAiSource}));
    }

    uint64_t payload = 0;
    if (still) {
      auto label = xmp::read_xmp_label(bytes);
      ASSERT_TRUE(label.has_value());
      EXPECT_EQ(label->digital_source_type, std::optional<std::string>(kAiSource));
      auto image = media::decode_image(bytes);
      ASSERT_TRUE(image.has_value());
      auto key = watermark::WatermarkKey::from_passphrase(kPassphrase);
      ASSERT_TRUE(key.has_value());
      auto mark = watermark::detect_image(*image, *key);
      ASSERT_TRUE(mark.has_value());
      ASSERT_TRUE(mark->found);
      payload = mark->payload;
    } else {
      // Every frame carries the mark: the first frame alone (an I-frame) and the last eight
      // together, read as a scan of the file would read them.
      auto key = watermark::WatermarkKey::from_passphrase(kPassphrase);
      ASSERT_TRUE(key.has_value());
      auto reader = media::VideoReader::open(stamped.string());
      ASSERT_TRUE(reader.has_value());
      std::vector<std::vector<uint8_t>> frames;
      int width = 0;
      int height = 0;
      auto status = reader->for_each([&](const media::VideoFrame& f) -> base::Status {
        width = f.luma.width;
        height = f.luma.height;
        std::vector<uint8_t> plane;
        for (int y = 0; y < height; ++y) {
          plane.insert(plane.end(), f.luma.row(y), f.luma.row(y) + width);
        }
        frames.push_back(std::move(plane));
        return {};
      });
      ASSERT_TRUE(status.has_value());
      ASSERT_GE(frames.size(), 16u);
      auto first = watermark::detect(media::LumaView{frames[0].data(), width, height, 0}, *key);
      ASSERT_TRUE(first.has_value());
      ASSERT_TRUE(first->found);
      payload = first->payload;
      watermark::VideoWatermarkDetector window(*key);
      for (size_t i = frames.size() - 8; i < frames.size(); ++i) {
        ASSERT_TRUE(
            window.add_frame(media::LumaView{frames[i].data(), width, height, 0}).has_value());
      }
      auto last = window.detect();
      ASSERT_TRUE(last.has_value());
      EXPECT_TRUE(last->found);
      EXPECT_EQ(last->payload, payload);
      EXPECT_NE(result.out.find("watermark   " + std::to_string(payload)), std::string::npos)
          << result.out;
    }

    std::vector<domain::Asset> assets = assets_of(use_case);
    ASSERT_EQ(assets.size(), assets_before + 1);
    const std::string sha = base::to_hex(crypto::sha256(std::span<const uint8_t>(bytes)));
    const domain::Asset* asset = nullptr;
    for (const auto& a : assets) {
      asset = a.sha256 == sha ? &a : asset;
    }
    ASSERT_NE(asset, nullptr) << "no asset with the stamped copy's SHA-256";
    EXPECT_EQ(asset->status, domain::AssetStatus::kProvisional);
    EXPECT_EQ(asset->manifest_id, report->active_manifest);
    EXPECT_EQ(asset->file_name, stamped.filename().string());
    EXPECT_EQ(asset->watermark_payload, payload);
    if (still) {
      EXPECT_EQ(asset->pdq.size(), 64U);
      EXPECT_EQ(asset->width, size.width);
      EXPECT_EQ(asset->height, size.height);
      expect_thumbnail(asset->thumbnail, size.thumbnail_width, size.thumbnail_height);
    } else {
      expect_thumbnail(asset->thumbnail, 160, 120);  // the clips are 320x240
    }
    EXPECT_NE(result.out.find(sha), std::string::npos) << result.out;
  }

  static fs::path* dir_;
};

fs::path* StampTest::dir_ = nullptr;

TEST_F(StampTest, StampsJpeg) {
  media::JpegEncodeOptions jpeg;
  jpeg.quality = 92;
  auto bytes = media::encode_jpeg(test_image(512, 384, 1), jpeg);
  ASSERT_TRUE(bytes.has_value());
  write_file(*dir_ / "shot.jpg", *bytes);
  stamp_and_check(*dir_ / "shot.jpg", *dir_ / "shot.stamped.jpg", true);
}

TEST_F(StampTest, StampsPng) {
  auto bytes = media::encode_png(test_image(512, 384, 2));
  ASSERT_TRUE(bytes.has_value());
  write_file(*dir_ / "plate.png", *bytes);
  stamp_and_check(*dir_ / "plate.png", *dir_ / "plate.stamped.png", true);
}

// A tall banner: its height alone would ask for a 5.4x tile, which its 500-pixel width cannot
// hold and the detector would not look for in it; it is marked at 1.9, and found blind.
TEST_F(StampTest, StampsATallBannerWithATileScansFindAtItsSize) {
  auto bytes = media::encode_png(test_image(500, 3000, 3));
  ASSERT_TRUE(bytes.has_value());
  write_file(*dir_ / "banner.png", *bytes);
  stamp_and_check(*dir_ / "banner.png", *dir_ / "banner.stamped.png", true, {500, 3000, 27, 160});
}

// The mean absolute difference of two pictures' samples; 255 when their sizes differ.
double mean_difference(const media::Image& a, const media::Image& b) {
  if (a.width != b.width || a.height != b.height || a.pixels.size() != b.pixels.size() ||
      a.pixels.empty()) {
    return 255;
  }
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    sum += std::abs(int{a.pixels[i]} - int{b.pixels[i]});
  }
  return sum / static_cast<double>(a.pixels.size());
}

// A phone photo: `stored` as the camera wrote it, EXIF saying `orientation`, where it was
// taken and a thumbnail, and an RGB display profile `icc`.
std::vector<uint8_t> phone_photo(const media::Image& stored, int orientation, bool png,
                                 const std::vector<uint8_t>& icc) {
  media::JpegEncodeOptions jpeg;
  jpeg.quality = 95;
  auto plain = png ? media::encode_png(stored) : media::encode_jpeg(stored, jpeg);
  EXPECT_TRUE(plain.has_value());
  xmp::test_samples::SampleExif exif;
  exif.orientation = orientation;
  exif.gps = true;
  exif.width = stored.width;
  exif.height = stored.height;
  exif.thumbnail_jpeg = media::encode_jpeg(media::fit_within(stored, 96)).value();
  xmp::PhotoMetadata metadata;
  metadata.exif = xmp::test_samples::sample_exif(exif);
  metadata.icc = icc;
  auto photo = xmp::write_photo_metadata(*plain, metadata);
  EXPECT_TRUE(photo.has_value()) << photo.error().to_string();
  return photo.has_value() ? *photo : std::vector<uint8_t>();
}

// A phone photo held upright: stored sideways (384 x 512, EXIF orientation 6) with a display
// profile, GPS and a thumbnail. Its copy is the picture as displayed, 512 x 384, and says so.
TEST_F(StampTest, StampsAPhoneJpegStoredSidewaysUprightAndKeepsItsMetadata) {
  const media::Image upright = test_image(512, 384, 8);
  const std::vector<uint8_t> icc = xmp::test_samples::sample_icc_profile("RGB ", 548);
  const fs::path original = *dir_ / "phone.jpg";
  write_file(original,
             phone_photo(media::apply_orientation(upright, media::Orientation::kRotated90Ccw), 6,
                         false, icc));

  // Stamped, read back and registered as any still (512 x 384, thumbnail 160 x 120).
  stamp_and_check(original, *dir_ / "phone.stamped.jpg", true);
  const std::vector<uint8_t> copy = read_file(*dir_ / "phone.stamped.jpg");
  auto decoded = media::decode_image(copy);
  ASSERT_TRUE(decoded.has_value());
  // Near the picture as displayed (the noise in test_image costs JPEG a few levels), far from
  // the picture turned any other way.
  const double to_upright = mean_difference(*decoded, upright);
  EXPECT_LT(to_upright, 12.0);
  EXPECT_LT(
      to_upright * 4,
      mean_difference(*decoded, media::apply_orientation(upright, media::Orientation::kRotated180)))
      << "not upright";
  auto kept = xmp::read_photo_metadata(copy);
  ASSERT_TRUE(kept.has_value()) << kept.error().to_string();
  EXPECT_EQ(kept->orientation, 1);
  EXPECT_EQ(kept->icc, icc);
  std::map<std::string, std::string> tags = xmp::test_samples::exif_tags(kept->exif);
  EXPECT_EQ(tags["Exif.Image.Orientation"], "1");
  EXPECT_EQ(tags["Exif.Image.Model"], "test phone");
  EXPECT_EQ(tags["Exif.Photo.PixelXDimension"], "512");
  EXPECT_EQ(tags["Exif.GPSInfo.GPSLatitudeRef"], "N");
  EXPECT_EQ(tags.count("Exif.Thumbnail.JPEGInterchangeFormat"), 0u);

  // inspect reads the copy as stamped, and finds the sideways original by its PDQ hash, taken
  // as displayed.
  const std::string inspect_args = " --json --trust " + (*dir_ / "keys" / "root.pem").string() +
                                   " --db " + db_url() + " --watermark-passphrase " +
                                   kPassphraseVar;
  RunResult seen = run("inspect " + (*dir_ / "phone.stamped.jpg").string() + inspect_args);
  ASSERT_EQ(seen.code, 0) << seen.err;
  auto j = nlohmann::json::parse(seen.out);
  EXPECT_EQ(j["c2pa"]["verdict"], "Trusted");
  EXPECT_EQ(j["watermark"]["found"], true);
  EXPECT_EQ(j["registered"]["matched_by"], "sha256");
  const int64_t asset_id = j["registered"]["id"].get<int64_t>();
  // The reframings' hashes it prints are those stamp registered (for registering an unmarked
  // output through the API the same way).
  std::vector<std::string> registered_reframings;
  for (const domain::Asset& asset : assets_of(j["registered"]["use_case_id"].get<int64_t>())) {
    if (asset.id == asset_id) {
      registered_reframings = asset.frame_pdq;
    }
  }
  EXPECT_FALSE(registered_reframings.empty());
  EXPECT_EQ(j["frame_pdq"].get<std::vector<std::string>>(), registered_reframings);
  seen = run("inspect " + original.string() + inspect_args);
  ASSERT_EQ(seen.code, 0) << seen.err;
  j = nlohmann::json::parse(seen.out);
  EXPECT_EQ(j["registered"]["id"], asset_id);
  EXPECT_EQ(j["registered"]["matched_by"], "pdq");
  EXPECT_LE(j["registered"]["pdq_distance"].get<int>(), 31);

  // --strip-gps leaves the location out, and the rest in.
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  const fs::path without_gps = *dir_ / "phone-no-gps.jpg";
  RunResult result =
      run(stamp_args(original, use_case, kPartner) + " --strip-gps --out " + without_gps.string());
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  kept = xmp::read_photo_metadata(read_file(without_gps));
  ASSERT_TRUE(kept.has_value());
  tags = xmp::test_samples::exif_tags(kept->exif);
  EXPECT_EQ(tags["Exif.Image.Model"], "test phone");
  EXPECT_EQ(tags.count("Exif.GPSInfo.GPSLatitudeRef"), 0u);
  EXPECT_EQ(kept->icc, icc);
}

// The same in PNG, stored upside down: the profile and EXIF travel as iCCP and eXIf chunks,
// which the C2PA hard binding covers.
TEST_F(StampTest, StampsAPhonePngStoredUpsideDownUpright) {
  const media::Image upright = test_image(512, 384, 9);
  const std::vector<uint8_t> icc = xmp::test_samples::sample_icc_profile("RGB ", 3144);
  const fs::path original = *dir_ / "phone.png";
  write_file(original,
             phone_photo(media::apply_orientation(upright, media::Orientation::kRotated180), 3,
                         true, icc));
  stamp_and_check(original, *dir_ / "phone.stamped.png", true);
  const std::vector<uint8_t> copy = read_file(*dir_ / "phone.stamped.png");
  auto decoded = media::decode_image(copy);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_LT(mean_difference(*decoded, upright), 2.0) << "not upright";
  auto kept = xmp::read_photo_metadata(copy);
  ASSERT_TRUE(kept.has_value()) << kept.error().to_string();
  EXPECT_EQ(kept->orientation, 1);
  EXPECT_EQ(kept->icc, icc);
  EXPECT_EQ(xmp::test_samples::exif_tags(kept->exif)["Exif.GPSInfo.GPSLatitudeRef"], "N");
}

TEST_F(StampTest, StampsMp4WithWatermarkedFramesAndKeepsItsAudio) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "no ffmpeg CLI";
  }
  const fs::path clip = *dir_ / "clip.mp4";
  std::string make =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=320x240:rate=25 -f lavfi -i "
      "sine=r=48000 -t 1 -c:v mpeg4 -pix_fmt yuv420p -c:a aac -shortest " +
      clip.string();
  ASSERT_EQ(std::system(make.c_str()), 0);
  stamp_and_check(clip, *dir_ / "clip.stamped.mp4", false);
  // The stamped copy is H.264 (re-encoded with the mark) and still has its sound.
  std::string probe = "ffprobe -v error -show_entries stream=codec_name -of csv=p=0 " +
                      (*dir_ / "clip.stamped.mp4").string();
  FILE* pipe = ::popen(probe.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string codecs;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    codecs += buffer;
  }
  ::pclose(pipe);
  EXPECT_EQ(codecs, "h264\naac\n");
  auto assets = assets_of(use_case_in(domain::UseCaseState::kNotified));
  ASSERT_FALSE(assets.empty());
  EXPECT_EQ(assets.back().media_type, "video/mp4");
  EXPECT_EQ(assets.back().width, 320);
  EXPECT_EQ(assets.back().height, 240);
  EXPECT_NEAR(static_cast<double>(assets.back().duration_ms), 1000.0, 100.0);
  // Frames sampled through the clip are registered so that a scan finds any stretch of it.
  const std::vector<std::string>& frames = assets.back().frame_pdq;
  ASSERT_FALSE(frames.empty());
  EXPECT_LE(frames.size(), 3u);  // one every half second at most, near-duplicates dropped
  for (const std::string& code : frames) {
    EXPECT_EQ(code.size(), 64u);
    EXPECT_EQ(code.find_first_not_of("0123456789abcdef"), std::string::npos) << code;
  }
  EXPECT_EQ(assets.back().pdq, frames.front());
  EXPECT_GE(assets.back().pdq_quality, 50);
  // The stamped copy cannot be stamped again: its first frames, searched as the rewrite decodes
  // them, carry the mark. Nothing is written or registered.
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  const size_t registered = assets_of(use_case).size();
  RunResult again = run(stamp_args(*dir_ / "clip.stamped.mp4", use_case, kPartner));
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("already carries a clearcut watermark"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(*dir_ / "clip.stamped.stamped.mp4"));
  EXPECT_EQ(assets_of(use_case).size(), registered);
}

// Issue #18 end to end: an AI voice line (espeak-ng) delivered as M4A is stamped (Content
// Credentials valid and trusted, its sound fingerprinted and registered provisional), then
// mixed at 0 dB under a music bed into a reel's AAC track at 5.0 s; `clearcut scan` finds it
// there, on the audio track, at its timecode, and fails the delivery until it is cleared.
TEST_F(StampTest, AnAiVoiceLineIsStampedAndFoundInTheFinalMixAtItsTimecode) {
  namespace tm = audio::testing;
  const std::string missing = tm::missing_tools();
  ASSERT_TRUE(missing.empty()) << "the test material needs " << missing
                               << " (scripts/bootstrap installs them)";
  const fs::path wav = *dir_ / "adr_line.wav";
  const fs::path line = *dir_ / "adr_line.m4a";
  ASSERT_TRUE(tm::speak(tm::sentences()[3], tm::voices()[1], 150, wav.string()).has_value());
  ASSERT_TRUE(tm::run("ffmpeg -nostdin -loglevel error -y -i " + tm::quoted(wav.string()) +
                      " -ar 48000 -c:a aac -b:a 192k " + tm::quoted(line.string()))
                  .has_value());
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);

  RunResult result = run(stamp_args(line, use_case, kPartner));
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  EXPECT_NE(result.out.find("the audio watermark is not embedded"), std::string::npos)
      << result.out;
  const fs::path stamped = *dir_ / "adr_line.stamped.m4a";
  const std::vector<uint8_t> bytes = read_file(stamped);
  const c2pa::C2paReport report = expect_trusted(stamped);
  const std::string sha = base::to_hex(crypto::sha256(std::span<const uint8_t>(bytes)));
  const std::vector<domain::Asset> assets = assets_of(use_case);
  const domain::Asset* asset = nullptr;
  for (const auto& a : assets) {
    asset = a.sha256 == sha ? &a : asset;
  }
  ASSERT_NE(asset, nullptr) << "no asset with the stamped copy's SHA-256";
  EXPECT_EQ(asset->media_type, "audio/mp4");
  EXPECT_EQ(asset->status, domain::AssetStatus::kProvisional);
  EXPECT_EQ(asset->manifest_id, report.active_manifest);
  EXPECT_EQ(asset->watermark_payload, 0u);  // no mark embedded: none registered
  EXPECT_TRUE(asset->pdq.empty());
  ASSERT_FALSE(asset->audio_fingerprint.empty());
  auto fingerprint = audio::decode_fingerprint(asset->audio_fingerprint);
  ASSERT_TRUE(fingerprint.has_value()) << fingerprint.error().to_string();
  EXPECT_GT(fingerprint->landmarks.size(), 100u);

  // The final mix: the stamped line at 5.0 s under a 16 s bed, in a 25 fps reel.
  const std::string bed = (*dir_ / "reel_bed.wav").string();
  ASSERT_TRUE(tm::music_bed(16.0, 6, bed).has_value());
  const std::string mix = (*dir_ / "reel_mix.wav").string();
  auto durations = tm::mix(bed, {{stamped.string(), 5.0}}, mix);
  ASSERT_TRUE(durations.has_value()) << durations.error().to_string();
  const fs::path reel = *dir_ / "reel.mp4";
  ASSERT_TRUE(tm::run("ffmpeg -nostdin -loglevel error -y -f lavfi -i "
                      "testsrc2=size=320x240:rate=25:duration=16 -i " +
                      tm::quoted(mix) + " -c:v libx264 -crf 28 -c:a aac -b:a 128k -shortest " +
                      tm::quoted(reel.string()))
                  .has_value());
  std::string production;
  {
    auto service = open();
    auto tx = service->store().begin();
    ASSERT_TRUE(tx.has_value());
    auto found = (*tx)->accounts().get_production(asset->production_id);
    ASSERT_TRUE(found.has_value());
    production = found->code;
  }
  const fs::path json = *dir_ / "reel.json";
  result = run("scan " + reel.string() + " --production " + production + " --db " + db_url() +
               " --quiet --json " + json.string());
  EXPECT_EQ(result.code, 1) << result.err << result.out;  // provisional in the final mix
  const std::vector<uint8_t> text = read_file(json);
  const nlohmann::json scan = nlohmann::json::parse(std::string(text.begin(), text.end()));
  const nlohmann::json& findings = scan["files"][0]["findings"];
  ASSERT_EQ(findings.size(), 1u) << scan.dump(2);
  const nlohmann::json& f = findings[0];
  EXPECT_EQ(f["track"], "audio");
  EXPECT_EQ(f["asset_id"], asset->id);
  EXPECT_EQ(f["verdict"], "provisional_in_final");
  EXPECT_NEAR(f["start_seconds"].get<double>(), 5.0, 0.1);
  EXPECT_NEAR(f["end_seconds"].get<double>(), 5.0 + (*durations)[0], 0.1);
  // 5.0 s at 25 fps: 00:00:05:00, give or take AAC's priming.
  const std::string start = f["start_timecode"];
  EXPECT_TRUE(start == "00:00:05:00" || start == "00:00:05:01" || start == "00:00:04:24") << start;
  EXPECT_EQ(f["signals"][0]["kind"], "audio_fingerprint");
}

// A WAV (espeak-ng writes 22,050 Hz 16-bit mono) is stamped in place of its kind: the audio
// watermark in its samples (SNR at least 30 dB), a C2PA chunk appended (C2PA §A.4), its sound
// fingerprinted, the payload registered.
TEST_F(StampTest, StampsAWavLineWithWatermarkAndContentCredentials) {
  namespace tm = audio::testing;
  ASSERT_TRUE(tm::missing_tools().empty()) << tm::missing_tools();
  const fs::path wav = *dir_ / "temp_dub.wav";
  ASSERT_TRUE(tm::speak(tm::sentences()[5], tm::voices()[2], 160, wav.string()).has_value());
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  RunResult result = run(stamp_args(wav, use_case, kPartner));
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  const fs::path stamped = *dir_ / "temp_dub.stamped.wav";
  const std::vector<uint8_t> bytes = read_file(stamped);
  const c2pa::C2paReport report = expect_trusted(stamped);
  EXPECT_EQ(report.format, c2pa::AssetFormat::kRiff);
  // The mark is in the samples, 30 dB under the voice.
  auto before = media::decode_audio(wav.string(), {.stream_index = -1, .sample_rate = 22050});
  auto after = media::decode_audio(stamped.string(), {.stream_index = -1, .sample_rate = 22050});
  ASSERT_TRUE(before.has_value() && after.has_value());
  ASSERT_EQ(before->samples.size(), after->samples.size());
  double signal = 0;
  double change = 0;
  for (size_t i = 0; i < before->samples.size(); ++i) {
    signal += static_cast<double>(before->samples[i]) * before->samples[i];
    const double d = static_cast<double>(after->samples[i]) - before->samples[i];
    change += d * d;
  }
  ASSERT_GT(change, 0.0);
  EXPECT_GE(10 * std::log10(signal / change), 29.5);
  const std::string sha = base::to_hex(crypto::sha256(std::span<const uint8_t>(bytes)));
  bool registered = false;
  for (const domain::Asset& a : assets_of(use_case)) {
    if (a.sha256 == sha) {
      registered = true;
      EXPECT_EQ(a.media_type, "audio/wav");
      EXPECT_NE(a.watermark_payload, 0u);
      EXPECT_NE(result.out.find("watermark   " + std::to_string(a.watermark_payload)),
                std::string::npos)
          << result.out;
      EXPECT_EQ(a.manifest_id, report.active_manifest);
      EXPECT_FALSE(a.audio_fingerprint.empty());
      EXPECT_NEAR(static_cast<double>(a.duration_ms), before->duration_seconds() * 1000, 50);
      // Reviewers see the line's waveform where a picture's thumbnail would be.
      expect_thumbnail(a.thumbnail, 160, 64);
    }
  }
  EXPECT_TRUE(registered);
  // The marked copy cannot be stamped again: its mark would be overwritten by a second one.
  const size_t assets = assets_of(use_case).size();
  RunResult again = run(stamp_args(stamped, use_case, kPartner));
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("already carries a clearcut watermark"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(*dir_ / "temp_dub.stamped.stamped.wav"));
  EXPECT_EQ(assets_of(use_case).size(), assets);
}

// Two seconds of digital silence (nothing to hide a mark under) and a 0.3 s blip (too short for
// the mark): each copy is signed, labelled and registered, not marked, and the stamp says why
// instead of failing its read-back or refusing.
TEST_F(StampTest, StampsSilenceAndABlipUnmarkedAndSaysSo) {
  namespace tm = audio::testing;
  ASSERT_TRUE(tm::missing_tools().empty()) << tm::missing_tools();
  const fs::path silent = *dir_ / "room_tone.wav";
  ASSERT_EQ(std::system(("sox -D -n -r 48000 -c 1 -b 16 " + silent.string() + " trim 0 2").c_str()),
            0);
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  RunResult result = run(stamp_args(silent, use_case, kPartner));
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  EXPECT_NE(result.out.find("nothing to hide the audio watermark under"), std::string::npos)
      << result.out;
  const fs::path stamped = *dir_ / "room_tone.stamped.wav";
  EXPECT_EQ(expect_trusted(stamped).format, c2pa::AssetFormat::kRiff);
  const std::vector<uint8_t> bytes = read_file(stamped);
  const std::string sha = base::to_hex(crypto::sha256(std::span<const uint8_t>(bytes)));
  bool registered = false;
  for (const domain::Asset& a : assets_of(use_case)) {
    registered = registered || a.sha256 == sha;
  }
  EXPECT_TRUE(registered);

  // A sound effect under half a second is stamped the same way: too short to carry the mark.
  const fs::path word = *dir_ / "word.wav";
  ASSERT_TRUE(tm::speak("Go", tm::voices()[0], 300, word.string()).has_value());
  const fs::path blip = *dir_ / "blip.wav";
  ASSERT_EQ(std::system(("sox " + word.string() + " " + blip.string() + " trim 0 0.3").c_str()), 0);
  result = run(stamp_args(blip, use_case, kPartner));
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  EXPECT_NE(result.out.find("under 500 ms, too short to carry the audio watermark"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(expect_trusted(*dir_ / "blip.stamped.wav").format, c2pa::AssetFormat::kRiff);
  // inspect with the key says why it read no mark, rather than blaming a missing key.
  RunResult seen = run("inspect " + (*dir_ / "blip.stamped.wav").string() +
                       " --json --watermark-passphrase " + kPassphraseVar);
  ASSERT_EQ(seen.code, 0) << seen.err << seen.out;
  const nlohmann::json j = nlohmann::json::parse(seen.out);
  EXPECT_EQ(j["watermark"]["checked"], false);
  EXPECT_EQ(j["watermark"]["reason"], "under 1 s of sound");
  seen = run("inspect " + (*dir_ / "blip.stamped.wav").string() + " --watermark-passphrase " +
             kPassphraseVar);
  EXPECT_NE(seen.out.find("not checked (under 1 s of sound)"), std::string::npos) << seen.out;
}

// An AI voice line as MP3 (espeak-ng, then libmp3lame at 128 kbit/s with ffmpeg's ID3v2.4 tag):
// its sound is decoded, marked and encoded again at 128 kbit/s (the mark read back), its Content
// Credentials go into a GEOB frame of the tag (C2PA §A.4), trusted by clearcut's reader and
// c2pa-wasm, its sound is fingerprinted and registered provisional with the mark's payload;
// `clearcut scan` of the stamped file with the key finds it by all three.
TEST_F(StampTest, StampsAnMp3LineWithContentCredentialsAndScanFindsIt) {
  namespace tm = audio::testing;
  ASSERT_TRUE(tm::missing_tools().empty()) << tm::missing_tools();
  const fs::path wav = *dir_ / "scratch_dub.wav";
  const fs::path mp3 = *dir_ / "scratch_dub.mp3";
  ASSERT_TRUE(tm::speak(tm::sentences()[6], tm::voices()[0], 150, wav.string()).has_value());
  ASSERT_TRUE(tm::run("ffmpeg -nostdin -loglevel error -y -i " + tm::quoted(wav.string()) +
                      " -c:a libmp3lame -b:a 128k -metadata title=scratch " +
                      tm::quoted(mp3.string()))
                  .has_value());
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  RunResult result = run(stamp_args(mp3, use_case, kPartner));
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  EXPECT_NE(result.out.find("MP3: decoded, marked and encoded again with libmp3lame at 128 kbit/s"),
            std::string::npos)
      << result.out;
  const fs::path stamped = *dir_ / "scratch_dub.stamped.mp3";
  const std::vector<uint8_t> bytes = read_file(stamped);
  const c2pa::C2paReport report = expect_trusted(stamped);
  EXPECT_EQ(report.format, c2pa::AssetFormat::kMp3);
  // The title travels in the new ID3v2 tag, whose last frame is the GEOB.
  const c2pa::Id3Tag tag = c2pa::parse_id3(bytes).value();
  ASSERT_FALSE(tag.frames.empty());
  EXPECT_EQ(tag.frames.back().id_view(), "GEOB");
  const std::string tag_text(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(tag.end));
  EXPECT_NE(tag_text.find("scratch"), std::string::npos);
  const std::string sha = base::to_hex(crypto::sha256(std::span<const uint8_t>(bytes)));
  const domain::Asset* asset = nullptr;
  const std::vector<domain::Asset> assets = assets_of(use_case);
  for (const domain::Asset& a : assets) {
    asset = a.sha256 == sha ? &a : asset;
  }
  ASSERT_NE(asset, nullptr) << "no asset with the stamped copy's SHA-256";
  EXPECT_EQ(asset->media_type, "audio/mpeg");
  EXPECT_EQ(asset->status, domain::AssetStatus::kProvisional);
  EXPECT_EQ(asset->manifest_id, report.active_manifest);
  EXPECT_FALSE(asset->audio_fingerprint.empty());
  EXPECT_GT(asset->duration_ms, 1000);
  EXPECT_NE(asset->watermark_payload, 0u);
  EXPECT_NE(result.out.find("watermark   " + std::to_string(asset->watermark_payload)),
            std::string::npos)
      << result.out;

  // `clearcut scan` of the stamped line: its Content Credentials, its sound and its mark name
  // the asset.
  std::string production;
  {
    auto service = open();
    auto tx = service->store().begin();
    ASSERT_TRUE(tx.has_value());
    auto found = (*tx)->accounts().get_production(asset->production_id);
    ASSERT_TRUE(found.has_value());
    production = found->code;
  }
  const fs::path json = *dir_ / "scratch_dub.json";
  result = run("scan " + stamped.string() + " --production " + production + " --db " + db_url() +
               " --watermark-passphrase " + kPassphraseVar + " --quiet --json " + json.string());
  EXPECT_EQ(result.code, 1) << result.err << result.out;  // provisional
  const std::vector<uint8_t> text = read_file(json);
  const nlohmann::json scan = nlohmann::json::parse(std::string(text.begin(), text.end()));
  const nlohmann::json& file = scan["files"][0];
  EXPECT_EQ(file["kind"], "audio") << scan.dump(2);
  std::set<std::string> kinds;
  for (const nlohmann::json& f : file["findings"]) {
    if (f["asset_id"] == asset->id) {
      for (const nlohmann::json& signal : f["signals"]) {
        kinds.insert(signal["kind"].get<std::string>());
      }
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"audio_fingerprint", "c2pa", "watermark"}))
      << scan.dump(2);

  // The stamped copy cannot be stamped again: its mark is there.
  RunResult again = run(stamp_args(stamped, use_case, kPartner));
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("already carries a clearcut watermark"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(*dir_ / "scratch_dub.stamped.stamped.mp3"));
}

// FLAC: C2PA defines no place for Content Credentials in it, so the stamp marks the sound
// (decoded, marked, encoded again losslessly), fingerprints and registers it, says that the copy
// carries no Content Credentials, and `clearcut scan` finds it by its fingerprint and its mark.
TEST_F(StampTest, StampsAFlacLineWithoutContentCredentialsAndSaysSo) {
  namespace tm = audio::testing;
  ASSERT_TRUE(tm::missing_tools().empty()) << tm::missing_tools();
  const fs::path wav = *dir_ / "music_cue.wav";
  const fs::path flac = *dir_ / "music_cue.flac";
  ASSERT_TRUE(tm::speak(tm::sentences()[7], tm::voices()[1], 150, wav.string()).has_value());
  ASSERT_TRUE(tm::run("ffmpeg -nostdin -loglevel error -y -i " + tm::quoted(wav.string()) +
                      " -c:a flac " + tm::quoted(flac.string()))
                  .has_value());
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  RunResult result = run(stamp_args(flac, use_case, kPartner));
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  EXPECT_NE(result.out.find("C2PA defines no place for Content Credentials in FLAC"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("c2pa        - (the format carries none)"), std::string::npos)
      << result.out;
  const fs::path stamped = *dir_ / "music_cue.stamped.flac";
  const std::vector<uint8_t> bytes = read_file(stamped);
  ASSERT_GE(bytes.size(), 4u);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "fLaC");
  const std::string sha = base::to_hex(crypto::sha256(std::span<const uint8_t>(bytes)));
  const domain::Asset* asset = nullptr;
  const std::vector<domain::Asset> assets = assets_of(use_case);
  for (const domain::Asset& a : assets) {
    asset = a.sha256 == sha ? &a : asset;
  }
  ASSERT_NE(asset, nullptr) << "no asset with the stamped copy's SHA-256";
  EXPECT_EQ(asset->media_type, "audio/flac");
  EXPECT_EQ(asset->status, domain::AssetStatus::kProvisional);
  EXPECT_TRUE(asset->manifest_id.empty());
  EXPECT_FALSE(asset->audio_fingerprint.empty());
  EXPECT_NE(asset->watermark_payload, 0u);
  EXPECT_NE(result.out.find("FLAC: decoded, marked and encoded again losslessly"),
            std::string::npos)
      << result.out;

  std::string production;
  {
    auto service = open();
    auto tx = service->store().begin();
    ASSERT_TRUE(tx.has_value());
    auto found = (*tx)->accounts().get_production(asset->production_id);
    ASSERT_TRUE(found.has_value());
    production = found->code;
  }
  const fs::path json = *dir_ / "music_cue.json";
  result = run("scan " + stamped.string() + " --production " + production + " --db " + db_url() +
               " --watermark-passphrase " + kPassphraseVar + " --quiet --json " + json.string());
  EXPECT_EQ(result.code, 1) << result.err << result.out;  // provisional
  const std::vector<uint8_t> text = read_file(json);
  const nlohmann::json scan = nlohmann::json::parse(std::string(text.begin(), text.end()));
  std::set<std::string> kinds;
  for (const nlohmann::json& f : scan["files"][0]["findings"]) {
    if (f["asset_id"] == asset->id) {
      for (const nlohmann::json& signal : f["signals"]) {
        kinds.insert(signal["kind"].get<std::string>());
      }
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"audio_fingerprint", "watermark"})) << scan.dump(2);
}

TEST_F(StampTest, RefusesAUserWhoIsNotAPartnerAndWritesNothing) {
  auto bytes = media::encode_png(test_image(256, 256, 3));
  ASSERT_TRUE(bytes.has_value());
  const fs::path original = *dir_ / "outsider.png";
  write_file(original, *bytes);
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  const size_t assets_before = assets_of(use_case).size();
  RunResult result = run(stamp_args(original, use_case, kOutsider));
  EXPECT_EQ(result.code, 2) << result.out;
  EXPECT_NE(result.err.find("not a partner"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(*dir_ / "outsider.stamped.png"));
  EXPECT_EQ(assets_of(use_case).size(), assets_before);
  for (const auto& entry : fs::directory_iterator(*dir_)) {
    EXPECT_NE(entry.path().filename().string().front(), '.') << "left behind: " << entry.path();
  }
}

TEST_F(StampTest, RefusesWithdrawnUseCaseMissingFileUnknownFormatAndExistingOutput) {
  auto bytes = media::encode_png(test_image(256, 256, 4));
  ASSERT_TRUE(bytes.has_value());
  const fs::path original = *dir_ / "refused.png";
  write_file(original, *bytes);
  const int64_t withdrawn = use_case_in(domain::UseCaseState::kWithdrawn);
  RunResult result = run(stamp_args(original, withdrawn, kPartner));
  EXPECT_EQ(result.code, 2);
  EXPECT_NE(result.err.find("withdrawn"), std::string::npos) << result.err;

  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  EXPECT_EQ(run(stamp_args(*dir_ / "missing.png", use_case, kPartner)).code, 2);
  write_text(*dir_ / "notes.txt", "not an image");
  EXPECT_EQ(run(stamp_args(*dir_ / "notes.txt", use_case, kPartner)).code, 2);
  // RIFF is WAV's container, and WebP's and AVI's: those are not read as sound.
  std::string webp("RIFF\x1a\0\0\0WEBPVP8 \x0e\0\0\0", 20);
  webp += std::string(14, '\0');
  write_text(*dir_ / "picture.webp", webp);
  result = run(stamp_args(*dir_ / "picture.webp", use_case, kPartner));
  EXPECT_EQ(result.code, 2);
  EXPECT_NE(result.err.find("not a JPEG, PNG, MP4, M4A, WAV, MP3 or FLAC file"), std::string::npos)
      << result.err;

  write_text(*dir_ / "taken.png", "keep me");
  result =
      run(stamp_args(original, use_case, kPartner) + " --out " + (*dir_ / "taken.png").string());
  EXPECT_EQ(result.code, 2) << result.err;
  std::vector<uint8_t> kept = read_file(*dir_ / "taken.png");
  EXPECT_EQ(std::string(kept.begin(), kept.end()), "keep me");
  EXPECT_FALSE(fs::exists(*dir_ / "refused.stamped.png"));
}

TEST_F(StampTest, KeepsAnOriginalsContentCredentialsAsTheParentIngredient) {
  // C.jpg (c2pa-rs test fixture): a photo with a valid manifest, signed by c2pa-rs' test CA.
  const fs::path fixture = fs::path(CLEARCUT_SHARED_DIR) / "fixtures" / "c2pa" / "C.jpg";
  if (!fs::exists(fixture)) {
    GTEST_SKIP() << "no " << fixture;
  }
  const fs::path original = *dir_ / "photo-with-credentials.jpg";
  fs::copy_file(fixture, original, fs::copy_options::overwrite_existing);
  auto parent = c2pa::read_c2pa(read_file(original));
  ASSERT_TRUE(parent.has_value());
  ASSERT_TRUE(parent->has_manifest());

  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  RunResult result = run(stamp_args(original, use_case, kPartner) +
                         " --source-type compositeWithTrainedAlgorithmicMedia");
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  EXPECT_NE(result.out.find("kept as the parent ingredient"), std::string::npos) << result.out;

  const fs::path stamped = *dir_ / "photo-with-credentials.stamped.jpg";
  c2pa::TrustAnchors trust = anchors();
  c2pa::ReadOptions options;
  options.trust_anchors = &trust;
  auto report = c2pa::read_c2pa(read_file(stamped), options);
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->integrity.intact) << testing::PrintToString(report->failure_codes());
  EXPECT_EQ(report->verdict, c2pa::Verdict::kTrusted);
  ASSERT_FALSE(report->ingredients.empty());
  EXPECT_EQ(report->ingredients[0].ingredient.relationship, "parentOf");
  EXPECT_EQ(report->ingredients[0].ingredient_manifest, parent->active_manifest);
  EXPECT_TRUE(report->ingredients[0].manifest_present);
  bool composite_in_active = false;
  bool parent_declaration = false;
  for (const c2pa::SourceTypeFinding& f : report->ai.findings) {
    composite_in_active |= f.active_manifest &&
                           f.type == c2pa::DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia;
    parent_declaration |= !f.active_manifest;
  }
  EXPECT_TRUE(composite_in_active);
  EXPECT_TRUE(parent_declaration) << "the original's algorithmicMedia is not reported";

  nlohmann::json reference = reference_validation(stamped, *dir_ / "keys" / "root.pem");
  if (!reference.is_null()) {
    EXPECT_EQ(reference["state"], "Trusted") << reference.dump();
    EXPECT_EQ(reference["failure"], nlohmann::json::array()) << reference.dump();
    EXPECT_EQ(reference["ingredients"].size(), 1u) << reference.dump();
  }
}

TEST_F(StampTest, RefusesToStampAStampedFileAgain) {
  auto bytes = media::encode_png(test_image(320, 256, 7));
  ASSERT_TRUE(bytes.has_value());
  const fs::path original = *dir_ / "twice.png";
  write_file(original, *bytes);
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  ASSERT_EQ(run(stamp_args(original, use_case, kPartner)).code, 0);
  const size_t assets = assets_of(use_case).size();
  RunResult again = run(stamp_args(*dir_ / "twice.stamped.png", use_case, kPartner));
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("already carries a clearcut watermark"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(*dir_ / "twice.stamped.stamped.png"));
  EXPECT_EQ(assets_of(use_case).size(), assets);
}

TEST_F(StampTest, InspectJsonReportsLabelsMarkAndRegistration) {
  auto bytes = media::encode_png(test_image(320, 256, 5));
  ASSERT_TRUE(bytes.has_value());
  const fs::path original = *dir_ / "inspected.png";
  write_file(original, *bytes);
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  ASSERT_EQ(run(stamp_args(original, use_case, kPartner)).code, 0);
  const fs::path stamped = *dir_ / "inspected.stamped.png";

  RunResult result = run("inspect " + stamped.string() + " --json --trust " +
                         (*dir_ / "keys" / "root.pem").string() + " --db " + db_url() +
                         " --watermark-passphrase " + kPassphraseVar);
  ASSERT_EQ(result.code, 0) << result.err;
  auto j = nlohmann::json::parse(result.out);
  EXPECT_EQ(j["media_type"], "image/png");
  EXPECT_EQ(j["c2pa"]["verdict"], "Trusted");
  EXPECT_EQ(j["c2pa"]["integrity"]["intact"], true);
  EXPECT_EQ(j["c2pa"]["trust"]["trusted"], true);
  EXPECT_EQ(j["c2pa"]["ai_disclosure"]["source_types"],
            nlohmann::json::array({"trainedAlgorithmicMedia"}));
  EXPECT_EQ(j["xmp_digital_source_type"], kAiSource);
  EXPECT_EQ(j["watermark"]["found"], true);
  EXPECT_EQ(j["pdq"].get<std::string>().size(), 64U);
  const std::vector<uint8_t> stamped_bytes = read_file(stamped);
  EXPECT_EQ(j["sha256"], base::to_hex(crypto::sha256(std::span<const uint8_t>(stamped_bytes))));
  EXPECT_EQ(j["registered"]["status"], "provisional");
  EXPECT_EQ(j["registered"]["matched_by"], "sha256");
  EXPECT_EQ(j["registered"]["use_case_id"], use_case);
  EXPECT_EQ(j["registered"]["watermark_payload"], j["watermark"]["payload"]);

  const int64_t asset_id = j["registered"]["id"].get<int64_t>();

  // Without a trust anchor the signature is still intact, only not trusted; the original is
  // unlabelled and unmarked, but looks like the registered output: found by its PDQ hash.
  result = run("inspect " + original.string() + " --json --watermark-passphrase " + kPassphraseVar +
               " --db " + db_url());
  ASSERT_EQ(result.code, 0) << result.err;
  j = nlohmann::json::parse(result.out);
  EXPECT_EQ(j["c2pa"]["verdict"], "no manifest");
  EXPECT_TRUE(j["xmp_digital_source_type"].is_null());
  EXPECT_EQ(j["watermark"]["found"], false);
  EXPECT_EQ(j["registered"]["id"], asset_id);
  EXPECT_EQ(j["registered"]["matched_by"], "pdq");
  EXPECT_LE(j["registered"]["pdq_distance"].get<int>(), 31);

  // A picture nothing registered resembles (random 32-pixel blocks) is not registered.
  media::Image blocks{320, 256, 3, std::vector<uint8_t>(320 * 256 * 3)};
  std::mt19937 rng(9);
  std::vector<uint8_t> palette(10 * 8 * 3);
  for (uint8_t& v : palette) {
    v = static_cast<uint8_t>(rng());
  }
  for (int y = 0; y < 256; ++y) {
    for (int x = 0; x < 320; ++x) {
      for (int c = 0; c < 3; ++c) {
        blocks.pixels[(static_cast<size_t>(y) * 320 + x) * 3 + c] =
            palette[((y / 32) * 10 + x / 32) * 3 + c];
      }
    }
  }
  auto unrelated = media::encode_png(blocks);
  ASSERT_TRUE(unrelated.has_value());
  write_file(*dir_ / "unrelated.png", *unrelated);
  result = run("inspect " + (*dir_ / "unrelated.png").string() + " --json --db " + db_url());
  ASSERT_EQ(result.code, 0) << result.err;
  j = nlohmann::json::parse(result.out);
  EXPECT_TRUE(j["registered"].is_null()) << j["registered"].dump();
  // In words: no manifest is not a broken one.
  result = run("inspect " + (*dir_ / "unrelated.png").string());
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("c2pa        no manifest"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("broken"), std::string::npos) << result.out;
}

// `stamp --server` and `inspect --server` against a running `clearcut serve` on the same
// database, as a partner would use them from a workstation with an API token.
TEST_F(StampTest, StampsAndInspectsThroughTheApiOfARunningServer) {
  std::string partner_token;
  std::string outsider_token;
  {
    auto service = open();
    for (auto [email, token] :
         {std::pair{kPartner, &partner_token}, {kOutsider, &outsider_token}}) {
      auto tx = service->store().begin();
      ASSERT_TRUE(tx.has_value());
      auto user = (*tx)->accounts().find_user_by_email(email);
      ASSERT_TRUE(user.has_value() && user->has_value());
      auto actor = service->accounts().actor_for(**tx, (*user)->id);
      tx->reset();
      ASSERT_TRUE(actor.has_value());
      auto made = service->accounts().create_token(*actor, "stamp test");
      ASSERT_TRUE(made.has_value()) << made.error().to_string();
      *token = made->secret;
    }
  }
  std::string error;
  auto server = apitest::ChildProcess::spawn(
      {CLEARCUT_BINARY, "serve", "--db", db_url(), "--port", "0", "--handler-threads", "2"},
      &error);
  ASSERT_NE(server, nullptr) << error;
  const uint16_t port = server->wait_for_port(60);
  ASSERT_NE(port, 0) << server->output();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);

  auto bytes = media::encode_jpeg(test_image(384, 256, 6));
  ASSERT_TRUE(bytes.has_value());
  const fs::path original = *dir_ / "remote.jpg";
  write_file(original, *bytes);
  const int64_t use_case = use_case_in(domain::UseCaseState::kNotified);
  auto args = [&](const std::string& token) {
    return "stamp " + original.string() + " --use-case " + std::to_string(use_case) + " --server " +
           url + " --token " + token + " --key " + (*dir_ / "keys").string() +
           " --watermark-passphrase " + kPassphraseVar;
  };
  RunResult refused = run(args(outsider_token));
  EXPECT_EQ(refused.code, 2) << refused.out << refused.err;
  EXPECT_FALSE(fs::exists(*dir_ / "remote.stamped.jpg"));
  RunResult bad_token = run(args("not-a-token"));
  EXPECT_EQ(bad_token.code, 2) << bad_token.out << bad_token.err;
  EXPECT_NE(bad_token.err.find("HTTP 401"), std::string::npos) << bad_token.err;

  RunResult result = run(args(partner_token));
  ASSERT_EQ(result.code, 0) << result.err << result.out;
  const fs::path stamped_path = *dir_ / "remote.stamped.jpg";
  const std::vector<uint8_t> stamped = read_file(stamped_path);
  const std::string sha = base::to_hex(crypto::sha256(std::span<const uint8_t>(stamped)));
  const domain::Asset* registered = nullptr;
  const std::vector<domain::Asset> assets = assets_of(use_case);
  for (const auto& a : assets) {
    registered = a.sha256 == sha ? &a : registered;
  }
  ASSERT_NE(registered, nullptr) << "no asset with the stamped copy's SHA-256";
  EXPECT_EQ(registered->status, domain::AssetStatus::kProvisional);
  EXPECT_NE(registered->watermark_payload, 0U);
  EXPECT_EQ(registered->pdq.size(), 64U);
  expect_thumbnail(registered->thumbnail, 160, 107);  // 384x256
  const std::string asset_line = "asset       " + std::to_string(registered->id) + " (provisional)";
  EXPECT_NE(result.out.find(asset_line), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(sha), std::string::npos) << result.out;

  auto inspect = [&](const fs::path& file, const std::string& token, const std::string& more) {
    return run("inspect " + file.string() + " --server " + url + " --token " + token + " --trust " +
               (*dir_ / "keys" / "root.pem").string() + more);
  };
  const std::string with_key = std::string(" --watermark-passphrase ") + kPassphraseVar;

  // The stamped copy: found by its SHA-256, with what the server holds about it.
  RunResult seen = inspect(stamped_path, partner_token, " --json" + with_key);
  ASSERT_EQ(seen.code, 0) << seen.err << seen.out;
  auto j = nlohmann::json::parse(seen.out);
  EXPECT_EQ(j["c2pa"]["verdict"], "Trusted");
  EXPECT_EQ(j["xmp_digital_source_type"], kAiSource);
  EXPECT_EQ(j["watermark"]["payload"], std::to_string(registered->watermark_payload));
  EXPECT_EQ(j["registered"]["id"], registered->id);
  EXPECT_EQ(j["registered"]["status"], "provisional");
  EXPECT_EQ(j["registered"]["use_case_id"], use_case);
  EXPECT_EQ(j["registered"]["matched_by"], "sha256");
  EXPECT_EQ(j["registered"]["manifest_id"], registered->manifest_id);

  // What a person reads.
  seen = inspect(stamped_path, partner_token, with_key);
  ASSERT_EQ(seen.code, 0) << seen.err << seen.out;
  EXPECT_NE(seen.out.find("c2pa        Trusted"), std::string::npos) << seen.out;
  EXPECT_NE(seen.out.find("watermark   " + std::to_string(registered->watermark_payload)),
            std::string::npos)
      << seen.out;
  EXPECT_NE(
      seen.out.find("registered  asset " + std::to_string(registered->id) +
                    " (provisional), use case " + std::to_string(use_case) + ", matched by sha256"),
      std::string::npos)
      << seen.out;

  // A re-encoded copy has lost its Content Credentials and changed every byte: it is found by
  // its watermark with the key, and by its PDQ hash without it.
  auto decoded = media::decode_image(stamped);
  ASSERT_TRUE(decoded.has_value());
  media::JpegEncodeOptions jpeg;
  jpeg.quality = 90;
  auto reencoded = media::encode_jpeg(*decoded, jpeg);
  ASSERT_TRUE(reencoded.has_value());
  const fs::path copy = *dir_ / "remote-copy.jpg";
  write_file(copy, *reencoded);
  seen = inspect(copy, partner_token, " --json" + with_key);
  ASSERT_EQ(seen.code, 0) << seen.err << seen.out;
  j = nlohmann::json::parse(seen.out);
  EXPECT_EQ(j["c2pa"]["verdict"], "no manifest");
  EXPECT_EQ(j["registered"]["id"], registered->id);
  EXPECT_EQ(j["registered"]["matched_by"], "watermark");
  seen = inspect(copy, partner_token, " --json");
  ASSERT_EQ(seen.code, 0) << seen.err << seen.out;
  j = nlohmann::json::parse(seen.out);
  EXPECT_EQ(j["watermark"]["checked"], false);
  EXPECT_EQ(j["watermark"]["reason"], "no --watermark-key");
  EXPECT_EQ(j["registered"]["id"], registered->id);
  EXPECT_EQ(j["registered"]["matched_by"], "pdq");
  EXPECT_LE(j["registered"]["pdq_distance"].get<int>(), 31);

  // Someone outside the production sees no registration; a bad token, or --server with --db, is
  // refused.
  seen = inspect(stamped_path, outsider_token, " --json");
  ASSERT_EQ(seen.code, 0) << seen.err << seen.out;
  EXPECT_TRUE(nlohmann::json::parse(seen.out)["registered"].is_null()) << seen.out;
  seen = inspect(stamped_path, "not-a-token", "");
  EXPECT_EQ(seen.code, 2) << seen.out;
  EXPECT_NE(seen.err.find("HTTP 401"), std::string::npos) << seen.err;
  seen = inspect(stamped_path, partner_token, " --db " + db_url());
  EXPECT_EQ(seen.code, 2) << seen.out;
  const int status = server->kill_and_wait(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << server->output();
}

}  // namespace
}  // namespace clearcut
