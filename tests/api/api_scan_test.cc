// Delivery scans through the REST API, on every backend: members submit scans of files under
// the server's scan root, a scan worker claims and runs them, and the status, the verdict, the
// JSON and HTML reports and the audit log show what happened; outsiders see none of it, and
// paths that leave the scan root are refused.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/api_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/clearance/clock.h"
#include "clearcut/media/image.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/scan/scan_worker.h"

namespace clearcut::apitest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A 512x512 RGB still with enough structure to hash (PDQ quality well above 50).
media::Image test_still(int seed) {
  media::Image image;
  image.width = 512;
  image.height = 512;
  image.channels = 3;
  image.pixels.resize(512 * 512 * 3);
  for (int y = 0; y < 512; ++y) {
    for (int x = 0; x < 512; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * 512 + x) * 3];
      p[0] = static_cast<uint8_t>((x * (seed + 3) + y * y / 7) & 0xff);
      p[1] = static_cast<uint8_t>(((x / 32 + y / 32 + seed) % 2) * 200 + 20);
      p[2] = static_cast<uint8_t>((x ^ y) * (seed + 1));
    }
  }
  return image;
}

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::string scans_path(int64_t production) {
  return "/api/v1/productions/" + std::to_string(production) + "/scans";
}

class ApiScanTest : public ApiTest {
 protected:
  std::vector<std::string> audit_actions();
  int run_workers();
};

std::vector<std::string> ApiScanTest::audit_actions() {
  std::vector<std::string> actions;
  json events = get(Who::kAdmin, "/api/v1/audit/events?limit=1000").json();
  for (const json& e : events.at("items")) {
    actions.push_back(e.at("action").get<std::string>());
  }
  return actions;
}

// Runs every queued job with a worker of this process, as `clearcut serve --scan-root` does.
int ApiScanTest::run_workers() {
  clearance::SystemClock clock;
  scan::ScanWorkerOptions options;
  options.name = "test-worker";
  options.scan_root = scan_root();
  scan::ScanWorker worker(service().store(), clock, options);
  int jobs = 0;
  for (;;) {
    auto ran = worker.run_once();
    EXPECT_TRUE(ran.has_value()) << ran.error().to_string();
    if (!ran.has_value() || !*ran) {
      return jobs;
    }
    ++jobs;
  }
}

TEST_P(ApiScanTest, AMemberScansADeliveryAndReadsTheVerdictAndReports) {
  media::Image registered = test_still(1);
  write_file(scan_root() / "ep101" / "key-art.png", media::encode_png(registered).value());
  write_file(scan_root() / "ep101" / "plate.png", media::encode_png(test_still(7)).value());

  // The partner registers the key art (provisional: never cleared for final use).
  provenance::PdqHasher hasher;
  provenance::PdqResult hash = hasher.hash(provenance::PixelView{
      registered.pixels.data(), registered.width, registered.height, registered.channels, 0});
  ASSERT_GE(hash.quality, 50);
  HttpAnswer asset = send(Who::kPartner, "POST", "/api/v1/productions/1/assets",
                          {{"use_case_id", kDemoApproved},
                           {"file_name", "key-art.png"},
                           {"media_type", "image/png"},
                           {"sha256", std::string(64, 'a')},
                           {"pdq", hash.hash.to_hex()},
                           {"pdq_quality", hash.quality},
                           {"width", 512},
                           {"height", 512}});
  ASSERT_EQ(asset.status, 201) << asset.body;
  int64_t asset_id = asset.json().at("id").get<int64_t>();

  HttpAnswer submitted = send(Who::kContact, "POST", scans_path(kShow), {{"paths", {"ep101"}}});
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  json job = submitted.json();
  int64_t id = job.at("id").get<int64_t>();
  EXPECT_EQ(job.at("state"), "queued");
  EXPECT_EQ(job.at("paths"), json({"ep101"}));
  EXPECT_EQ(job.at("radius"), 31);
  EXPECT_TRUE(job.at("passes").is_null());
  std::string job_path = "/api/v1/scans/" + std::to_string(id);
  EXPECT_EQ(get(Who::kPartner, job_path + "/report").status, 404);  // not run yet

  ASSERT_EQ(run_workers(), 1);

  job = get(Who::kPartner, job_path).json();
  EXPECT_EQ(job.at("state"), "finished") << job.dump();
  EXPECT_EQ(job.at("passes"), false);
  EXPECT_EQ(job.at("worker"), "test-worker");
  EXPECT_EQ(job.at("files_done"), 2);
  EXPECT_EQ(job.at("summary").at("files"), 2);
  EXPECT_EQ(job.at("summary").at("findings"), 1);
  EXPECT_EQ(job.at("summary").at("by_verdict").at("provisional_in_final"), 1);

  HttpAnswer report = get(Who::kLegal, job_path + "/report");
  ASSERT_EQ(report.status, 200) << report.body;
  json r = report.json();
  ASSERT_EQ(r.at("files").size(), 2u);
  EXPECT_EQ(r.at("files")[0].at("path"), "ep101/key-art.png");  // relative to the scan root
  ASSERT_EQ(r.at("files")[0].at("findings").size(), 1u);
  json finding = r.at("files")[0].at("findings")[0];
  EXPECT_EQ(finding.at("asset_id"), asset_id);
  EXPECT_EQ(finding.at("verdict"), "provisional_in_final");
  EXPECT_TRUE(finding.at("frame_thumbnail").is_string()) << finding.dump();  // the still itself
  EXPECT_TRUE(finding.at("asset_thumbnail").is_null());  // registered without one
  EXPECT_TRUE(r.at("files")[1].at("findings").empty());

  HttpAnswer html = get(Who::kContact, job_path + "/report.html");
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_NE(html.header("Content-Security-Policy").value_or("").find("default-src 'none'"),
            std::string::npos);
  EXPECT_NE(html.body.find("provisional_in_final"), std::string::npos);

  json list = get(Who::kLegal, scans_path(kShow)).json();
  ASSERT_EQ(list.at("items").size(), 1u);
  EXPECT_EQ(list.at("items")[0].at("id"), id);

  std::vector<std::string> actions = audit_actions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "scan.submitted"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "scan.finished"), actions.end());

  // A partner of another production sees none of it.
  EXPECT_EQ(get(Who::kOutsider, job_path).status, 404);
  EXPECT_EQ(get(Who::kOutsider, job_path + "/report").status, 404);
  EXPECT_EQ(get(Who::kOutsider, scans_path(kShow)).status, 404);
  EXPECT_EQ(send(Who::kOutsider, "POST", scans_path(kShow), {{"paths", {"ep101"}}}).status, 404);
  EXPECT_EQ(get(Who::kAnonymous, job_path).status, 401);
}

TEST_P(ApiScanTest, ACleanDeliveryPassesAndANothingScannableOneEndsInError) {
  write_file(scan_root() / "clean" / "plate.png", media::encode_png(test_still(3)).value());
  write_file(scan_root() / "broken" / "reel.mp4", {0x00, 0x00, 0x00, 0x18, 'f', 't', 'y', 'p'});
  int64_t clean = send(Who::kPartner, "POST", scans_path(kShow),
                       {{"paths", {"clean/plate.png"}}, {"stride", 2}})
                      .json()
                      .value("id", int64_t{0});
  int64_t broken = send(Who::kLegal, "POST", scans_path(kShow), {{"paths", {"broken"}}})
                       .json()
                       .value("id", int64_t{0});
  ASSERT_GT(clean, 0);
  ASSERT_GT(broken, 0);
  ASSERT_EQ(run_workers(), 2);

  json job = get(Who::kPartner, "/api/v1/scans/" + std::to_string(clean)).json();
  EXPECT_EQ(job.at("state"), "finished");
  EXPECT_EQ(job.at("passes"), true);
  EXPECT_EQ(job.at("stride"), 2);
  job = get(Who::kPartner, "/api/v1/scans/" + std::to_string(broken)).json();
  EXPECT_EQ(job.at("state"), "error");
  EXPECT_NE(job.at("error").get<std::string>().find("nothing could be scanned"), std::string::npos)
      << job.dump();
  EXPECT_EQ(get(Who::kPartner, "/api/v1/scans/" + std::to_string(broken) + "/report").status, 404);
}

TEST_P(ApiScanTest, PathsOutsideTheScanRootAndBadSettingsAreRefused) {
  write_file(scan_root() / "ok.png", media::encode_png(test_still(2)).value());
  fs::create_symlink("/etc", scan_root() / "escape");
  uint64_t before = audit_size();
  struct Case {
    json body;
    std::string field;
  };
  std::vector<Case> cases = {
      {{{"paths", {"../clearcut.db"}}}, "paths[0]"},
      {{{"paths", {"ok.png", "/etc/passwd"}}}, "paths[1]"},
      {{{"paths", {"escape/passwd"}}}, "paths[0]"},
      {{{"paths", {"missing.mov"}}}, "paths[0]"},
      {{{"paths", {""}}}, "paths[0]"},
      {{{"paths", json::array()}}, "paths"},
      {{{"paths", "ok.png"}}, "paths"},
      {{{"paths", {1}}}, "paths"},
      {{{"paths", {"ok.png"}}, {"stride", 0}}, "stride"},
      {{{"paths", {"ok.png"}}, {"radius", 300}}, "radius"},
      {{{"paths", {"ok.png"}}, {"threads", 4}}, "threads"},
  };
  for (const Case& c : cases) {
    HttpAnswer answer = send(Who::kContact, "POST", scans_path(kShow), c.body);
    EXPECT_EQ(answer.status, 400) << c.body.dump() << " -> " << answer.body;
    EXPECT_EQ(answer.json().value("field", ""), c.field) << c.body.dump() << " -> " << answer.body;
  }
  EXPECT_EQ(audit_size(), before);  // nothing written
  EXPECT_TRUE(get(Who::kAdmin, scans_path(kShow)).json().at("items").empty());
  EXPECT_EQ(get(Who::kAdmin, "/api/v1/scans/999").status, 404);
  EXPECT_EQ(get(Who::kAdmin, "/api/v1/scans/abc").status, 404);
}

// GET /assets/lookup, what `clearcut inspect --server` asks: by SHA-256, watermark payload, or
// a PDQ hash near the asset's own or one of its frame hashes; only productions one may see.
TEST_P(ApiScanTest, LookupFindsOutputsBySha256PayloadAndPdq) {
  const std::string own = std::string(63, '0') + "f";  // the asset's PDQ
  const std::string frame = std::string(32, 'c') + std::string(32, '3');
  HttpAnswer asset = send(Who::kPartner, "POST", "/api/v1/productions/1/assets",
                          {{"use_case_id", kDemoApproved},
                           {"sha256", std::string(64, 'a')},
                           {"pdq", own},
                           {"pdq_quality", 90},
                           {"watermark_payload", "42"},
                           {"frame_pdq", {frame}}});
  ASSERT_EQ(asset.status, 201) << asset.body;
  int64_t id = asset.json().at("id").get<int64_t>();
  auto ids = [&](Who who, const std::string& query) {
    HttpAnswer answer = get(who, "/api/v1/assets/lookup?" + query);
    EXPECT_EQ(answer.status, 200) << query << " -> " << answer.body;
    std::vector<int64_t> out;
    for (const json& a : answer.json().value("items", json::array())) {
      out.push_back(a.at("id").get<int64_t>());
    }
    return out;
  };
  std::vector<int64_t> just = {id};
  EXPECT_EQ(ids(Who::kLegal, "sha256=" + std::string(64, 'a')), just);
  EXPECT_EQ(ids(Who::kLegal, "watermark_payload=42"), just);
  EXPECT_EQ(ids(Who::kLegal, "pdq=" + std::string(64, '0')), just);  // 4 bits from its own
  EXPECT_EQ(ids(Who::kLegal, "pdq=" + std::string(32, 'c') + std::string(31, '3') + "0"), just);
  EXPECT_TRUE(ids(Who::kLegal, "pdq=" + std::string(64, '0') + "&radius=3").empty());
  EXPECT_TRUE(ids(Who::kLegal, "pdq=" + std::string(64, 'f')).empty());
  EXPECT_TRUE(ids(Who::kLegal, "sha256=" + std::string(64, 'b')).empty());
  EXPECT_TRUE(ids(Who::kOutsider, "sha256=" + std::string(64, 'a')).empty());  // another show
  EXPECT_EQ(get(Who::kLegal, "/api/v1/assets/lookup?sha256=AB").json().value("field", ""),
            "sha256");
  EXPECT_EQ(get(Who::kLegal, "/api/v1/assets/lookup").status, 400);
  EXPECT_EQ(get(Who::kLegal, "/api/v1/assets/lookup?watermark_payload=x").status, 400);
  EXPECT_EQ(get(Who::kAnonymous, "/api/v1/assets/lookup?watermark_payload=42").status, 401);
}

// A worker stopped mid-job (SIGTERM) hands the job back to the queue, and the next worker
// finishes it at once; the interrupted claim does not count as an attempt. (A worker that dies
// without handing it back is taken over once its heartbeat is stale: store_conformance_test.)
TEST_P(ApiScanTest, AStoppedWorkerHandsItsJobToAnother) {
  write_file(scan_root() / "reel" / "plate.png", media::encode_png(test_still(4)).value());
  int64_t id = send(Who::kContact, "POST", scans_path(kShow), {{"paths", {"reel"}}})
                   .json()
                   .value("id", int64_t{0});
  ASSERT_GT(id, 0);
  clearance::SystemClock clock;
  scan::ScanWorkerOptions options;
  options.scan_root = scan_root();
  options.name = "stopped-worker";
  scan::ScanWorker stopped(service().store(), clock, options);
  std::stop_source stop;
  stop.request_stop();
  auto ran = stopped.run_once(stop.get_token());
  ASSERT_TRUE(ran.has_value()) << ran.error().to_string();
  EXPECT_TRUE(*ran);
  json job = get(Who::kContact, "/api/v1/scans/" + std::to_string(id)).json();
  EXPECT_EQ(job.at("state"), "queued") << job.dump();
  EXPECT_EQ(job.at("attempts"), 0);

  options.name = "second-worker";
  scan::ScanWorker fresh(service().store(), clock, options);
  ASSERT_TRUE(*fresh.run_once());
  job = get(Who::kContact, "/api/v1/scans/" + std::to_string(id)).json();
  EXPECT_EQ(job.at("state"), "finished") << job.dump();
  EXPECT_EQ(job.at("worker"), "second-worker");
  EXPECT_EQ(job.at("attempts"), 1);
  EXPECT_EQ(job.at("passes"), true);
}

INSTANTIATE_TEST_SUITE_P(api, ApiScanTest, testing::Values(Backend::kSqlite, Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace clearcut::apitest
