// The scanner's verdicts on stills, against a registry built in memory: which finding each
// signal makes, how file-level labels join an asset's finding, and what passes. The end-to-end
// suite (tests/scan) covers video, the CLI and the database.
#include "clearcut/scan/scanner.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/xmp/photo_samples.h"
#include "clearcut/provenance/xmp/xmp_label.h"

namespace clearcut::scan {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTrained =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
constexpr const char* kNow = "2026-12-06T12:00:00Z";
constexpr int64_t kOwnProduction = 1;
constexpr int64_t kOtherProduction = 2;
constexpr int64_t kUseCase = 10;

// A picture with structure at several scales (PDQ quality well over 50); `seed` changes it
// enough that two seeds are far apart in PDQ distance.
media::Image picture(int seed) {
  media::Image image;
  image.width = 320;
  image.height = 240;
  image.channels = 3;
  image.pixels.resize(image.row_bytes() * image.height);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const int cell = ((x / (16 + 8 * seed)) + (y / (12 + 4 * seed)) * (seed + 2)) % 5;
      const auto value = static_cast<uint8_t>((cell * 53 + x * (seed + 1) / 3 + y / 2) % 256);
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 3];
      p[0] = value;
      p[1] = static_cast<uint8_t>(255 - value);
      p[2] = static_cast<uint8_t>(value / 2 + 40);
    }
  }
  return image;
}

std::string pdq_hex(const media::Image& image) {
  provenance::PdqHasher hasher;
  provenance::PdqResult hash = hasher.hash(
      provenance::PixelView{image.pixels.data(), image.width, image.height, image.channels, 0});
  EXPECT_GE(hash.quality, 50);
  return hash.hash.to_hex();
}

std::vector<uint8_t> jpeg_with_packet(const media::Image& image, std::string_view packet) {
  return xmp::test_samples::jpeg_with_xmp_packet(media::encode_jpeg(image).value(), packet);
}

// Photo tools' XMP: photoshop:DateCreated as an attribute and as an element (the XMP toolkit
// refuses such a packet whole), beside the AI label.
std::string repeating_packet(std::string_view source_type_element) {
  return "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
         "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
         "<rdf:Description rdf:about='' xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
         "xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' "
         "photoshop:DateCreated='2024-05-01'><photoshop:DateCreated>2024-05-01"
         "</photoshop:DateCreated>" +
         std::string(source_type_element) + "</rdf:Description></rdf:RDF></x:xmpmeta>";
}

class ScannerTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("clearcut-scanner-test-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    registry_.production.id = kOwnProduction;
    registry_.production.code = "show";
    options_.now = kNow;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::vector<uint8_t>& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return path.string();
  }

  // Registers `image` (its PDQ hash) as an asset and rebuilds the index.
  int64_t register_asset(const media::Image& image, domain::AssetStatus status,
                         int64_t production = kOwnProduction) {
    domain::Asset asset;
    asset.id = static_cast<int64_t>(registry_.assets.size()) + 100;
    asset.production_id = production;
    asset.use_case_id = kUseCase;
    asset.file_name = "output-" + std::to_string(asset.id) + ".png";
    asset.pdq = pdq_hex(image);
    asset.status = status;
    registry_.assets.emplace(asset.id, asset);
    registry_.own_assets += production == kOwnProduction ? 1 : 0;
    std::vector<match::Entry> entries;
    for (const auto& [id, a] : registry_.assets) {
      entries.push_back(
          match::Entry{id, match::Code{provenance::PdqHash::from_hex(a.pdq).value().words()}});
    }
    registry_.index = std::move(match::MatchIndex::build(entries).value());
    return asset.id;
  }

  void approve(std::string expires_at = "") {
    domain::Approval approval;
    approval.id = 1;
    approval.use_case_id = kUseCase;
    approval.granted = true;
    approval.scope = domain::read_approval_scope(R"({"final_use": true})");
    approval.expires_at = std::move(expires_at);
    registry_.approvals[kUseCase].push_back(approval);
  }

  FileReport scan_one(const std::string& path) {
    return scan_file(ScanInput{path, false, 0}, registry_, options_);
  }

  fs::path dir_;
  Registry registry_;
  ScanOptions options_;
};

TEST_F(ScannerTest, VerdictFollowsTheAssetAndItsApproval) {
  const media::Image image = picture(1);
  const std::string path = write("still.png", media::encode_png(image).value());
  const int64_t id = register_asset(image, domain::AssetStatus::kProvisional);

  auto verdict_now = [&] {
    FileReport report = scan_one(path);
    EXPECT_TRUE(report.error.empty()) << report.error;
    EXPECT_EQ(report.findings.size(), 1u);
    return report.findings.empty() ? std::string("none")
                                   : std::string(verdict_name(report.findings[0].verdict));
  };
  EXPECT_EQ(verdict_now(), "provisional_in_final");
  registry_.assets.at(id).status = domain::AssetStatus::kRejected;
  EXPECT_EQ(verdict_now(), "rejected");
  registry_.assets.at(id).status = domain::AssetStatus::kCleared;
  EXPECT_EQ(verdict_now(), "expired_approval");  // cleared, but no approval clears it
  approve("2026-01-01T00:00:00Z");
  EXPECT_EQ(verdict_now(), "expired_approval");
  registry_.approvals.clear();
  approve();
  EXPECT_EQ(verdict_now(), "cleared");
  EXPECT_TRUE(scan_one(path).passes());
  // Approved, but the audience disclosure its checklist planned is not confirmed as made.
  registry_.disclosure_unconfirmed.insert(kUseCase);
  EXPECT_EQ(verdict_now(), "disclosure_unconfirmed");
  EXPECT_FALSE(scan_one(path).passes());
  EXPECT_NE(scan_one(path).findings.at(0).reason.find("not confirmed as made"), std::string::npos);
  registry_.disclosure_unconfirmed.clear();
  EXPECT_EQ(verdict_now(), "cleared");
}

TEST_F(ScannerTest, UnregisteredStillWithoutLabelMakesNoFinding) {
  register_asset(picture(1), domain::AssetStatus::kCleared);
  FileReport report = scan_one(write("other.png", media::encode_png(picture(3)).value()));
  EXPECT_TRUE(report.findings.empty());
  EXPECT_TRUE(report.passes());
}

// Issue #13, item 1: a still's own XMP label (clearcut stamp writes one) joins its registered
// asset's finding; a cleared still passes its delivery.
TEST_F(ScannerTest, LabelOfARegisteredStillJoinsItsFinding) {
  const media::Image image = picture(1);
  std::vector<uint8_t> labelled =
      xmp::write_xmp_label(media::encode_png(image).value(), xmp::XmpLabel{kTrained, std::nullopt})
          .value();
  const std::string path = write("stamped.png", labelled);
  const int64_t id = register_asset(image, domain::AssetStatus::kCleared);
  approve();

  FileReport report = scan_one(path);
  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& f = report.findings[0];
  EXPECT_EQ(f.asset_id, id);
  EXPECT_EQ(f.verdict, Verdict::kCleared) << f.reason;
  ASSERT_EQ(f.signals.size(), 2u);
  EXPECT_EQ(f.signals[0].kind, "pdq");
  EXPECT_EQ(f.signals[1].kind, "xmp");
  EXPECT_EQ(f.signals[1].detail, kTrained);
  EXPECT_FALSE(f.pdq_only);
  EXPECT_TRUE(report.passes());

  // The same label on a picture that is no registered asset is undeclared AI.
  std::vector<uint8_t> other = xmp::write_xmp_label(media::encode_png(picture(3)).value(),
                                                    xmp::XmpLabel{kTrained, std::nullopt})
                                   .value();
  FileReport undeclared = scan_one(write("other.png", other));
  ASSERT_EQ(undeclared.findings.size(), 1u);
  EXPECT_EQ(undeclared.findings[0].verdict, Verdict::kUndeclaredAi);
  EXPECT_FALSE(undeclared.findings[0].asset_id.has_value());
  EXPECT_FALSE(undeclared.passes());
}

// Issue #13, item 2: XMP with a repeated property still carries its label.
TEST_F(ScannerTest, LabelInAPacketThatRepeatsAPropertyIsFound) {
  const std::string path =
      write("photo.jpg",
            jpeg_with_packet(picture(2),
                             repeating_packet(std::string("<Iptc4xmpExt:DigitalSourceType>") +
                                              kTrained + "</Iptc4xmpExt:DigitalSourceType>")));
  FileReport report = scan_one(path);
  ASSERT_EQ(report.findings.size(), 1u) << report.error;
  EXPECT_EQ(report.findings[0].verdict, Verdict::kUndeclaredAi);
  EXPECT_EQ(report.findings[0].signals.at(0).kind, "xmp");
  EXPECT_EQ(report.findings[0].signals.at(0).detail, kTrained);
  EXPECT_FALSE(report.passes());
}

TEST_F(ScannerTest, UnreadableLabelIsAFindingAndHarmlessDamageIsUnchecked) {
  // Names the property, cut off before any value: a label nobody can read.
  const std::string unreadable = write(
      "unreadable.jpg",
      jpeg_with_packet(picture(2), "<x:xmpmeta><rdf:Description Iptc4xmpExt:DigitalSourceType='"));
  FileReport report = scan_one(unreadable);
  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& f = report.findings[0];
  EXPECT_EQ(f.verdict, Verdict::kUndeclaredAi);
  EXPECT_TRUE(f.signals.at(0).unreadable);
  EXPECT_EQ(f.signals.at(0).detail.rfind("unreadable: not well-formed XML", 0), 0u)
      << f.signals.at(0).detail;
  EXPECT_NE(f.reason.find("cannot be read"), std::string::npos) << f.reason;
  EXPECT_FALSE(report.passes());

  // Damage that names no source type hides no label: listed, not failed.
  const std::string damaged =
      write("damaged.jpg", jpeg_with_packet(picture(2), "<x:xmpmeta><rdf:RDF><dc:title>"));
  FileReport harmless = scan_one(damaged);
  EXPECT_TRUE(harmless.findings.empty());
  EXPECT_TRUE(harmless.passes());
  ASSERT_FALSE(harmless.unchecked.empty());
  EXPECT_NE(harmless.unchecked[0].find("names no digital source type"), std::string::npos);
}

// Issue #13, item 8: a match resting on PDQ alone says so.
TEST_F(ScannerTest, PdqAloneIsMarked) {
  const media::Image image = picture(1);
  register_asset(image, domain::AssetStatus::kProvisional);
  FileReport report = scan_one(write("source.png", media::encode_png(image).value()));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_TRUE(report.findings[0].pdq_only);
  EXPECT_NE(report.findings[0].reason.find("found by PDQ alone"), std::string::npos);
  EXPECT_EQ(report.findings[0].reason.rfind("the asset is provisional", 0), 0u);
}

TEST_F(ScannerTest, AnotherProductionsAssetIsUndeclaredAndNamesNothing) {
  const media::Image image = picture(1);
  const int64_t theirs = register_asset(image, domain::AssetStatus::kCleared, kOtherProduction);
  FileReport report = scan_one(write("borrowed.png", media::encode_png(image).value()));
  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& f = report.findings[0];
  EXPECT_EQ(f.verdict, Verdict::kUndeclaredAi);
  EXPECT_FALSE(f.asset_id.has_value());
  EXPECT_TRUE(f.asset_name.empty());
  ASSERT_TRUE(f.elsewhere.has_value());
  EXPECT_EQ(f.elsewhere->asset_id, theirs);
  EXPECT_EQ(f.reason,
            "matches material registered elsewhere, not for this production: ask your studio "
            "contact");
}

// Issue #13, item 7: a scan of nothing never passes, so the JSON agrees with exit code 2.
TEST_F(ScannerTest, EmptyFolderDoesNotPass) {
  fs::create_directories(dir_ / "empty");
  ScanReport report = scan({(dir_ / "empty").string()}, registry_, options_);
  EXPECT_EQ(report.files_scanned(), 0);
  EXPECT_FALSE(report.passes());
  EXPECT_NE(report_json(report).find("\"passes\": false"), std::string::npos);
  EXPECT_NE(report_html(report).find("FAILS"), std::string::npos);
}

// Issue #17: a passing delivery says what it was not checked for, in the JSON and the page.
TEST_F(ScannerTest, ReportSaysWhatWasNotChecked) {
  const std::string still = write("plate.png", media::encode_png(picture(1)).value());
  ScanReport bare = scan({still}, registry_, options_);
  EXPECT_TRUE(bare.passes());
  ASSERT_EQ(bare.not_checked.size(), 2u);
  EXPECT_EQ(bare.not_checked[0].rfind("invisible watermarks: no watermark key", 0), 0u);
  EXPECT_EQ(bare.not_checked[1].rfind("registered outputs: production show has none", 0), 0u);
  EXPECT_NE(report_json(bare).find("no watermark key was given"), std::string::npos);
  EXPECT_NE(report_html(bare).find("<h2>Not checked</h2>"), std::string::npos);

  register_asset(picture(2), domain::AssetStatus::kCleared);
  options_.watermark_key = watermark::WatermarkKey::from_passphrase("not checked test").value();
  ScanReport full = scan({still}, registry_, options_);
  EXPECT_TRUE(full.passes());
  EXPECT_TRUE(full.not_checked.empty());
  EXPECT_NE(report_json(full).find("\"not_checked\": []"), std::string::npos);
  EXPECT_EQ(report_html(full).find("Not checked"), std::string::npos);
}

// Numbered frames that run on are one image sequence; a camera's numbered photos, and numbers
// with a gap, are stills scanned one by one (each with its own labels and verdict).
TEST_F(ScannerTest, OnlyFramesThatRunOnMakeAnImageSequence) {
  const fs::path folder = dir_ / "delivery";
  fs::create_directories(folder);
  for (const char* name : {"shot_0001.png", "shot_0002.png", "shot_0003.png", "IMG_0041.jpg",
                           "IMG_0042.jpg", "still_1.png", "still_3.png"}) {
    std::ofstream(folder / name) << "x";
  }
  std::vector<ScanInput> inputs = expand_inputs({folder.string()}, FileGate(), nullptr, nullptr);
  std::map<std::string, bool> seen;  // file name -> image sequence
  for (const ScanInput& input : inputs) {
    seen[fs::path(input.path).filename().string()] = input.image_sequence;
  }
  const std::map<std::string, bool> expected = {{"shot_0001.png", true},
                                                {"IMG_0041.jpg", false},
                                                {"IMG_0042.jpg", false},
                                                {"still_1.png", false},
                                                {"still_3.png", false}};
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace clearcut::scan
