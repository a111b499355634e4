#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <sys/wait.h>

#include "clearcut/app/demo.h"
#include "clearcut/app/service.h"
#include "clearcut/base/base64.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/match/code.h"
#include "clearcut/match/match_index.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/media/orientation.h"
#include "clearcut/media/thumbnail.h"
#include "clearcut/provenance/pdq/pdq_hash.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/watermark/watermark_attacks.h"
#include "clearcut/provenance/watermark/watermark_embedder.h"
#include "clearcut/provenance/watermark/watermark_key.h"
#include "clearcut/provenance/xmp/photo_metadata.h"
#include "clearcut/provenance/xmp/photo_samples.h"
#include "clearcut/scan/file_gate.h"
#include "clearcut/scan/registry.h"
#include "clearcut/scan/scanner.h"
#include "clearcut/scan/thumbnails.h"
#include "clearcut/scan/timecode.h"
#include "clearcut/stamp/reframings.h"
#include "clearcut/store/store.h"

namespace clearcut::scan {
namespace {

namespace fs = std::filesystem;

int run(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ffmpeg(const std::string& args) {
  ASSERT_EQ(run(std::string(FFMPEG_CLI) + " -hide_banner -loglevel error -y " + args), 0) << args;
}

// A thumbnail as the report carries it: base64 of a JPEG that decodes within 160x160.
std::optional<media::Image> decode_thumbnail(const std::string& base64) {
  auto jpeg = base::base64_decode(base64);
  EXPECT_TRUE(jpeg.has_value()) << "not base64: " << base64.substr(0, 40);
  if (!jpeg) {
    return std::nullopt;
  }
  EXPECT_EQ(media::sniff_image_format(*jpeg), media::ImageFormat::kJpeg);
  auto image = media::decode_image(*jpeg);
  EXPECT_TRUE(image.has_value()) << (image ? "" : image.error().to_string());
  if (!image) {
    return std::nullopt;
  }
  EXPECT_LE(image->width, 160);
  EXPECT_LE(image->height, 160);
  return *image;
}

// The timeline block of finding `number` (1-based) of file `file_index` in the HTML: its
// verdict class and its left edge and width in percent of the bar.
struct Block {
  std::string verdict_class;
  double left = -1;
  double width = -1;
};
std::optional<Block> find_block(const std::string& html, size_t file_index, size_t number) {
  const std::string href =
      "href=\"#f" + std::to_string(file_index) + "-" + std::to_string(number) + "\"";
  const size_t at = html.find(href);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  const size_t open = html.rfind("<a class=\"block ", at);
  const size_t style = html.find("style=\"left:", at);
  if (open == std::string::npos || style == std::string::npos) {
    return std::nullopt;
  }
  Block block;
  const size_t cls = open + std::string("<a class=\"block ").size();
  block.verdict_class = html.substr(cls, html.find('"', cls) - cls);
  const size_t left = style + std::string("style=\"left:").size();
  block.left = std::stod(html.substr(left));
  const size_t width = html.find("width:", left) + std::string("width:").size();
  block.width = std::stod(html.substr(width));
  return block;
}

class ScanEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("clearcut-scan-e2e-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_ / "cleared");
    fs::create_directories(*dir_ / "provisional");
    fs::create_directories(*dir_ / "corrupt");
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static fs::path* dir_;

  std::string path(const std::string& name) const { return (*dir_ / name).string(); }
  std::string db() const { return "sqlite:" + path("clearcut.db"); }

  // A registered asset of use case 3 (the demo's approved one) with the still's PDQ hash.
  int64_t register_still(const std::string& still, domain::AssetStatus status,
                         const std::string& url = "") {
    auto image = media::decode_image_file(still);
    EXPECT_TRUE(image.has_value());
    provenance::PdqHasher hasher;
    provenance::PdqResult hash = hasher.hash(provenance::PixelView{
        image->pixels.data(), image->width, image->height, image->channels, 0});
    EXPECT_GE(hash.quality, 50);
    auto store = store::open_store(url.empty() ? db() : url);
    EXPECT_TRUE(store.has_value());
    auto tx = (*store)->begin();
    auto use_case = (*tx)->use_cases().get(3);
    EXPECT_TRUE(use_case.has_value());
    domain::Asset asset;
    asset.production_id = use_case->production_id;
    asset.use_case_id = 3;
    asset.file_name = fs::path(still).filename().string();
    asset.media_type = "image/png";
    asset.sha256 = std::string(64, '0');
    asset.pdq = hash.hash.to_hex();
    asset.pdq_quality = hash.quality;
    // Several codes of one asset, as a stamped video registers: matches name the asset.
    asset.frame_pdq = {asset.pdq, std::string(64, 'f')};
    asset.width = image->width;
    asset.height = image->height;
    auto thumbnail = media::encode_thumbnail(*image);  // as `clearcut stamp` makes it
    EXPECT_TRUE(thumbnail.has_value());
    asset.thumbnail = base::base64_encode(*thumbnail);
    asset.status = domain::AssetStatus::kProvisional;
    asset.created_by = use_case->created_by;
    asset.created_at = clearance::format_rfc3339(std::chrono::system_clock::now());
    auto id = (*tx)->assets().create(asset);
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().to_string());
    if (status != domain::AssetStatus::kProvisional) {
      EXPECT_TRUE((*tx)->assets().set_status(*id, status).has_value());
    }
    EXPECT_TRUE((*tx)->commit().has_value());
    return *id;
  }

  // testsrc2 host footage with the still shown, scaled and re-encoded, from 3 s to 5 s at 25 fps.
  void host_video(const std::string& still, const std::string& out) {
    ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25:duration=3 -loop 1 -framerate 25 -t 2 -i " +
           still +
           " -f lavfi -i testsrc2=size=320x240:rate=25:duration=2 -filter_complex "
           "\"[0:v]format=yuv420p,setsar=1[a];[1:v]scale=320:240,fps=25,format=yuv420p,setsar=1[b];"
           "[2:v]format=yuv420p,setsar=1[c];[a][b][c]concat=n=3:v=1:a=0\" -c:v libx264 -crf 26 " +
           out);
  }
};

fs::path* ScanEndToEnd::dir_ = nullptr;

TEST_F(ScanEndToEnd, VerdictsTimecodesAndExitCodes) {
  {
    app::ServiceConfig config;
    config.db = db();
    config.signing_key = path("audit.key");
    auto service = app::Service::open(config);
    ASSERT_TRUE(service.has_value()) << service.error().to_string();
    auto demo = app::seed_demo(**service);
    ASSERT_TRUE(demo.has_value()) << demo.error().to_string();
  }
  ffmpeg("-f lavfi -i mandelbrot=size=640x360 -frames:v 1 " + path("cleared.png"));
  // Mid-frequency structure, as a real frame has: pixel-level noise would not survive the
  // host's scaling and re-encoding, for PDQ or for a viewer.
  ffmpeg(
      "-f lavfi -i mandelbrot=size=640x360:start_x=-0.1011:start_y=0.9563:start_scale=0.02 "
      "-frames:v 1 -pix_fmt rgb24 " +
      path("provisional.png"));
  int64_t cleared = register_still(path("cleared.png"), domain::AssetStatus::kCleared);
  int64_t provisional = register_still(path("provisional.png"), domain::AssetStatus::kProvisional);
  host_video(path("cleared.png"), path("cleared/host.mp4"));
  host_video(path("provisional.png"), path("provisional/host.mp4"));
  {
    std::ofstream corrupt(path("corrupt/broken.mp4"), std::ios::binary);
    corrupt << "this is not a video at all, just bytes that end too soon";
  }

  auto store = store::open_store(db());
  ASSERT_TRUE(store.has_value());
  auto registry = load_registry(**store, "squid-game-s3");
  ASSERT_TRUE(registry.has_value()) << registry.error().to_string();
  // An output as the store holds it: the registry keeps no hashes or thumbnails of its own.
  auto stored = [&store](int64_t id) {
    auto tx = (*store)->begin();
    EXPECT_TRUE(tx.has_value());
    return (*tx)->assets().get(id).value();
  };
  EXPECT_TRUE(registry->assets.at(cleared).thumbnail.empty());
  EXPECT_TRUE(registry->assets.at(cleared).pdq.empty());
  ScanOptions options;
  options.now = clearance::format_rfc3339(std::chrono::system_clock::now());
  std::vector<ScanProgress> progress;
  options.progress = [&progress](const ScanProgress& p) {
    progress.push_back(p);
  };
  ScanReport report =
      scan({path("cleared"), path("provisional"), path("corrupt")}, *registry, options);
  ASSERT_EQ(report.files.size(), 3u);
  // Progress: each video in order, media time rising every half second to its 7 s, then done.
  ASSERT_GT(progress.size(), 20u);
  EXPECT_EQ(progress.front().file_index, 0);
  EXPECT_EQ(progress.front().files_total, 3);  // two videos and the corrupt file
  EXPECT_NEAR(progress.front().duration_seconds, 7.0, 0.1);
  for (size_t i = 1; i < progress.size(); ++i) {
    const ScanProgress& a = progress[i - 1];
    const ScanProgress& b = progress[i];
    EXPECT_TRUE(b.file_index > a.file_index ||
                (b.file_index == a.file_index && b.seconds >= a.seconds))
        << i;
  }
  EXPECT_EQ(progress.back().file_index, 2);
  auto end_of_first = std::find_if(progress.begin(), progress.end(),
                                   [](const ScanProgress& p) { return p.file_index == 1; });
  ASSERT_NE(end_of_first, progress.begin());
  EXPECT_EQ(std::prev(end_of_first)->frames, 175);
  EXPECT_TRUE(std::prev(end_of_first)->file_finished);
  EXPECT_FALSE(end_of_first->file_finished);
  EXPECT_NEAR(std::prev(end_of_first)->seconds, 7.0, 0.1);

  // A scan stopped from another thread ends at the next frame, and says so.
  std::atomic<bool> cancel{true};
  ScanOptions stopped = options;
  stopped.progress = nullptr;
  stopped.cancel = &cancel;
  ScanReport cut_short = scan({path("cleared")}, *registry, stopped);
  EXPECT_TRUE(cut_short.files.empty() || cut_short.files[0].error == "the scan was stopped")
      << report_json(cut_short);
  EXPECT_FALSE(report.passes());
  EXPECT_EQ(report.files_scanned(), 2);

  const FileReport& good = report.files[0];
  ASSERT_TRUE(good.error.empty()) << good.error;
  EXPECT_EQ(good.kind, "video");
  EXPECT_EQ(good.frames_decoded, 175);
  ASSERT_EQ(good.findings.size(), 1u) << report_json(report);
  const Finding& f = good.findings[0];
  EXPECT_EQ(f.asset_id, cleared);
  EXPECT_EQ(f.verdict, Verdict::kCleared) << f.reason;
  EXPECT_NEAR(static_cast<double>(f.first_frame), 75, 2);
  EXPECT_NEAR(static_cast<double>(f.last_frame), 124, 2);
  EXPECT_EQ(f.start_timecode.substr(0, 8), "00:00:03");
  EXPECT_EQ(f.signals.at(0).kind, "pdq");
  EXPECT_TRUE(good.passes());

  const FileReport& bad = report.files[1];
  ASSERT_EQ(bad.findings.size(), 1u) << report_json(report);
  EXPECT_EQ(bad.findings[0].asset_id, provisional);
  EXPECT_EQ(bad.findings[0].verdict, Verdict::kProvisionalInFinal);
  EXPECT_NEAR(static_cast<double>(bad.findings[0].first_frame), 75, 2);
  EXPECT_NEAR(static_cast<double>(bad.findings[0].last_frame), 124, 2);

  const FileReport& broken = report.files[2];
  EXPECT_FALSE(broken.error.empty());
  EXPECT_FALSE(broken.passes());
  EXPECT_NE(report_json(report).find("\"provisional_in_final\""), std::string::npos);
  EXPECT_NE(report_html(report).find("Disclosure list"), std::string::npos);

  // Pictures and durations, added after the scan.
  EXPECT_TRUE(f.frame_thumbnail.empty());
  ASSERT_TRUE(load_thumbnails(**store, report, *registry).has_value());
  add_thumbnails(report, *registry);
  const provenance::PdqHash cleared_pdq = *provenance::PdqHash::from_hex(stored(cleared).pdq);
  const provenance::PdqHash provisional_pdq =
      *provenance::PdqHash::from_hex(stored(provisional).pdq);
  for (size_t i = 0; i < 2; ++i) {
    const FileReport& file = report.files[i];
    SCOPED_TRACE(file.path);
    EXPECT_NEAR(file.duration_seconds, 7.0, 0.1);
    const Finding& finding = file.findings.at(0);
    EXPECT_FALSE(finding.asset_thumbnail.empty());
    EXPECT_EQ(finding.asset_thumbnail, stored(*finding.asset_id).thumbnail);
    auto frame = decode_thumbnail(finding.frame_thumbnail);
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(frame->width, 160);  // the 320x240 host
    EXPECT_EQ(frame->height, 120);
    // The frame pictured is one that shows the asset, not the host footage around it.
    provenance::PdqHasher hasher;
    provenance::PdqResult seen = hasher.hash(provenance::PixelView{
        frame->pixels.data(), frame->width, frame->height, frame->channels, 0});
    const provenance::PdqHash& own = i == 0 ? cleared_pdq : provisional_pdq;
    const provenance::PdqHash& other = i == 0 ? provisional_pdq : cleared_pdq;
    EXPECT_LE(match::hamming_distance(seen.hash.words(), own.words()), 40);
    EXPECT_GT(match::hamming_distance(seen.hash.words(), other.words()),
              match::hamming_distance(seen.hash.words(), own.words()));
    auto asset_picture = decode_thumbnail(finding.asset_thumbnail);
    ASSERT_TRUE(asset_picture.has_value());
    EXPECT_EQ(asset_picture->width, 160);  // the 640x360 still
    EXPECT_EQ(asset_picture->height, 90);
  }

  const std::string html = report_html(report);
  for (size_t i = 0; i < 2; ++i) {
    const FileReport& file = report.files[i];
    const Finding& finding = file.findings[0];
    auto block = find_block(html, i, 1);
    ASSERT_TRUE(block.has_value()) << "no timeline block for " << file.path;
    EXPECT_EQ(block->verdict_class, i == 0 ? "v-cleared" : "v-provisional_in_final");
    EXPECT_NEAR(block->left, 100.0 * finding.start_seconds / file.duration_seconds, 0.01);
    EXPECT_NEAR(block->left, 100.0 * 3.0 / 7.0, 1.5);
    EXPECT_NEAR(block->width,
                100.0 * (finding.end_seconds - finding.start_seconds) / file.duration_seconds,
                0.01);
    EXPECT_NEAR(block->width, 100.0 * 2.0 / 7.0, 1.5);
    EXPECT_NE(html.find("<img src=\"data:image/jpeg;base64," + finding.frame_thumbnail + "\""),
              std::string::npos);
    EXPECT_NE(html.find("<img src=\"data:image/jpeg;base64," + finding.asset_thumbnail + "\""),
              std::string::npos);
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);

  auto parsed = nlohmann::json::parse(report_json(report));
  const auto& jf = parsed["files"][0];
  EXPECT_NEAR(jf["duration_seconds"].get<double>(), 7.0, 0.1);
  EXPECT_EQ(jf["findings"][0]["frame_thumbnail"], f.frame_thumbnail);
  EXPECT_EQ(jf["findings"][0]["asset_thumbnail"], f.asset_thumbnail);
  EXPECT_EQ(parsed["disclosure"][0]["frame_thumbnail"], f.frame_thumbnail);
  EXPECT_TRUE(parsed["files"][2]["duration_seconds"].is_null());

  // A still: its finding is pictured by the image itself.
  ScanReport still = scan({path("cleared.png")}, *registry, options);
  ASSERT_EQ(still.files.at(0).findings.size(), 1u) << report_json(still);
  ASSERT_TRUE(load_thumbnails(**store, still, *registry).has_value());
  add_thumbnails(still, *registry);
  auto still_picture = decode_thumbnail(still.files[0].findings[0].frame_thumbnail);
  ASSERT_TRUE(still_picture.has_value());
  EXPECT_EQ(still_picture->width, 160);
  EXPECT_EQ(still_picture->height, 90);
  EXPECT_EQ(still_picture->channels, 3);
  EXPECT_EQ(report_html(still).find("class=\"timeline\""), std::string::npos);

  // The bound: with room for one finding, the second file gets no pictures.
  ScanReport bounded = scan({path("cleared"), path("provisional")}, *registry, options);
  add_thumbnails(bounded, *registry, 1);
  EXPECT_FALSE(bounded.files.at(0).findings.at(0).frame_thumbnail.empty());
  EXPECT_TRUE(bounded.files.at(1).findings.at(0).frame_thumbnail.empty());
  EXPECT_TRUE(bounded.files.at(1).findings.at(0).asset_thumbnail.empty());
  EXPECT_NEAR(bounded.files.at(1).duration_seconds, 7.0, 0.1);

  const std::string cli = std::string(CLEARCUT_BINARY) + " scan --production squid-game-s3 --db " +
                          db() + " --stride 2 ";
  EXPECT_EQ(run(cli + path("cleared") + " --json " + path("cleared.json") + " 2>/dev/null"), 0);
  EXPECT_EQ(run(cli + path("cleared") + " " + path("provisional") + " --html " + path("r.html") +
                " 2>/dev/null"),
            1);
  EXPECT_EQ(run(cli + path("corrupt") + " 2>/dev/null"), 2);
  // Issue #13, item 7: nothing scanned is exit 2, and the JSON says the delivery does not pass.
  fs::create_directories(path("empty"));
  EXPECT_EQ(run(cli + path("empty") + " --json " + path("empty.json") + " 2>/dev/null"), 2);
  {
    std::ifstream empty_json(path("empty.json"));
    auto empty = nlohmann::json::parse(empty_json, nullptr, false);
    ASSERT_TRUE(empty.is_object());
    EXPECT_EQ(empty["passes"], false);
    EXPECT_EQ(empty["files_scanned"], 0);
  }
  EXPECT_EQ(run(cli + path("corrupt") + " " + path("cleared") + " 2>/dev/null"), 1);
  std::ifstream json(path("cleared.json"));
  std::string text((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"disclosure\""), std::string::npos);
  EXPECT_NE(text.find("\"cleared\""), std::string::npos);
  auto cli_json = nlohmann::json::parse(text);
  EXPECT_TRUE(decode_thumbnail(cli_json["files"][0]["findings"][0]["frame_thumbnail"]));
  EXPECT_TRUE(decode_thumbnail(cli_json["files"][0]["findings"][0]["asset_thumbnail"]));
  std::ifstream html_file(path("r.html"));
  std::string cli_html((std::istreambuf_iterator<char>(html_file)),
                       std::istreambuf_iterator<char>());
  EXPECT_TRUE(find_block(cli_html, 0, 1).has_value()) << "no timeline in the CLI's report";
  EXPECT_TRUE(find_block(cli_html, 1, 1).has_value());
  EXPECT_NE(cli_html.find("data:image/jpeg;base64,"), std::string::npos);

  // Issue #11: another production's scan of a delivery that holds this production's output
  // fails, and learns only that the material is registered elsewhere: not the asset's name, id,
  // status, production or thumbnail, in the JSON or the HTML; registered_assets counts only
  // its own outputs.
  fs::create_directories(path("other-delivery"));
  // Re-encoded, so that its own picture differs from the asset's thumbnail (which must not show).
  ffmpeg("-i " + path("provisional.png") + " -q:v 4 " + path("other-delivery/frame.jpg"));
  EXPECT_EQ(run(std::string(CLEARCUT_BINARY) + " scan --production other-show --db " + db() + " " +
                path("other-delivery") + " --json " + path("other.json") + " --html " +
                path("other.html") + " 2>/dev/null"),
            1);
  std::ifstream other_json_file(path("other.json"));
  const std::string other_json((std::istreambuf_iterator<char>(other_json_file)),
                               std::istreambuf_iterator<char>());
  std::ifstream other_html_file(path("other.html"));
  const std::string other_html((std::istreambuf_iterator<char>(other_html_file)),
                               std::istreambuf_iterator<char>());
  const domain::Asset theirs = stored(provisional);
  ASSERT_FALSE(theirs.thumbnail.empty());
  for (const std::string* page : {&other_json, &other_html}) {
    EXPECT_EQ(page->find(theirs.file_name), std::string::npos) << *page;
    EXPECT_EQ(page->find(theirs.thumbnail), std::string::npos);
    EXPECT_EQ(page->find("squid-game-s3"), std::string::npos);
    EXPECT_NE(page->find("registered elsewhere"), std::string::npos);
  }
  EXPECT_EQ(other_json.find("provisional"), std::string::npos);  // the asset's status
  auto other = nlohmann::json::parse(other_json);
  EXPECT_EQ(other["registered_assets"], 0);
  ASSERT_EQ(other["files"][0]["findings"].size(), 1u) << other_json;
  const auto& hit = other["files"][0]["findings"][0];
  EXPECT_TRUE(hit["asset_id"].is_null());
  EXPECT_TRUE(hit["asset_production_id"].is_null());
  EXPECT_EQ(hit["asset_status"], "");
  EXPECT_TRUE(hit["asset_thumbnail"].is_null());
  EXPECT_EQ(hit["registered_elsewhere"], true);
  EXPECT_EQ(hit["verdict"], "undeclared_ai");
  // The show's own scan counts only its own outputs too.
  EXPECT_EQ(cli_json["registered_assets"], 2);
  // In the library: the finding keeps, apart, whose output it is, for that production.
  auto other_registry = load_registry(**store, "other-show");
  ASSERT_TRUE(other_registry.has_value());
  ScanReport other_report = scan({path("other-delivery")}, *other_registry, options);
  ASSERT_TRUE(load_thumbnails(**store, other_report, *other_registry).has_value());
  add_thumbnails(other_report, *other_registry);
  std::vector<CrossProductionHit> hits = cross_production_hits(other_report);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].asset_id, provisional);
  EXPECT_EQ(hits[0].production_id, theirs.production_id);
  auto hit_json = nlohmann::json::parse(hits[0].finding_json);
  EXPECT_EQ(hit_json["asset_name"], theirs.file_name);
  EXPECT_EQ(hit_json["asset_thumbnail"], theirs.thumbnail);
  EXPECT_EQ(hit_json["asset_status"], "provisional");
}

// A registry of one production holding one asset: the still at `still`, named `name`.
Registry registry_of(const std::string& still, const std::string& name) {
  Registry registry;
  registry.production.id = 1;
  registry.production.code = "show";
  auto image = media::decode_image_file(still);
  EXPECT_TRUE(image.has_value());
  provenance::PdqHasher hasher;
  provenance::PdqResult hash = hasher.hash(
      provenance::PixelView{image->pixels.data(), image->width, image->height, image->channels, 0});
  domain::Asset asset;
  asset.id = 7;
  asset.production_id = 1;
  asset.use_case_id = 1;
  asset.file_name = name;
  asset.pdq = hash.hash.to_hex();
  asset.status = domain::AssetStatus::kProvisional;
  registry.assets.emplace(asset.id, asset);
  registry.own_assets = 1;
  registry.code_asset.push_back(asset.id);
  std::vector<match::Entry> entries{match::Entry{1, match::Code{hash.hash.words()}}};
  registry.index = std::move(match::MatchIndex::build(entries).value());
  return registry;
}

// Issue #13, item 5: on a file of variable frame rate, timecodes come from presentation times.
// The host runs at 25 fps for its first second, then its frames come every 80 ms; the still
// shown in frames 75..124 is on screen from 5.00 s to 9.00 s, not at 3 s as the frame count
// would put it.
// A scan worker's registry between jobs (RegistryCache): read whole once, then only the
// outputs stamped since, which scans find; a status changed in between is seen.
TEST_F(ScanEndToEnd, ARegistryKeptBetweenScansReadsOnlyWhatIsNew) {
  const std::string url = "sqlite:" + path("kept.db");
  {
    app::ServiceConfig config;
    config.db = url;
    config.signing_key = path("kept-audit.key");
    auto service = app::Service::open(config);
    ASSERT_TRUE(service.has_value()) << service.error().to_string();
    ASSERT_TRUE(app::seed_demo(**service).has_value());
  }
  ffmpeg(
      "-f lavfi -i mandelbrot=size=640x360:start_x=-0.7453:start_y=0.1127:start_scale=0.01 "
      "-frames:v 1 -pix_fmt rgb24 " +
      path("kept.png"));
  const int64_t first = register_still(path("kept.png"), domain::AssetStatus::kProvisional, url);
  auto store = store::open_store(url);
  ASSERT_TRUE(store.has_value());
  RegistryCache cache(**store);
  auto registry = cache.refresh("squid-game-s3");
  ASSERT_TRUE(registry.has_value()) << registry.error().to_string();
  const size_t everything = cache.read_last();
  EXPECT_GE(everything, 1u);
  EXPECT_EQ((*registry)->assets.at(first).status, domain::AssetStatus::kProvisional);
  const int own = (*registry)->own_assets;
  ASSERT_TRUE(cache.refresh("squid-game-s3").has_value());
  EXPECT_EQ(cache.read_last(), 0u);  // nothing new, nothing read

  // Stamped since, and a status changed: one output read, the status seen.
  ffmpeg(
      "-f lavfi -i mandelbrot=size=640x360:start_x=-1.2500:start_y=0.0200:start_scale=0.05 "
      "-frames:v 1 -pix_fmt rgb24 " +
      path("later.png"));
  const int64_t later = register_still(path("later.png"), domain::AssetStatus::kProvisional, url);
  {
    auto tx = (*store)->begin();
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE((*tx)->assets().set_status(first, domain::AssetStatus::kRejected).has_value());
    ASSERT_TRUE((*tx)->commit().has_value());
  }
  registry = cache.refresh("squid-game-s3");
  ASSERT_TRUE(registry.has_value());
  EXPECT_EQ(cache.read_last(), 1u);
  EXPECT_EQ((*registry)->own_assets, own + 1);
  EXPECT_EQ((*registry)->assets.at(first).status, domain::AssetStatus::kRejected);
  fs::create_directories(path("later"));
  host_video(path("later.png"), path("later/host.mp4"));
  ScanOptions options;
  options.now = clearance::format_rfc3339(std::chrono::system_clock::now());
  ScanReport report = scan({path("later")}, **registry, options);
  ASSERT_EQ(report.files.size(), 1u);
  ASSERT_EQ(report.files[0].findings.size(), 1u) << report_json(report);
  EXPECT_EQ(report.files[0].findings[0].asset_id, later);
  EXPECT_EQ(report.files[0].findings[0].verdict, Verdict::kProvisionalInFinal);
  // What a registry read whole says, the kept one says too.
  auto whole = load_registry(**store, "squid-game-s3");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->own_assets, (*registry)->own_assets);
  EXPECT_EQ(whole->code_asset, (*registry)->code_asset);
  EXPECT_EQ(whole->assets.size(), (*registry)->assets.size());
  ScanReport again = scan({path("later")}, *whole, options);
  ASSERT_EQ(again.files.at(0).findings.size(), 1u);
  EXPECT_EQ(again.files[0].findings[0].asset_id, later);
  EXPECT_EQ(again.files[0].findings[0].first_frame, report.files[0].findings[0].first_frame);
  EXPECT_EQ(again.files[0].findings[0].last_frame, report.files[0].findings[0].last_frame);
}

TEST(ScanTimecodes, VariableFrameRateUsesPresentationTimes) {
  const fs::path dir =
      fs::temp_directory_path() / ("clearcut-scan-vfr-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string still = (dir / "still.png").string();
  const std::string vfr = (dir / "vfr.mp4").string();
  ffmpeg("-f lavfi -i mandelbrot=size=640x360 -frames:v 1 " + still);
  ffmpeg(
      "-f lavfi -i testsrc2=size=320x240:rate=25:duration=3 -loop 1 -framerate 25 -t 2 -i " +
      still +
      " -f lavfi -i testsrc2=size=320x240:rate=25:duration=2 -filter_complex "
      "\"[0:v]format=yuv420p,setsar=1[a];[1:v]scale=320:240,fps=25,format=yuv420p,setsar=1[b];"
      "[2:v]format=yuv420p,setsar=1[c];[a][b][c]concat=n=3:v=1:a=0,"
      "setpts='if(lt(N,25),N/25,1+(N-25)*2/25)/TB'\" -fps_mode passthrough -video_track_timescale "
      "1000 -c:v libx264 -crf 26 " +
      vfr);
  Registry registry = registry_of(still, "still.png");
  ScanOptions options;
  options.now = "2026-12-06T12:00:00Z";
  ScanReport report = scan({vfr}, registry, options);
  ASSERT_EQ(report.files.size(), 1u);
  const FileReport& file = report.files[0];
  ASSERT_TRUE(file.error.empty()) << file.error;
  EXPECT_TRUE(file.variable_frame_rate) << file.frame_rate;
  ASSERT_EQ(file.findings.size(), 1u) << report_json(report);
  const Finding& f = file.findings[0];
  EXPECT_NEAR(static_cast<double>(f.first_frame), 75, 2);
  EXPECT_NEAR(static_cast<double>(f.last_frame), 124, 2);
  EXPECT_NEAR(f.start_seconds, 5.0, 0.17);
  EXPECT_NEAR(f.end_seconds, 9.0, 0.17);
  const media::Rational rate = [&] {
    const size_t slash = file.frame_rate.find('/');
    return media::Rational{std::stoi(file.frame_rate.substr(0, slash)),
                           std::stoi(file.frame_rate.substr(slash + 1))};
  }();
  EXPECT_EQ(f.start_timecode,
            format_timecode(std::llround(f.start_seconds * rate.to_double()), rate, false));
  EXPECT_EQ(f.start_timecode.substr(0, 8), "00:00:05");
  EXPECT_NE(report_json(report).find("\"variable_frame_rate\": true"), std::string::npos)
      << report_json(report);
  fs::remove_all(dir);
}

// A registry of one provisional still, asset 7 of production 1: its own hash and `extra` codes
// (its reframings).
Registry registry_of_still(const provenance::PdqHash& own, const std::vector<std::string>& extra) {
  Registry registry;
  registry.production.id = 1;
  registry.production.code = "show";
  domain::Asset asset;
  asset.id = 7;
  asset.production_id = 1;
  asset.use_case_id = 1;
  asset.file_name = "still.png";
  asset.pdq = own.to_hex();
  asset.frame_pdq = extra;
  asset.status = domain::AssetStatus::kProvisional;
  registry.assets.emplace(asset.id, asset);
  registry.own_assets = 1;
  std::vector<match::Entry> entries;
  entries.push_back(match::Entry{1, match::Code{own.words()}});
  registry.code_asset.push_back(asset.id);
  for (const std::string& hex : extra) {
    registry.code_asset.push_back(asset.id);
    entries.push_back(match::Entry{static_cast<int64_t>(registry.code_asset.size()),
                                   match::Code{provenance::PdqHash::from_hex(hex)->words()}});
  }
  registry.index = std::move(match::MatchIndex::build(entries).value());
  return registry;
}

// Issue #13, item 3: a still an editor fits into a shot (filling a 16:9 or scope frame, pushed
// in 10%, at a quarter of its size) is found through the reframings registered with it; its own
// hash alone misses most of these.
TEST(ScanReframing, StillFittedIntoShotsIsFoundAtEveryFraming) {
  const fs::path dir =
      fs::temp_directory_path() / ("clearcut-scan-reframe-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string still = (dir / "still.png").string();
  // 4:3, 2560 wide, with structure over the whole picture (a photo-like subject off centre).
  ffmpeg(
      "-f lavfi -i mandelbrot=size=2560x1920:start_x=-0.7454:start_y=0.1130:start_scale=0.04 "
      "-frames:v 1 -pix_fmt rgb24 " +
      still);
  auto image = media::decode_image_file(still);
  ASSERT_TRUE(image.has_value());
  provenance::PdqHasher hasher;
  const provenance::PixelView pixels{image->pixels.data(), image->width, image->height,
                                     image->channels, 0};
  const provenance::PdqResult own = hasher.hash(pixels);
  const std::vector<std::string> reframed = stamp::reframing_pdq(hasher, pixels, own.hash);
  ASSERT_GE(reframed.size(), 4u);

  const Registry with_reframings = registry_of_still(own.hash, reframed);
  const Registry own_only = registry_of_still(own.hash, {});

  // Each rendition: 1 s of host, the still for 2 s (frames 25..74), 1 s of host, H.264 CRF 23.
  const std::map<std::string, std::string> renditions = {
      {"fill_16x9_720p", "scale=1280:-2,crop=1280:720"},
      {"fill_16x9_360p_quarter", "scale=640:-2,crop=640:360"},
      {"scope_letterbox", "scale=1280:-2,crop=1280:536,pad=1280:720:0:92"},
      {"pushin_10pct", "crop=iw*0.9:ih*0.9,scale=960:720"},
      // The 16:9 fill cut again by 10% in a conform (a 10% crop of the delivery).
      {"fill_16x9_crop10", "scale=1280:-2,crop=1280:720,crop=1152:648,scale=1280:720"},
      // A push-in from the 16:9 fill to 120% over the shot.
      {"fill_16x9_pushin_20pct",
       "scale=1280:-2,crop=1280:720,zoompan=z='1+0.2*on/49':d=1:s=1280x720:fps=25:"
       "x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'"},
  };
  int own_hits = 0;
  for (const auto& [name, fit] : renditions) {
    const std::string out = (dir / (name + ".mp4")).string();
    const std::string size = name == "fill_16x9_360p_quarter" ? "640x360" : "1280x720";
    ffmpeg("-f lavfi -i testsrc2=size=" + size +
           ":rate=25:duration=1 -loop 1 -framerate 25 -t 2 -i " + still +
           " -f lavfi -i testsrc2=size=" + size +
           ":rate=25:duration=1 -filter_complex \"[0:v]format=yuv420p,setsar=1[a];[1:v]" + fit +
           ",pad=" + (size == "640x360" ? std::string("640:360") : std::string("1280:720")) +
           ":(ow-iw)/2:(oh-ih)/2,fps=25,format=yuv420p,setsar=1[b];[2:v]format=yuv420p,setsar=1[c];"
           "[a][b][c]concat=n=3:v=1:a=0\" -c:v libx264 -crf 23 " +
           out);
    ScanOptions options;
    options.now = "2026-12-06T12:00:00Z";
    ScanReport report = scan({out}, with_reframings, options);
    ASSERT_EQ(report.files.size(), 1u);
    const FileReport& file = report.files[0];
    ASSERT_TRUE(file.error.empty()) << name << ": " << file.error;
    ASSERT_EQ(file.findings.size(), 1u) << name << "\n" << report_json(report);
    EXPECT_EQ(file.findings[0].asset_id, 7) << name;
    EXPECT_NEAR(static_cast<double>(file.findings[0].first_frame), 25, 1) << name;
    EXPECT_NEAR(static_cast<double>(file.findings[0].last_frame), 74, 1) << name;
    own_hits += scan({out}, own_only, options).files[0].findings.empty() ? 0 : 1;
  }
  // The reframings are what finds them: the still's own hash alone misses some.
  EXPECT_LT(own_hits, static_cast<int>(renditions.size()));
  RecordProperty("found_by_own_hash_alone", own_hits);
  fs::remove_all(dir);
}

// Issue #13: a photo shown between bars (a 4:3 photo's 2.39:1 crop letterboxed, a portrait
// pillarboxed) under two burned-in subtitle lines, which run over the picture's bottom rows and,
// edge to edge, across the bars. The scan trims the bars as if the text were not there and
// hashes the picture again above the subtitles, as the still registers it: PDQ alone (no
// watermark, no label) finds each shot at its frames. Real photos (Debian's mate-backgrounds,
// installed by scripts/bootstrap): on these two the whole-picture hash lies past the radius.
TEST(ScanReframing, StillBetweenBarsUnderBurnedInSubtitlesIsFound) {
  const std::string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  const std::string photos = "/usr/share/backgrounds/mate/nature/";
  for (const std::string& needed : {font, photos + "FreshFlower.jpg", photos + "Blinds.jpg"}) {
    ASSERT_TRUE(fs::exists(needed))
        << needed << " is missing: scripts/bootstrap installs fonts-dejavu-core, mate-backgrounds";
  }
  const fs::path dir =
      fs::temp_directory_path() / ("clearcut-scan-subtitles-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  struct Case {
    std::string photo;
    std::string size;  // the still's
    std::string fit;   // into a 1280x720 frame, before padding to it
  };
  const Case cases[] = {
      {"FreshFlower", "2560:1920",
       "scale=1280:536:force_original_aspect_ratio=increase,crop=1280:536"},
      {"Blinds", "1080:1350", "scale=-2:720"},
  };
  const std::string subtitles =
      "drawtext=fontfile=" + font +
      ":text='Subtitle one\\: the quick brown fox jumps over the lazy dog':fontsize=38:"
      "fontcolor=white:borderw=3:x=(w-tw)/2:y=h-120,drawtext=fontfile=" +
      font +
      ":text='and keeps on running all the way back home again.':fontsize=38:fontcolor=white:"
      "borderw=3:x=(w-tw)/2:y=h-70";
  for (const Case& c : cases) {
    const std::string still = (dir / (c.photo + ".png")).string();
    ffmpeg("-i " + photos + c.photo + ".jpg -vf scale=" + c.size +
           ":force_original_aspect_ratio=increase,crop=" + c.size + " -pix_fmt rgb24 " + still);
    auto image = media::decode_image_file(still);
    ASSERT_TRUE(image.has_value()) << c.photo;
    provenance::PdqHasher hasher;
    const provenance::PixelView pixels{image->pixels.data(), image->width, image->height,
                                       image->channels, 0};
    const provenance::PdqResult own = hasher.hash(pixels);
    const Registry registry =
        registry_of_still(own.hash, stamp::reframing_pdq(hasher, pixels, own.hash));

    // 1 s of host, the still for 2 s (frames 25..74), 1 s of host; subtitles over all of it.
    const std::string out = (dir / (c.photo + ".mp4")).string();
    ffmpeg("-f lavfi -i testsrc2=size=1280x720:rate=25:duration=1 -loop 1 -framerate 25 -t 2 -i " +
           still +
           " -f lavfi -i testsrc2=size=1280x720:rate=25:duration=1 -filter_complex "
           "\"[0:v]format=yuv420p,setsar=1[a];[1:v]" +
           c.fit +
           ",pad=1280:720:(ow-iw)/2:(oh-ih)/2,fps=25,format=yuv420p,setsar=1[b];"
           "[2:v]format=yuv420p,setsar=1[c];[a][b][c]concat=n=3:v=1:a=0," +
           subtitles + "\" -c:v libx264 -crf 23 " + out);
    ScanOptions options;
    options.now = "2026-12-06T12:00:00Z";
    ScanReport report = scan({out}, registry, options);
    ASSERT_EQ(report.files.size(), 1u);
    const FileReport& file = report.files[0];
    ASSERT_TRUE(file.error.empty()) << c.photo << ": " << file.error;
    ASSERT_EQ(file.findings.size(), 1u) << c.photo << "\n" << report_json(report);
    const Finding& f = file.findings[0];
    EXPECT_EQ(f.asset_id, 7) << c.photo;
    EXPECT_NEAR(static_cast<double>(f.first_frame), 25, 1) << c.photo;
    EXPECT_NEAR(static_cast<double>(f.last_frame), 74, 1) << c.photo;
    ASSERT_EQ(f.signals.size(), 1u) << c.photo;
    EXPECT_EQ(f.signals[0].kind, "pdq") << c.photo;
  }
  fs::remove_all(dir);
}

// Issue #13 item 4: a marked still pushed in from its 16:9 fill to 125%. PDQ, with only the
// 16:9 crop registered, lets go early in the push-in; the watermark still reads it, and the
// finding ends at the cut to the next shot, not where PDQ let go.
TEST(ScanReframing, WatermarkCarriesAPushInToItsCut) {
  const fs::path dir =
      fs::temp_directory_path() / ("clearcut-scan-pushin-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ffmpeg(
      "-f lavfi -i mandelbrot=size=2560x1920:start_x=-0.7454:start_y=0.1130:start_scale=0.04 "
      "-frames:v 1 -pix_fmt rgb24 " +
      (dir / "still.png").string());
  auto image = media::decode_image_file((dir / "still.png").string());
  ASSERT_TRUE(image.has_value());
  auto key = watermark::WatermarkKey::from_passphrase("push-in");
  ASSERT_TRUE(key.has_value());
  const uint64_t payload = 0x5eed0fc11f000002ULL;
  auto marked = watermark::embed_image(*image, payload, *key);
  ASSERT_TRUE(marked.has_value()) << marked.error().to_string();
  auto png = media::encode_png(*marked);
  ASSERT_TRUE(png.has_value());
  const std::string still = (dir / "marked.png").string();
  std::ofstream(still, std::ios::binary)
      .write(reinterpret_cast<const char*>(png->data()), static_cast<std::streamsize>(png->size()));

  provenance::PdqHasher hasher;
  const int crop_height = marked->width * 9 / 16;
  const provenance::PixelView wide{
      marked->pixels.data() + static_cast<ptrdiff_t>((marked->height - crop_height) / 2) *
                                  marked->width * marked->channels,
      marked->width, crop_height, marked->channels, 0};
  const provenance::PdqResult wide_hash = hasher.hash(wide);
  Registry registry;
  registry.production.id = 1;
  registry.production.code = "show";
  domain::Asset asset;
  asset.id = 9;
  asset.production_id = 1;
  asset.use_case_id = 1;
  asset.file_name = "marked.png";
  asset.pdq = wide_hash.hash.to_hex();
  asset.watermark_payload = payload;
  asset.status = domain::AssetStatus::kProvisional;
  registry.assets.emplace(asset.id, asset);
  registry.own_assets = 1;
  registry.code_asset.push_back(asset.id);
  registry.by_watermark.emplace(payload, asset.id);
  const std::vector<match::Entry> entries{match::Entry{1, match::Code{wide_hash.hash.words()}}};
  registry.index = std::move(match::MatchIndex::build(entries).value());

  // 1 s of host, the push-in for 2 s (frames 25..74), 1 s of host; CRF 23.
  const std::string out = (dir / "pushin.mp4").string();
  ffmpeg("-f lavfi -i testsrc2=size=1280x720:rate=25:duration=1 -loop 1 -framerate 25 -t 2 -i " +
         still +
         " -f lavfi -i mandelbrot=size=1280x720:rate=25,trim=duration=1 -filter_complex "
         "\"[0:v]format=yuv420p,setsar=1[a];[1:v]scale=1280:-2,crop=1280:720,"
         "zoompan=z='1+0.25*on/49':d=1:s=1280x720:fps=25:x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2',"
         "format=yuv420p,setsar=1[b];[2:v]format=yuv420p,setsar=1[c];[a][b][c]concat=n=3:v=1:a=0\" "
         "-c:v libx264 -crf 23 " +
         out);
  ScanOptions options;
  options.now = "2026-12-06T12:00:00Z";
  options.watermark_key = *key;
  ScanReport report = scan({out}, registry, options);
  ASSERT_EQ(report.files.size(), 1u);
  const FileReport& file = report.files[0];
  ASSERT_TRUE(file.error.empty()) << file.error;
  ASSERT_EQ(file.findings.size(), 1u) << report_json(report);
  const Finding& f = file.findings[0];
  EXPECT_EQ(f.asset_id, 9);
  ASSERT_EQ(f.signals.size(), 2u) << report_json(report);
  EXPECT_EQ(f.signals[0].kind, "pdq");
  EXPECT_EQ(f.signals[1].kind, "watermark");
  // PDQ alone covers the start of the push-in only.
  EXPECT_LT(f.signals[0].frames, 45) << report_json(report);
  EXPECT_NEAR(static_cast<double>(f.first_frame), 25, 1);
  EXPECT_NEAR(static_cast<double>(f.last_frame), 74, 1) << report_json(report);
  RecordProperty("pdq_frames", static_cast<int>(f.signals[0].frames));
  fs::remove_all(dir);
}

// Runs `scan` on a thread and waits at most 60 s for it (the scans below take well under a
// second). A scan that hangs on `fifo` is released by opening the FIFO's other end, so that the
// test fails rather than hanging with it.
std::optional<ScanReport> bounded_scan(const std::vector<std::string>& paths,
                                       const Registry& registry, const ScanOptions& options,
                                       const fs::path& fifo) {
  auto running = std::async(
      std::launch::async, [&paths, &registry, &options] { return scan(paths, registry, options); });
  if (running.wait_for(std::chrono::seconds(60)) == std::future_status::ready) {
    return running.get();
  }
  const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
  if (writer >= 0) {
    ::close(writer);
  }
  running.wait();
  return std::nullopt;
}

// Security review, issue #11 finding 3: a scan under a scan root reads regular files inside the
// root only. A symlink to a file outside is not read (the registered still it points at gives no
// finding), a symlinked folder outside is not walked, and a FIFO neither hangs the scan in a
// folder nor given by itself; what was skipped is listed, with why.
TEST(ScanConfinement, SymlinksOutOfTheRootAndFifosAreSkippedNotRead) {
  const fs::path dir =
      fs::temp_directory_path() / ("clearcut-scan-root-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "outside" / "folder");
  fs::create_directories(dir / "root" / "delivery");
  const fs::path secret = dir / "outside" / "secret.png";
  ffmpeg("-f lavfi -i mandelbrot=size=320x240 -frames:v 1 " + secret.string());
  fs::copy_file(secret, dir / "outside" / "folder" / "also-secret.png");
  ffmpeg("-f lavfi -i testsrc2=size=320x240 -frames:v 1 " +
         (dir / "root" / "delivery" / "plate.png").string());
  fs::create_symlink(secret, dir / "root" / "delivery" / "link.png");
  fs::create_symlink(dir / "outside" / "folder", dir / "root" / "delivery" / "linked-folder");
  const fs::path fifo = dir / "root" / "delivery" / "reel.mov";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A symlink that stays inside the root is read as the file it points at.
  fs::create_symlink(dir / "root" / "delivery" / "plate.png",
                     dir / "root" / "delivery" / "same-plate.png");

  const Registry registry = registry_of(secret.string(), "outside-secret-asset.png");
  auto gate = FileGate::for_root(dir / "root");
  ASSERT_TRUE(gate.has_value()) << gate.error().to_string();
  ScanOptions options;
  options.now = "2026-01-01T00:00:00Z";
  options.files = *gate;

  // Without the root the symlink is followed, as the shell would (the CLI): the still matches.
  ScanOptions unconfined = options;
  unconfined.files = FileGate();
  auto followed =
      bounded_scan({(dir / "root" / "delivery" / "link.png").string()}, registry, unconfined, fifo);
  ASSERT_TRUE(followed.has_value());
  ASSERT_EQ(followed->files.size(), 1u);
  EXPECT_EQ(followed->files[0].findings.size(), 1u) << report_json(*followed);

  auto report = bounded_scan({(dir / "root" / "delivery").string()}, registry, options, fifo);
  ASSERT_TRUE(report.has_value()) << "the scan hung on a FIFO";
  const std::string json = report_json(*report);
  const std::string html = report_html(*report);
  EXPECT_EQ(json.find("outside-secret-asset"), std::string::npos) << json;
  EXPECT_EQ(html.find("outside-secret-asset"), std::string::npos);
  EXPECT_EQ(json.find("also-secret"), std::string::npos) << json;
  ASSERT_EQ(report->files.size(), 2u) << json;  // plate.png and the symlink to it
  for (const FileReport& file : report->files) {
    EXPECT_TRUE(file.error.empty()) << file.path << ": " << file.error;
    EXPECT_TRUE(file.findings.empty()) << json;
    EXPECT_EQ(file.width, 320);
  }
  EXPECT_TRUE(report->passes());
  std::map<std::string, std::string> skipped;
  for (const SkippedEntry& entry : report->skipped) {
    skipped[fs::path(entry.path).filename().string()] = entry.reason;
  }
  EXPECT_EQ(skipped["link.png"], "skipped: symlink leaving the scan root") << json;
  EXPECT_EQ(skipped["linked-folder"], "skipped: symlink leaving the scan root") << json;
  EXPECT_EQ(skipped["reel.mov"], "skipped: not a regular file") << json;
  EXPECT_EQ(skipped.size(), 3u) << json;
  auto parsed = nlohmann::json::parse(json);
  EXPECT_EQ(parsed["skipped"].size(), 3u);
  EXPECT_NE(html.find("skipped: symlink leaving the scan root"), std::string::npos);

  // Given by itself, the FIFO is an error of its own (and the symlink too), not a hang.
  auto alone = bounded_scan({fifo.string(), (dir / "root" / "delivery" / "link.png").string()},
                            registry, options, fifo);
  ASSERT_TRUE(alone.has_value()) << "the scan hung on a FIFO";
  ASSERT_EQ(alone->files.size(), 2u);
  EXPECT_EQ(alone->files[0].error, "skipped: not a regular file");
  EXPECT_EQ(alone->files[1].error, "skipped: symlink leaving the scan root");
  EXPECT_TRUE(alone->files[1].findings.empty());
  EXPECT_FALSE(alone->passes());

  // A file that takes longer than its time limit is abandoned with an error.
  ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25:duration=2 -c:v libx264 " +
         (dir / "root" / "slow.mp4").string());
  ScanOptions hurried = options;
  hurried.file_time_limit_seconds = 1e-6;
  hurried.file_seconds_per_gib = 0;
  auto abandoned = bounded_scan({(dir / "root" / "slow.mp4").string()}, registry, hurried, fifo);
  ASSERT_TRUE(abandoned.has_value());
  ASSERT_EQ(abandoned->files.size(), 1u);
  EXPECT_EQ(
      abandoned->files[0].error.rfind("abandoned: the file took longer than its time limit", 0), 0u)
      << abandoned->files[0].error;
  EXPECT_FALSE(abandoned->passes());
  fs::remove_all(dir);
}

// A stamped clip: `frames` frames of synthetic video (watermark::testing::synthetic_frame: a
// drifting gradient, moving shapes, texture, grain; all of the picture moves, so that H.264 P
// and B frames keep little of the mark), each marked with `payload`, piped to the ffmpeg tool
// as raw RGB and encoded losslessly at 25 fps.
void encode_marked_clip(int frames, uint64_t payload, const watermark::WatermarkKey& key,
                        const std::string& out) {
  const std::string command = std::string(FFMPEG_CLI) +
                              " -nostdin -hide_banner -loglevel error -y -f rawvideo -pix_fmt "
                              "rgb24 -s 1280x720 -r 25 -i - -c:v libx264 -qp 0 -pix_fmt yuv420p " +
                              out;
  FILE* pipe = ::popen(command.c_str(), "w");
  ASSERT_NE(pipe, nullptr);
  for (int f = 0; f < frames; ++f) {
    auto marked =
        watermark::embed_image(watermark::testing::synthetic_frame(1280, 720, f, 12), payload, key);
    ASSERT_TRUE(marked.has_value()) << marked.error().to_string();
    ASSERT_EQ(marked->channels, 3);
    ASSERT_EQ(std::fwrite(marked->pixels.data(), 1, marked->pixels.size(), pipe),
              marked->pixels.size());
  }
  ASSERT_EQ(::pclose(pipe), 0) << command;
}

// A stamped clip marked in every frame, cut between unmarked footage and re-encoded at H.264
// CRF 28, where single P and B frames keep too little of the mark to read (about half of them,
// watermark README): the scan escalates to windows of frames and covers the clip; unmarked
// footage gives no watermark finding.
TEST_F(ScanEndToEnd, WatermarkedClipAfterH264) {
  {
    app::ServiceConfig config;
    config.db = db();
    config.signing_key = path("audit.key");
    auto service = app::Service::open(config);
    ASSERT_TRUE(service.has_value()) << service.error().to_string();
    auto demo = app::seed_demo(**service);
    ASSERT_TRUE(demo.has_value()) << demo.error().to_string();
  }
  const std::string passphrase = "scan e2e watermark";
  auto key = watermark::WatermarkKey::from_passphrase(passphrase);
  ASSERT_TRUE(key.has_value());
  const uint64_t payload = 0x5eed0fc11f000001ULL;
  // The deliverable: 1.6 s of host footage (testsrc2 with film grain), the 4 s clip (frames
  // 40..139), 2 s of host (a mandelbrot zoom), re-encoded at CRF 28. The clip starts between
  // two watermark checks and ends 0.4 s before another.
  ASSERT_NO_FATAL_FAILURE(encode_marked_clip(100, payload, *key, path("marked.mp4")));
  const std::string host_a =
      "-f lavfi -i testsrc2=size=1280x720:rate=25:duration=1.6,noise=alls=6:allf=t ";
  const std::string host_b =
      "-f lavfi -i "
      "mandelbrot=size=1280x720:rate=25:start_x=-0.7454:start_y=0.1130,trim=duration=2 ";
  ffmpeg(host_a + "-i " + path("marked.mp4") + " " + host_b +
         "-filter_complex \"[0:v]format=yuv420p,setsar=1[a];[1:v]format=yuv420p,setsar=1[b];"
         "[2:v]format=yuv420p,setsar=1[c];[a][b][c]concat=n=3:v=1:a=0\" -c:v libx264 -crf 28 " +
         path("cut.mp4"));
  // Unmarked footage alone: the two hosts, 3.6 s.
  ffmpeg(host_a + host_b +
         "-filter_complex \"[0:v]format=yuv420p,setsar=1[a];[1:v]format=yuv420p,setsar=1[b];"
         "[a][b]concat=n=2:v=1:a=0\" -c:v libx264 -crf 28 " +
         path("host.mp4"));

  int64_t clip_id = 0;
  {
    // What `clearcut stamp` registers for a marked clip, with a PDQ hash of nothing in the cut,
    // so that only the watermark can find it.
    auto store = store::open_store(db());
    ASSERT_TRUE(store.has_value());
    auto tx = (*store)->begin();
    auto use_case = (*tx)->use_cases().get(3);
    ASSERT_TRUE(use_case.has_value());
    domain::Asset asset;
    asset.production_id = use_case->production_id;
    asset.use_case_id = 3;
    asset.file_name = "marked_clip.mp4";
    asset.media_type = "video/mp4";
    asset.sha256 = std::string(64, '0');
    asset.pdq = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    asset.pdq_quality = 100;
    asset.width = 1280;
    asset.height = 720;
    asset.watermark_payload = payload;
    asset.status = domain::AssetStatus::kProvisional;
    asset.created_by = use_case->created_by;
    asset.created_at = clearance::format_rfc3339(std::chrono::system_clock::now());
    auto id = (*tx)->assets().create(asset);
    ASSERT_TRUE(id.has_value()) << id.error().to_string();
    clip_id = *id;
    ASSERT_TRUE((*tx)->commit().has_value());
  }
  auto store = store::open_store(db());
  ASSERT_TRUE(store.has_value());
  auto registry = load_registry(**store, "squid-game-s3");
  ASSERT_TRUE(registry.has_value()) << registry.error().to_string();
  ScanOptions options;
  options.now = clearance::format_rfc3339(std::chrono::system_clock::now());
  options.watermark_key = *key;

  ScanReport report = scan({path("cut.mp4"), path("host.mp4")}, *registry, options);
  ASSERT_EQ(report.files.size(), 2u);
  const FileReport& cut = report.files[0];
  ASSERT_TRUE(cut.error.empty()) << cut.error;
  EXPECT_EQ(cut.frames_decoded, 190);
  EXPECT_EQ(cut.watermark_checks, 8);  // one a second
  EXPECT_GE(cut.watermark_windows, 1);
  ASSERT_EQ(cut.findings.size(), 1u) << report_json(report);
  const Finding& f = cut.findings[0];
  EXPECT_EQ(f.asset_id, clip_id);
  EXPECT_EQ(f.asset_name, "marked_clip.mp4");
  EXPECT_EQ(f.verdict, Verdict::kProvisionalInFinal) << f.reason;
  ASSERT_EQ(f.signals.size(), 1u);
  EXPECT_EQ(f.signals[0].kind, "watermark");
  EXPECT_EQ(f.signals[0].detail, "5eed0fc11f000001");
  // Checks land on frames 0, 25, 50, ...: the watermark alone places the clip only to within a
  // second. Its edges are the cuts in the gaps between the checks that read nothing and the
  // first and last that read the mark (issue #13, item 4): exact to the frame.
  EXPECT_NEAR(static_cast<double>(f.first_frame), 40, 1);
  EXPECT_NEAR(static_cast<double>(f.last_frame), 139, 1);
  const int64_t covered =
      std::min<int64_t>(f.last_frame, 139) - std::max<int64_t>(f.first_frame, 40) + 1;
  EXPECT_GE(covered, 99) << "of the clip's 100 frames";
  RecordProperty("finding_frames",
                 std::to_string(f.first_frame) + ".." + std::to_string(f.last_frame));
  RecordProperty("clip_frames_covered", static_cast<int>(covered));
  RecordProperty("watermark_windows", static_cast<int>(cut.watermark_windows));
  EXPECT_EQ(f.start_timecode, format_timecode(f.first_frame, {25, 1}, false));
  EXPECT_EQ(f.end_timecode, format_timecode(f.last_frame, {25, 1}, false));
  EXPECT_DOUBLE_EQ(f.start_seconds, f.first_frame / 25.0);
  EXPECT_DOUBLE_EQ(f.end_seconds, (f.last_frame + 1) / 25.0);
  EXPECT_GE(f.signals[0].frames, 2);

  const FileReport& host = report.files[1];
  ASSERT_TRUE(host.error.empty()) << host.error;
  EXPECT_EQ(host.watermark_checks, 4);
  EXPECT_TRUE(host.findings.empty()) << report_json(report);
  EXPECT_TRUE(host.passes());

  // Single frames alone (the scan before windows) read the clip at fewer checks.
  ScanOptions single = options;
  single.watermark_window_frames = 0;
  ScanReport alone = scan({path("cut.mp4")}, *registry, single);
  EXPECT_EQ(alone.files.at(0).watermark_windows, 0);
  int64_t alone_covered = 0;
  for (const Finding& g : alone.files.at(0).findings) {
    EXPECT_EQ(g.asset_id, clip_id);
    alone_covered += g.last_frame - g.first_frame + 1;
  }
  EXPECT_LE(alone_covered, covered);
  RecordProperty("single_frames_covered", static_cast<int>(alone_covered));
  RecordProperty("host_watermark_windows", static_cast<int>(host.watermark_windows));

  // The command a delivery pipeline runs: the provisional clip fails the delivery.
  ASSERT_EQ(::setenv("CLEARCUT_E2E_WATERMARK", passphrase.c_str(), 1), 0);
  const std::string cli = std::string(CLEARCUT_BINARY) + " scan --production squid-game-s3 --db " +
                          db() + " --watermark-passphrase CLEARCUT_E2E_WATERMARK ";
  EXPECT_EQ(run(cli + path("host.mp4") + " 2>/dev/null"), 0);
  EXPECT_EQ(run(cli + path("cut.mp4") + " --json " + path("cut.json") + " 2>/dev/null"), 1);
  std::ifstream json(path("cut.json"));
  auto parsed = nlohmann::json::parse(json);
  const auto& jf = parsed["files"][0];
  EXPECT_EQ(jf["watermark_windows"], cut.watermark_windows);
  ASSERT_EQ(jf["findings"].size(), 1u);
  EXPECT_EQ(jf["findings"][0]["asset_id"], clip_id);
  EXPECT_EQ(jf["findings"][0]["verdict"], "provisional_in_final");
  EXPECT_EQ(jf["findings"][0]["first_frame"], f.first_frame);
  EXPECT_EQ(jf["findings"][0]["last_frame"], f.last_frame);
}

// Issue #13 item 6: a delivered photo stored sideways with EXIF orientation 6 is hashed as
// displayed, so it matches the upright picture that was registered.
TEST(ScanOrientation, APhotoStoredSidewaysMatchesAsDisplayed) {
  const fs::path dir =
      fs::temp_directory_path() / ("clearcut-scan-orientation-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path upright = dir / "upright.png";
  ffmpeg("-f lavfi -i testsrc2=size=320x240 -frames:v 1 " + upright.string());
  auto picture = media::decode_image_file(upright.string());
  ASSERT_TRUE(picture.has_value());
  const media::Image stored =
      media::apply_orientation(std::move(*picture), media::Orientation::kRotated90Ccw);
  xmp::PhotoMetadata metadata;
  metadata.exif = xmp::test_samples::sample_exif({.orientation = 6});
  auto photo = xmp::write_photo_metadata(media::encode_jpeg(stored).value(), metadata);
  ASSERT_TRUE(photo.has_value()) << photo.error().to_string();
  const fs::path delivered = dir / "phone.jpg";
  std::ofstream(delivered, std::ios::binary)
      .write(reinterpret_cast<const char*>(photo->data()),
             static_cast<std::streamsize>(photo->size()));

  ScanOptions options;
  options.now = "2026-01-01T00:00:00Z";
  const ScanReport report =
      scan({delivered.string()}, registry_of(upright.string(), "upright.png"), options);
  ASSERT_EQ(report.files.size(), 1u);
  EXPECT_EQ(report.files[0].width, 320);
  EXPECT_EQ(report.files[0].height, 240);
  ASSERT_EQ(report.files[0].findings.size(), 1u) << report_json(report);
  EXPECT_EQ(report.files[0].findings[0].asset_id, 7);
  fs::remove_all(dir);
}

// The page without any decoding: blocks placed by seconds, overlapping findings on their own
// lanes, flat stretches in grey, and everything from files or the database escaped.
TEST(ScanReportHtml, TimelineAndEscaping) {
  ScanReport report;
  report.production_code = "<b>prod</b>";
  FileReport file;
  file.path = "shots/<script>alert(1)</script>&\"x'.mov";
  file.kind = "video";
  file.frame_rate = "25/1";
  file.duration_seconds = 10.0;
  file.flat_ranges.push_back(FrameRange{0, 24, "00:00:00:00", "00:00:00:24"});
  Finding a;
  a.asset_id = 7;
  a.asset_name = "<img src=x onerror=alert(2)>";
  a.first_frame = 50;
  a.last_frame = 99;
  a.start_seconds = 2.0;
  a.end_seconds = 4.0;
  a.verdict = Verdict::kCleared;
  a.asset_thumbnail = "\"><script>alert(3)</script>";  // not base64: never an <img>
  Finding b = a;
  b.asset_id = 8;
  b.first_frame = 75;
  b.last_frame = 149;
  b.start_seconds = 3.0;
  b.end_seconds = 6.0;
  b.verdict = Verdict::kExpiredApproval;
  b.asset_thumbnail = "";
  file.findings = {a, b};
  report.files.push_back(file);
  const std::string html = report_html(report);

  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(html.find("<b>prod"), std::string::npos);
  EXPECT_NE(html.find("shots/&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;x&#39;.mov"),
            std::string::npos);
  auto first = find_block(html, 0, 1);
  auto second = find_block(html, 0, 2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->verdict_class, "v-cleared");
  EXPECT_DOUBLE_EQ(first->left, 20.0);
  EXPECT_DOUBLE_EQ(first->width, 20.0);
  EXPECT_EQ(second->verdict_class, "v-expired_approval");
  EXPECT_DOUBLE_EQ(second->left, 30.0);
  EXPECT_DOUBLE_EQ(second->width, 30.0);
  EXPECT_NE(html.find("top:24px\" data-start=\"3.000\""), std::string::npos)
      << "the overlapping finding is on the second lane";
  EXPECT_NE(html.find("class=\"flat\" role=\"listitem\" style=\"left:0.000%;width:10.000%\""),
            std::string::npos);
  EXPECT_NE(html.find("00:00:10:00 (10.000 s)"), std::string::npos) << "the bar's end";
  // The legend names every verdict in words.
  for (const char* words : {"cleared (passes)", "provisional in final (fails)", "rejected (fails)",
                            "expired approval (fails)", "undeclared AI (fails)"}) {
    EXPECT_NE(html.find(words), std::string::npos) << words;
  }
  EXPECT_NE(html.find("Disclosure list"), std::string::npos);
}

}  // namespace
}  // namespace clearcut::scan
