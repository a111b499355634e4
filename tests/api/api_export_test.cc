// A title's exports through the REST API, on every backend (issue #17): the disclosure report as
// JSON, CSV and PDF lists each cleared output with its approval and the timecodes where the
// latest scan found it, and what that scan found that is not cleared apart; the clearance
// dossier carries every use case's decision and certificates and the signed checkpoint. The
// PDFs are read back by poppler's pdftotext. Reading an export records nothing, and another
// production's member learns nothing.

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "tests/api/child_process.h"
#include "tests/api/delivery_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/media/image_encoder.h"

namespace clearcut::apitest {
namespace {

using nlohmann::json;

const std::string kSummary = "Key art <script>alert('x')</script>\nsecond line, \"quoted\"";
// The same as a YAML double-quoted scalar, as the declaration carries it.
const std::string kSummaryYaml =
    R"("Key art <script>alert('x')</script>\nsecond line, \"quoted\"")";
const std::string kSigner = "Zoë Ødegård 山田";

// The text poppler's pdftotext reads from `pdf` (written to `dir` first).
std::string pdf_text(const std::filesystem::path& dir, const std::string& name,
                     const std::string& pdf) {
  const std::filesystem::path file = dir / name;
  std::ofstream(file, std::ios::binary) << pdf;
  CommandResult read = run_command({"/usr/bin/pdftotext", "-enc", "UTF-8", file.string(), "-"});
  EXPECT_EQ(read.exit_code, 0) << read.output;
  return read.output;
}

const json* find_by(const json& items, const std::function<bool(const json&)>& match) {
  for (const json& item : items) {
    if (match(item)) {
      return &item;
    }
  }
  return nullptr;
}

class ApiExportTest : public DeliveryTest {
 protected:
  // A use case of kShow whose summary holds markup, a newline and quotes, declared, met and
  // approved for final use by legal, who signs with a name in three scripts and a condition
  // that a spreadsheet would run as a formula. Returns its id.
  int64_t approved_use_case() {
    json declared = declare(escalate_declaration(kSummaryYaml), true);
    int64_t id = declared.value("id", int64_t{0});
    settle_checklist(id);
    json body = approval_body(use_case(id).at("revision"), "=HYPERLINK(\"http://evil\")");
    body["signer_name"] = kSigner;
    body["scope"] = {{"final_use", true}, {"deliverables", {"EP201"}}};
    HttpAnswer approved =
        send(Who::kLegal, "POST", "/api/v1/use-cases/" + std::to_string(id) + "/approvals", body);
    EXPECT_EQ(approved.status, 201) << approved.body;
    return id;
  }

  // Registers a still cut into the delivery folder ep201 under `use_case`; returns the asset id.
  int64_t delivered_still(int seed, const std::string& name, int64_t use_case, char digest) {
    media::Image still = test_still(seed);
    write_file(scan_root() / "ep201" / name, media::encode_png(still).value());
    HttpAnswer asset = register_still(still, {{"use_case_id", use_case},
                                              {"file_name", name},
                                              {"media_type", "image/png"},
                                              {"sha256", std::string(64, digest)},
                                              {"width", 512},
                                              {"height", 512}});
    EXPECT_EQ(asset.status, 201) << asset.body;
    return asset.json().value("id", int64_t{0});
  }

  // The contact scans ep201 and a worker runs it; returns the scan's id.
  int64_t scan_delivery() {
    HttpAnswer submitted =
        send(Who::kContact, "POST", "/api/v1/productions/1/scans", {{"paths", {"ep201"}}});
    EXPECT_EQ(submitted.status, 202) << submitted.body;
    EXPECT_EQ(run_workers(), 1);
    return submitted.json().value("id", int64_t{0});
  }
};

TEST_P(ApiExportTest, TheDisclosureReportListsClearedOutputsWithTimecodesAndProblemsApart) {
  const int64_t use_case = approved_use_case();
  const int64_t cleared = delivered_still(21, "cleared.png", use_case, 'c');
  const int64_t pending = delivered_still(22, "pending.png", use_case, 'f');
  HttpAnswer clear =
      send(Who::kLegal, "POST", "/api/v1/assets/" + std::to_string(cleared) + "/status",
           {{"status", "cleared"}});
  ASSERT_EQ(clear.status, 200) << clear.body;

  // Before any scan: the cleared output is listed, with no timecodes, and the report says why.
  json before = get(Who::kPartner, "/api/v1/productions/1/disclosure").json();
  EXPECT_TRUE(before.at("scan").is_null()) << before.dump();
  EXPECT_TRUE(before.at("not_cleared").empty());

  const int64_t scan = scan_delivery();
  const uint64_t audit_before = audit_size();

  HttpAnswer answer = get(Who::kPartner, "/api/v1/productions/1/disclosure");
  ASSERT_EQ(answer.status, 200) << answer.body;
  json report = answer.json();
  EXPECT_EQ(report.at("production").at("code"), "squid-game-s3");
  EXPECT_EQ(report.at("scan").at("id"), scan);
  EXPECT_EQ(report.at("scan").at("passes"), false);  // the pending output fails the delivery
  const json* output = find_by(report.at("cleared"),
                               [&](const json& o) { return o.at("asset").at("id") == cleared; });
  ASSERT_NE(output, nullptr) << report.dump(2);
  EXPECT_EQ(output->at("asset").at("sha256"), std::string(64, 'c'));
  EXPECT_EQ(output->at("use_case").at("summary"), kSummary);
  EXPECT_EQ(output->at("use_case").at("outcome"), "written_approval");
  const json& approval = output->at("approval");
  EXPECT_EQ(approval.at("signer_name"), kSigner);
  EXPECT_EQ(approval.at("approver_name"), "Lee Legal");
  EXPECT_EQ(approval.at("in_force"), true);
  EXPECT_EQ(approval.at("conditions"), "=HYPERLINK(\"http://evil\")");
  EXPECT_EQ(approval.at("scope_text"),
            "final use; deliverables: EP201; every output of the use case");
  // A registered still carries no label: the scan read no source type, and says so with null.
  EXPECT_TRUE(output->at("digital_source_type").is_null());
  ASSERT_EQ(output->at("found").size(), 1U) << output->dump(2);
  const json& found = output->at("found").at(0);
  EXPECT_EQ(found.at("path"), "ep201/cleared.png");
  EXPECT_EQ(found.at("start_timecode"), "00:00:00:00");
  EXPECT_EQ(found.at("verdict"), "cleared");
  EXPECT_EQ(find_by(report.at("cleared"),
                    [&](const json& o) { return o.at("asset").at("id") == pending; }),
            nullptr);
  const json* problem =
      find_by(report.at("not_cleared"), [&](const json& f) { return f.at("asset_id") == pending; });
  ASSERT_NE(problem, nullptr) << report.dump(2);
  EXPECT_EQ(problem->at("path"), "ep201/pending.png");
  EXPECT_EQ(problem->at("verdict"), "provisional_in_final");
  EXPECT_EQ(problem->at("start_timecode"), "00:00:00:00");

  HttpAnswer csv = get(Who::kContact, "/api/v1/productions/1/disclosure.csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.header("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.header("Content-Disposition").value_or(""),
            "attachment; filename=\"production-1-disclosure.csv\"");
  EXPECT_EQ(csv.body.rfind("section,asset_id,file_name,", 0), 0U) << csv.body;
  // The summary's markup is text, its newline and quotes inside one quoted field; the condition
  // cannot run as a formula.
  EXPECT_NE(csv.body.find(",\"Key art <script>alert('x')</script>\nsecond line, \"\"quoted\"\"\","),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(",\"'=HYPERLINK(\"\"http://evil\"\")\","), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(",ep201/cleared.png,picture,00:00:00:00,"), std::string::npos);
  EXPECT_NE(csv.body.find("\r\nnot_cleared," + std::to_string(pending) + ",pending.png,"),
            std::string::npos)
      << csv.body;

  HttpAnswer pdf = get(Who::kPartner, "/api/v1/productions/1/disclosure.pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.header("Content-Type").value_or(""), "application/pdf");
  std::string text = pdf_text(scan_root().parent_path(), "disclosure.pdf", pdf.body);
  for (const std::string& expected :
       {std::string("AI disclosure report"), std::string("Squid Game, season 3"),
        "Timecodes from scan " + std::to_string(scan), std::string("cleared.png"), kSigner,
        std::string("<script>alert('x')</script>"), std::string("pending.png"),
        std::string("provisional in final"), std::string("page 1 of")}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " in:\n" << text;
  }
  EXPECT_EQ(audit_size(), audit_before) << "reading an export records nothing";
}

TEST_P(ApiExportTest, TheDossierCarriesDecisionsCertificatesConsentsScansAndTheCheckpoint) {
  write_file(scan_root() / "ep201" / "plate.png", media::encode_png(test_still(30)).value());
  scan_delivery();  // a clean plate: the delivery passes
  const uint64_t audit_before = audit_size();
  HttpAnswer answer = get(Who::kLegal, "/api/v1/productions/1/dossier");
  ASSERT_EQ(answer.status, 200) << answer.body;
  json dossier = answer.json();
  EXPECT_EQ(dossier.at("format"), "clearcut-dossier/1");
  EXPECT_EQ(dossier.at("production").at("id"), kShow);
  const json* approved =
      find_by(dossier.at("use_cases"), [](const json& u) { return u.at("id") == kDemoApproved; });
  ASSERT_NE(approved, nullptr);
  EXPECT_FALSE(approved->at("decision").at("headline").get<std::string>().empty());
  EXPECT_FALSE(approved->at("decision").at("rules").empty());
  ASSERT_FALSE(approved->at("approvals").empty());
  const json& certificate = approved->at("approvals").at(0).at("certificate");
  EXPECT_EQ(certificate.at("format"), "clearcut-approval-certificate/1");
  EXPECT_EQ(approved->at("approvals").at(0).at("approver_name"), "Lee Legal");
  // The dossier's checkpoint covers every certificate's tree: "origin\nsize\nroot\n\n— sig".
  const std::string checkpoint = dossier.at("audit_log").at("checkpoint");
  const size_t first = checkpoint.find('\n');
  ASSERT_NE(first, std::string::npos);
  const uint64_t size = std::stoull(checkpoint.substr(first + 1));
  EXPECT_LE(certificate.at("audit_log").at("tree_size").get<uint64_t>(), size);
  EXPECT_EQ(size, audit_before);
  EXPECT_FALSE(dossier.at("consents").empty());
  EXPECT_FALSE(dossier.at("consents").at(0).at("recorded_by_name").is_null());
  EXPECT_EQ(dossier.at("scans").size(), 1U);
  for (const json& tool : dossier.at("tools")) {
    EXPECT_FALSE(tool.at("name").get<std::string>().empty());
  }

  HttpAnswer pdf = get(Who::kContact, "/api/v1/productions/1/dossier.pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.header("Content-Disposition").value_or(""),
            "attachment; filename=\"production-1-dossier.pdf\"");
  std::string text = pdf_text(scan_root().parent_path(), "dossier.pdf", pdf.body);
  const std::string origin = checkpoint.substr(0, first);
  for (const std::string& expected :
       {std::string("Clearance dossier"), std::string("Squid Game, season 3"),
        "Use case " + std::to_string(kDemoApproved), std::string("Consents"),
        std::string("Delivery scans (1)"), std::string("Lee Legal"), origin}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " in:\n" << text;
  }
  EXPECT_EQ(audit_size(), audit_before) << "reading the dossier records nothing";
}

TEST_P(ApiExportTest, AnotherProductionsMemberLearnsNothingAndAPartnerGetsNoDossier) {
  for (const char* path :
       {"/disclosure", "/disclosure.csv", "/disclosure.pdf", "/dossier", "/dossier.pdf"}) {
    HttpAnswer outsider = get(Who::kOutsider, std::string("/api/v1/productions/1") + path);
    EXPECT_EQ(outsider.status, 404) << path;
    EXPECT_EQ(outsider.body.find("squid"), std::string::npos) << outsider.body;
    EXPECT_EQ(outsider.body.find("Squid"), std::string::npos) << outsider.body;
    EXPECT_EQ(get(Who::kPartner, std::string("/api/v1/productions/2") + path).status, 404) << path;
    EXPECT_EQ(get(Who::kContact, std::string("/api/v1/productions/2") + path).status, 404) << path;
  }
  HttpAnswer partner = get(Who::kPartner, "/api/v1/productions/1/dossier");
  EXPECT_EQ(partner.status, 403);
  EXPECT_EQ(partner.body.find("use_cases"), std::string::npos);
  EXPECT_EQ(get(Who::kPartner, "/api/v1/productions/1/dossier.pdf").status, 403);
}

INSTANTIATE_TEST_SUITE_P(api, ApiExportTest, testing::Values(Backend::kSqlite, Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace clearcut::apitest
