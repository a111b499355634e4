#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "clearcut/app/demo.h"
#include "clearcut/app/service.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/scan/registry.h"
#include "clearcut/scan/scanner.h"
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
  int64_t register_still(const std::string& still, domain::AssetStatus status) {
    auto image = media::decode_image_file(still);
    EXPECT_TRUE(image.has_value());
    provenance::PdqHasher hasher;
    provenance::PdqResult hash = hasher.hash(provenance::PixelView{
        image->pixels.data(), image->width, image->height, image->channels, 0});
    EXPECT_GE(hash.quality, 50);
    auto store = store::open_store(db());
    EXPECT_TRUE(store.has_value());
    auto tx = (*store)->begin();
    auto use_case = (*tx)->get_use_case(3);
    EXPECT_TRUE(use_case.has_value());
    domain::Asset asset;
    asset.production_id = use_case->production_id;
    asset.use_case_id = 3;
    asset.file_name = fs::path(still).filename().string();
    asset.media_type = "image/png";
    asset.sha256 = std::string(64, '0');
    asset.pdq = hash.hash.to_hex();
    asset.pdq_quality = hash.quality;
    asset.width = image->width;
    asset.height = image->height;
    asset.status = domain::AssetStatus::kProvisional;
    asset.created_by = use_case->created_by;
    asset.created_at = clearance::format_rfc3339(std::chrono::system_clock::now());
    auto id = (*tx)->create_asset(asset);
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().to_string());
    if (status != domain::AssetStatus::kProvisional) {
      EXPECT_TRUE((*tx)->set_asset_status(*id, status).has_value());
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
  ScanOptions options;
  options.now = clearance::format_rfc3339(std::chrono::system_clock::now());
  ScanReport report =
      scan({path("cleared"), path("provisional"), path("corrupt")}, *registry, options);
  ASSERT_EQ(report.files.size(), 3u);
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

  const std::string cli = std::string(CLEARCUT_BINARY) + " scan --production squid-game-s3 --db " +
                          db() + " --stride 2 ";
  EXPECT_EQ(run(cli + path("cleared") + " --json " + path("cleared.json") + " 2>/dev/null"), 0);
  EXPECT_EQ(run(cli + path("cleared") + " " + path("provisional") + " --html " + path("r.html") +
                " 2>/dev/null"),
            1);
  EXPECT_EQ(run(cli + path("corrupt") + " 2>/dev/null"), 2);
  EXPECT_EQ(run(cli + path("corrupt") + " " + path("cleared") + " 2>/dev/null"), 1);
  std::ifstream json(path("cleared.json"));
  std::string text((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"disclosure\""), std::string::npos);
  EXPECT_NE(text.find("\"cleared\""), std::string::npos);
}

}  // namespace
}  // namespace clearcut::scan
