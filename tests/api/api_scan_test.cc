// Delivery scans through the REST API, on every backend: members submit scans of files under
// the server's scan root, a scan worker claims and runs them, and the status, the verdict, the
// JSON and HTML reports and the audit log show what happened; outsiders see none of it, and
// paths that leave the scan root are refused.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/delivery_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "clearcut/clearance/clock.h"
#include "clearcut/media/image.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/scan/scan_worker.h"

namespace clearcut::apitest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string scans_path(int64_t production) {
  return "/api/v1/productions/" + std::to_string(production) + "/scans";
}

class ApiScanTest : public DeliveryTest {
 protected:
  std::vector<std::string> audit_actions();
};

std::vector<std::string> ApiScanTest::audit_actions() {
  std::vector<std::string> actions;
  json events = get(Who::kAdmin, "/api/v1/audit/events?limit=1000").json();
  for (const json& e : events.at("items")) {
    actions.push_back(e.at("action").get<std::string>());
  }
  return actions;
}

TEST_P(ApiScanTest, AMemberScansADeliveryAndReadsTheVerdictAndReports) {
  media::Image registered = test_still(1);
  write_file(scan_root() / "ep101" / "key-art.png", media::encode_png(registered).value());
  write_file(scan_root() / "ep101" / "plate.png", media::encode_png(test_still(7)).value());

  // The partner registers the key art (provisional: never cleared for final use).
  HttpAnswer asset = register_still(registered, {{"use_case_id", kDemoApproved},
                                                 {"file_name", "key-art.png"},
                                                 {"media_type", "image/png"},
                                                 {"sha256", std::string(64, 'a')},
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

// Issue #14's consequence, as a delivery sees it: an output cleared under the demo's approved
// voice case passes a scan; once legal revokes the performer's consent that approval relied on,
// the output is provisional again and the next scan of the same delivery fails on it.
TEST_P(ApiScanTest, ARevokedConsentFailsTheNextScanOfWhatItCleared) {
  media::Image still = test_still(3);
  write_file(scan_root() / "ep104" / "pickup-card.png", media::encode_png(still).value());
  HttpAnswer asset = register_still(still, {{"use_case_id", kDemoApproved},
                                            {"file_name", "pickup-card.png"},
                                            {"media_type", "image/png"},
                                            {"sha256", std::string(64, 'e')},
                                            {"width", 512},
                                            {"height", 512}});
  ASSERT_EQ(asset.status, 201) << asset.body;
  const std::string asset_path =
      "/api/v1/assets/" + std::to_string(asset.json().at("id").get<int64_t>());
  HttpAnswer cleared = send(Who::kLegal, "POST", asset_path + "/status", {{"status", "cleared"}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;

  auto scan = [&]() -> json {
    HttpAnswer submitted = send(Who::kContact, "POST", scans_path(kShow), {{"paths", {"ep104"}}});
    EXPECT_EQ(submitted.status, 202) << submitted.body;
    EXPECT_EQ(run_workers(), 1);
    return get(Who::kContact,
               "/api/v1/scans/" + std::to_string(submitted.json().at("id").get<int64_t>()))
        .json();
  };
  json before = scan();
  EXPECT_EQ(before.at("passes"), true) << before.dump();

  int64_t consent = 0;
  json consents = get(Who::kLegal, "/api/v1/productions/1/consents").json();
  for (const json& c : consents.at("items")) {
    if (c.value("use_case_id", int64_t{0}) == kDemoApproved && c.at("revoked_at").is_null()) {
      consent = c.at("id").get<int64_t>();
    }
  }
  ASSERT_NE(consent, 0);
  ASSERT_EQ(send(Who::kLegal, "POST", "/api/v1/consents/" + std::to_string(consent) + "/revoke",
                 json::object())
                .status,
            200);
  EXPECT_EQ(get(Who::kPartner, asset_path).json().value("status", ""), "provisional");

  json after = scan();
  EXPECT_EQ(after.at("passes"), false) << after.dump();
  EXPECT_EQ(after.at("summary").at("by_verdict").value("provisional_in_final", 0), 1)
      << after.dump();
}

// A true-crime film's AI reconstruction (issue #14): approved with a disclosure plan and cleared,
// it still fails its delivery until the contact confirms the disclosure was made; then it passes.
TEST_P(ApiScanTest, ADeliveryFailsUntilThePlannedDisclosureIsConfirmedAsMade) {
  json made = declare(
      "schema: clearcut/v1\nsummary: Reconstructed crime-scene photo\npurpose: final_asset\n"
      "talent: {real_person: no}\n"
      "output: {in_final: yes, factual_content: yes, could_be_mistaken_for_real: yes}\n",
      true);
  const int64_t id = made.value("id", int64_t{0});
  const std::string checklist = "/api/v1/use-cases/" + std::to_string(id) + "/checklist";
  settle_checklist(id);  // the contact records the disclosure plan, among the rest
  int64_t disclosure = 0;
  json items = get(Who::kContact, checklist).json();
  for (const json& item : items.at("items")) {
    if (item.value("name", "") == "audience_disclosure") {
      disclosure = item.value("id", int64_t{0});
      EXPECT_EQ(item.value("state", ""), "met");
    }
  }
  ASSERT_NE(disclosure, 0);
  json request = approval_body(use_case(id).at("revision"));
  request["scope"] = {{"final_use", true}};
  HttpAnswer approved =
      send(Who::kLegal, "POST", "/api/v1/use-cases/" + std::to_string(id) + "/approvals", request);
  ASSERT_EQ(approved.status, 201) << approved.body;

  media::Image still = test_still(5);
  write_file(scan_root() / "doc101" / "reconstruction.png", media::encode_png(still).value());
  HttpAnswer asset = register_still(
      still,
      {{"use_case_id", id}, {"file_name", "reconstruction.png"}, {"sha256", std::string(64, 'd')}});
  ASSERT_EQ(asset.status, 201) << asset.body;
  ASSERT_EQ(
      send(Who::kLegal, "POST",
           "/api/v1/assets/" + std::to_string(asset.json().at("id").get<int64_t>()) + "/status",
           {{"status", "cleared"}})
          .status,
      200);
  auto scan = [&]() -> json {
    HttpAnswer submitted = send(Who::kContact, "POST", scans_path(kShow), {{"paths", {"doc101"}}});
    EXPECT_EQ(submitted.status, 202) << submitted.body;
    EXPECT_EQ(run_workers(), 1);
    return get(Who::kContact, "/api/v1/scans/" +
                                  std::to_string(submitted.json().at("id").get<int64_t>()) +
                                  "/report")
        .json();
  };
  json before = scan();
  ASSERT_EQ(before.at("files").at(0).at("findings").size(), 1u) << before.dump();
  EXPECT_EQ(before.at("files").at(0).at("findings").at(0).value("verdict", ""),
            "disclosure_unconfirmed");
  EXPECT_EQ(before.value("passes", true), false);

  const std::string confirm = checklist + "/" + std::to_string(disclosure) + "/confirm";
  EXPECT_EQ(send(Who::kPartner, "POST", confirm, {{"text", "Card at 00:00:05:00"}}).status, 403);
  EXPECT_EQ(send(Who::kContact, "POST", confirm, {{"text", ""}}).status, 400);
  HttpAnswer confirmed =
      send(Who::kContact, "POST", confirm,
           {{"text", "Card 'AI reconstruction' at 00:41:07:12 of the final cut"}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json().at("evidence").at("confirmation").value("text", ""),
            "Card 'AI reconstruction' at 00:41:07:12 of the final cut");
  json after = scan();
  EXPECT_EQ(after.at("files").at(0).at("findings").at(0).value("verdict", ""), "cleared")
      << after.dump();
  EXPECT_EQ(after.value("passes", false), true);
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

// Security review, issue #11 finding 2: a delivery of one production that contains another
// production's registered output. The scanning production's reports (JSON, HTML), its scan
// list and its job show only that the material is registered elsewhere: no file name, asset
// id, production, status or thumbnail of the other production, and registered_assets counts
// only its own outputs. The output's production's legal and the admins read the match.
TEST_P(ApiScanTest, AnotherProductionsOutputInADeliveryIsReportedToItsOwnersOnly) {
  media::Image registered = test_still(5);
  write_file(scan_root() / "outsider-delivery" / "reel-2-frame.png",
             media::encode_png(registered).value());
  const std::string secret_name = "confidential-villain-reveal-v7.png";
  const std::string secret_thumbnail = "U0VDUkVUVEhVTUJOQUlMWFla";  // base64, recognisable
  HttpAnswer asset = register_still(registered, {{"use_case_id", kDemoApproved},
                                                 {"file_name", secret_name},
                                                 {"media_type", "image/png"},
                                                 {"sha256", std::string(64, 'd')},
                                                 {"width", 512},
                                                 {"height", 512},
                                                 {"thumbnail", secret_thumbnail}});
  ASSERT_EQ(asset.status, 201) << asset.body;
  const int64_t asset_id = asset.json().at("id").get<int64_t>();
  ASSERT_EQ(get(Who::kOutsider, "/api/v1/assets/" + std::to_string(asset_id)).status, 404);

  // The outsider, a partner of the other show, scans their delivery.
  HttpAnswer submitted =
      send(Who::kOutsider, "POST", scans_path(kOtherShow), {{"paths", {"outsider-delivery"}}});
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const int64_t id = submitted.json().at("id").get<int64_t>();
  const std::string job_path = "/api/v1/scans/" + std::to_string(id);
  ASSERT_EQ(run_workers(), 1);

  json job = get(Who::kOutsider, job_path).json();
  EXPECT_EQ(job.at("state"), "finished") << job.dump();
  EXPECT_EQ(job.at("passes"), false);  // not cleared for this production: it must not pass
  EXPECT_EQ(job.at("summary").at("by_verdict").at("undeclared_ai"), 1) << job.dump();

  HttpAnswer report = get(Who::kOutsider, job_path + "/report");
  ASSERT_EQ(report.status, 200) << report.body;
  HttpAnswer html = get(Who::kOutsider, job_path + "/report.html");
  ASSERT_EQ(html.status, 200) << html.body;
  HttpAnswer list = get(Who::kOutsider, scans_path(kOtherShow));
  ASSERT_EQ(list.status, 200) << list.body;
  for (const std::string* text : {&report.body, &html.body, &list.body}) {
    EXPECT_EQ(text->find(secret_name), std::string::npos) << *text;
    EXPECT_EQ(text->find("villain"), std::string::npos) << *text;
    EXPECT_EQ(text->find(secret_thumbnail), std::string::npos) << *text;
    EXPECT_EQ(text->find("squid-game-s3"), std::string::npos) << *text;
    EXPECT_EQ(text->find("another production"), std::string::npos) << *text;
  }
  json r = report.json();
  EXPECT_EQ(r.at("registered_assets"), 0);  // the other show has registered nothing
  EXPECT_EQ(r.at("passes"), false);
  ASSERT_EQ(r.at("files").size(), 1u);
  ASSERT_EQ(r.at("files")[0].at("findings").size(), 1u);
  json finding = r.at("files")[0].at("findings")[0];
  EXPECT_TRUE(finding.at("asset_id").is_null()) << finding.dump();
  EXPECT_TRUE(finding.at("asset_production_id").is_null()) << finding.dump();
  EXPECT_EQ(finding.at("asset_name"), "");
  EXPECT_EQ(finding.at("asset_status"), "");
  EXPECT_TRUE(finding.at("asset_thumbnail").is_null()) << finding.dump();
  EXPECT_TRUE(finding.at("frame_thumbnail").is_string());  // their own delivery's frame
  EXPECT_EQ(finding.at("registered_elsewhere"), true);
  EXPECT_EQ(finding.at("verdict"), "undeclared_ai");
  EXPECT_NE(finding.at("reason").get<std::string>().find("registered elsewhere"), std::string::npos)
      << finding.dump();
  for (const json& signal : finding.at("signals")) {
    EXPECT_FALSE(signal.contains("detail")) << finding.dump();
  }
  // Asset ids and production ids are numbers: no field of the report may carry them.
  std::string raw_ids = report.body;
  EXPECT_EQ(raw_ids.find("\"asset_id\": " + std::to_string(asset_id)), std::string::npos);
  EXPECT_EQ(raw_ids.find("\"asset_production_id\": 1"), std::string::npos);
  EXPECT_NE(html.body.find("registered elsewhere"), std::string::npos);
  EXPECT_EQ(html.body.find(">" + std::to_string(asset_id) + " "), std::string::npos);

  // The show's legal and the admin read the match; its partner and contact, and the outsider,
  // do not.
  const std::string matches = "/api/v1/productions/1/cross-production-matches";
  for (Who who : {Who::kLegal, Who::kAdmin}) {
    HttpAnswer answer = get(who, matches);
    ASSERT_EQ(answer.status, 200) << who_name(who) << " -> " << answer.body;
    json items = answer.json().at("items");
    ASSERT_EQ(items.size(), 1u) << answer.body;
    EXPECT_EQ(items[0].at("scan_id"), id);
    EXPECT_EQ(items[0].at("scanning_production_id"), kOtherShow);
    EXPECT_EQ(items[0].at("production_id"), kShow);
    EXPECT_EQ(items[0].at("asset_id"), asset_id);
    json hit = items[0].at("finding");
    EXPECT_EQ(hit.at("asset_name"), secret_name);
    EXPECT_EQ(hit.at("asset_status"), "provisional");
    EXPECT_EQ(hit.at("asset_thumbnail"), secret_thumbnail);
    EXPECT_EQ(hit.at("path"), "outsider-delivery/reel-2-frame.png");
    ASSERT_FALSE(hit.at("signals").empty());
    EXPECT_EQ(hit.at("signals")[0].at("kind"), "pdq");
  }
  EXPECT_EQ(get(Who::kPartner, matches).status, 403);
  EXPECT_EQ(get(Who::kContact, matches).status, 403);
  EXPECT_EQ(get(Who::kOutsider, matches).status, 404);
  EXPECT_EQ(get(Who::kOutsider, "/api/v1/productions/2/cross-production-matches").status, 403);
  EXPECT_EQ(get(Who::kAnonymous, matches).status, 401);
}

// Security review, issue #11 finding 3, through a worker: only regular files inside the scan
// root are read. A symlink in the delivery to an output kept outside the root is not read (no
// finding names it), a symlinked folder outside is not walked, and FIFOs, in a folder or
// submitted by themselves, neither hang the worker nor block the queue; the report lists what
// it skipped and why.
TEST_P(ApiScanTest, AWorkerReadsOnlyRegularFilesInsideTheScanRoot) {
  const fs::path outside = scan_root().parent_path() / "outside";
  media::Image secret = test_still(6);
  write_file(outside / "secret.png", media::encode_png(secret).value());
  HttpAnswer asset = register_still(secret, {{"use_case_id", kDemoApproved},
                                             {"file_name", "outside-secret.png"},
                                             {"media_type", "image/png"},
                                             {"sha256", std::string(64, 'e')}});
  ASSERT_EQ(asset.status, 201) << asset.body;
  write_file(scan_root() / "reel" / "plate.png", media::encode_png(test_still(8)).value());
  fs::create_symlink(outside / "secret.png", scan_root() / "reel" / "link.png");
  fs::create_symlink(outside, scan_root() / "reel" / "linked-folder");
  const fs::path fifo_in_folder = scan_root() / "reel" / "pipe.mov";
  const fs::path fifo_alone = scan_root() / "pipe.mxf";
  ASSERT_EQ(::mkfifo(fifo_in_folder.c_str(), 0600), 0);
  ASSERT_EQ(::mkfifo(fifo_alone.c_str(), 0600), 0);
  int64_t reel = send(Who::kContact, "POST", scans_path(kShow), {{"paths", {"reel"}}})
                     .json()
                     .value("id", int64_t{0});
  int64_t pipe = send(Who::kContact, "POST", scans_path(kShow), {{"paths", {"pipe.mxf"}}})
                     .json()
                     .value("id", int64_t{0});
  ASSERT_GT(reel, 0);
  ASSERT_GT(pipe, 0);

  // Bounded: a worker stuck on a FIFO is released by opening the FIFOs' other ends, so that
  // the test fails instead of hanging.
  auto running = std::async(std::launch::async, [this] { return run_workers(); });
  if (running.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    for (const fs::path& fifo : {fifo_in_folder, fifo_alone}) {
      const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
      if (writer >= 0) {
        ::close(writer);
      }
    }
    running.wait();
    FAIL() << "the worker hung on a FIFO";
  }
  ASSERT_EQ(running.get(), 2);

  json job = get(Who::kContact, "/api/v1/scans/" + std::to_string(reel)).json();
  EXPECT_EQ(job.at("state"), "finished") << job.dump();
  EXPECT_EQ(job.at("passes"), true) << job.dump();
  EXPECT_EQ(job.at("summary").at("files_skipped"), 3) << job.dump();
  HttpAnswer report = get(Who::kContact, "/api/v1/scans/" + std::to_string(reel) + "/report");
  ASSERT_EQ(report.status, 200);
  EXPECT_EQ(report.body.find("outside-secret"), std::string::npos) << report.body;
  json r = report.json();
  ASSERT_EQ(r.at("files").size(), 1u) << report.body;
  EXPECT_EQ(r.at("files")[0].at("path"), "reel/plate.png");
  EXPECT_TRUE(r.at("files")[0].at("findings").empty());
  json expected_skipped = json::array();
  expected_skipped.push_back(
      {{"path", "reel/link.png"}, {"reason", "skipped: symlink leaving the scan root"}});
  expected_skipped.push_back(
      {{"path", "reel/linked-folder"}, {"reason", "skipped: symlink leaving the scan root"}});
  expected_skipped.push_back(
      {{"path", "reel/pipe.mov"}, {"reason", "skipped: not a regular file"}});
  json skipped = r.at("skipped");
  std::sort(skipped.begin(), skipped.end(),
            [](const json& a, const json& b) { return a.at("path") < b.at("path"); });
  EXPECT_EQ(skipped, expected_skipped) << report.body;
  HttpAnswer html = get(Who::kContact, "/api/v1/scans/" + std::to_string(reel) + "/report.html");
  EXPECT_NE(html.body.find("reel/link.png: skipped: symlink leaving the scan root"),
            std::string::npos)
      << html.body;

  job = get(Who::kContact, "/api/v1/scans/" + std::to_string(pipe)).json();
  EXPECT_EQ(job.at("state"), "error") << job.dump();
  EXPECT_NE(job.at("error").get<std::string>().find("pipe.mxf: skipped: not a regular file"),
            std::string::npos)
      << job.dump();
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
