// Evidence attachments through the REST API (issue #14), on every backend: upload a PDF to a
// use case, list, download it with the headers that keep it from rendering; another
// production's partner gets 404; HTML is 415 and an oversized file 413; consents, approvals and
// tool entries take files from their own editors; every upload and download is in the audit
// log, whose state replay rebuilds the attachments table and notices a changed row.

#include <algorithm>
#include <string>
#include <vector>

#include "tests/api/api_fixture.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/base/hex.h"
#include "clearcut/clearance/state_replay.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/store/sql/sql_store.h"
#include "clearcut/store/store.h"

namespace clearcut::apitest {
namespace {

using nlohmann::json;

const std::string kPdf =
    "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

std::string upload_path(std::string_view parent, std::string_view id, std::string_view name) {
  return "/api/v1/" + std::string(parent) + "/" + std::string(id) +
         "/attachments?filename=" + std::string(name);
}

class ApiAttachmentTest : public ApiTest {
 protected:
  void configure(app::ServiceConfig& config) override { config.max_attachment_bytes = 4096; }

  HttpAnswer upload(Who who, std::string_view parent, std::string_view id, std::string_view name,
                    std::string_view bytes) {
    // The declared type is a lie the server must not believe.
    return call(who, "POST", upload_path(parent, id, name), bytes, Auth::kSession,
                {{"Content-Type", "text/html"}});
  }

  // Audit events with `action`, as the admin reads the log.
  std::vector<json> events(std::string_view action) {
    std::vector<json> out;
    HttpAnswer answer = get(Who::kAdmin, "/api/v1/audit/events?limit=1000");
    EXPECT_EQ(answer.status, 200) << answer.body;
    json body = answer.json();
    for (const json& e : body.at("items")) {
      if (e.at("action") == action) {
        out.push_back(e);
      }
    }
    return out;
  }
};

TEST_P(ApiAttachmentTest, APdfOnAUseCaseIsListedAndDownloadedAsAFile) {
  HttpAnswer added = upload(Who::kLegal, "use-cases", "1", "Licence%20%C3%A9%22final%22.pdf", kPdf);
  ASSERT_EQ(added.status, 201) << added.body;
  json a = added.json();
  const std::string sha256 = base::to_hex(crypto::sha256(kPdf));
  EXPECT_EQ(a.at("sha256"), sha256);
  EXPECT_EQ(a.at("content_type"), "application/pdf") << "sniffed, not the declared text/html";
  EXPECT_EQ(a.at("size"), kPdf.size());
  EXPECT_EQ(a.at("file_name"), "Licence é\"final\".pdf");
  EXPECT_EQ(a.at("parent_type"), "use_case");
  EXPECT_EQ(a.at("parent_id"), "1");
  EXPECT_EQ(a.at("production_id"), kShow);
  const std::string download = a.at("download").get<std::string>();
  EXPECT_EQ(download,
            "/api/v1/attachments/" + std::to_string(a.at("id").get<int64_t>()) + "/content");

  // The contact attaches the same bytes again: a second row, one file.
  ASSERT_EQ(upload(Who::kContact, "use-cases", "1", "copy.pdf", kPdf).status, 201);

  for (Who reader : {Who::kPartner, Who::kContact, Who::kLegal, Who::kAdmin}) {
    HttpAnswer list = get(reader, "/api/v1/use-cases/1/attachments");
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(list.json().at("items").size(), 2U);
    EXPECT_EQ(list.json().at("items")[0].at("sha256"), sha256);
  }
  EXPECT_EQ(get(Who::kAdmin, "/api/v1/use-cases/2/attachments").json().at("items").size(), 0U);

  HttpAnswer file = get(Who::kPartner, download);
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.body, kPdf);
  EXPECT_EQ(file.header("Content-Type").value_or(""), "application/pdf");
  EXPECT_EQ(file.header("Content-Disposition").value_or(""),
            "attachment; filename=\"Licence ___final_.pdf\"; "
            "filename*=UTF-8''Licence%20%C3%A9%22final%22.pdf");
  EXPECT_EQ(file.header("X-Content-Type-Options").value_or(""), "nosniff");
  std::string csp = file.header("Content-Security-Policy").value_or("");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("sandbox"), std::string::npos) << csp;
  EXPECT_EQ(file.header("Cache-Control").value_or(""), "no-store");

  std::vector<json> added_events = events("attachment.added");
  ASSERT_EQ(added_events.size(), 2U);
  json payload = added_events[0].at("payload");
  EXPECT_EQ(added_events[0].at("actor"),
            "user:" + std::to_string(credentials(Who::kLegal).user_id));
  EXPECT_EQ(payload.at("production_id"), kShow);
  EXPECT_EQ(payload.at("parent_type"), "use_case");
  EXPECT_EQ(payload.at("parent_id"), "1");
  EXPECT_EQ(payload.at("sha256"), sha256);
  EXPECT_EQ(payload.at("size"), kPdf.size());
  EXPECT_EQ(payload.at("content_type"), "application/pdf");
  EXPECT_EQ(payload.at("file_name"), "Licence é\"final\".pdf");
  std::vector<json> downloads = events("attachment.downloaded");
  ASSERT_EQ(downloads.size(), 1U);
  EXPECT_EQ(downloads[0].at("actor"), "user:" + std::to_string(credentials(Who::kPartner).user_id));
  EXPECT_EQ(downloads[0].at("payload").at("sha256"), sha256);
}

TEST_P(ApiAttachmentTest, AnotherProductionsAttachmentIsNotFound) {
  HttpAnswer added = upload(Who::kLegal, "use-cases", "1", "licence.pdf", kPdf);
  ASSERT_EQ(added.status, 201) << added.body;
  std::string download = added.json().at("download").get<std::string>();
  uint64_t before = audit_size();
  // The outsider is a partner of the other show only.
  EXPECT_EQ(get(Who::kOutsider, "/api/v1/use-cases/1/attachments").status, 404);
  EXPECT_EQ(get(Who::kOutsider, download).status, 404);
  EXPECT_EQ(upload(Who::kOutsider, "use-cases", "1", "x.pdf", kPdf).status, 404);
  EXPECT_EQ(get(Who::kOutsider, "/api/v1/consents/1/attachments").status, 404);
  EXPECT_EQ(get(Who::kOutsider, "/api/v1/approvals/1/attachments").status, 404);
  EXPECT_EQ(get(Who::kAdmin, "/api/v1/attachments/999/content").status, 404);
  EXPECT_EQ(get(Who::kAdmin, "/api/v1/use-cases/999/attachments").status, 404);
  EXPECT_EQ(get(Who::kAnonymous, download).status, 401);
  EXPECT_EQ(audit_size(), before) << "refused downloads are not logged as downloads";
}

TEST_P(ApiAttachmentTest, OnlyTheParentsEditorsAttach) {
  // A use case: the contact or legal (as checklist evidence), not the partner.
  HttpAnswer partner = upload(Who::kPartner, "use-cases", "1", "x.pdf", kPdf);
  EXPECT_EQ(partner.status, 403) << partner.body;
  // A consent and an approval: legal.
  EXPECT_EQ(upload(Who::kContact, "consents", "1", "consent.pdf", kPdf).status, 403);
  HttpAnswer consent = upload(Who::kLegal, "consents", "1", "consent.pdf", kPdf);
  EXPECT_EQ(consent.status, 201) << consent.body;
  EXPECT_EQ(consent.json().value("parent_type", ""), "consent");
  EXPECT_EQ(upload(Who::kContact, "approvals", "1", "signed.pdf", kPdf).status, 403);
  HttpAnswer approval = upload(Who::kLegal, "approvals", "1", "signed.pdf", kPdf);
  EXPECT_EQ(approval.status, 201) << approval.body;
  EXPECT_EQ(get(Who::kPartner, "/api/v1/approvals/1/attachments").json().at("items").size(), 1U);
  // A tool entry: an admin; everyone signed in reads the registry and its files.
  std::string tool =
      get(Who::kAdmin, "/api/v1/tools").json().at("items")[0].at("id").get<std::string>();
  EXPECT_EQ(upload(Who::kLegal, "tools", tool, "terms.pdf", kPdf).status, 403);
  HttpAnswer terms = upload(Who::kAdmin, "tools", tool, "terms.pdf", kPdf);
  ASSERT_EQ(terms.status, 201) << terms.body;
  EXPECT_TRUE(terms.json().at("production_id").is_null());
  HttpAnswer tool_list = get(Who::kOutsider, "/api/v1/tools/" + tool + "/attachments");
  ASSERT_EQ(tool_list.status, 200);
  EXPECT_EQ(tool_list.json().at("items").size(), 1U);
  EXPECT_EQ(get(Who::kOutsider, terms.json().at("download").get<std::string>()).status, 200);
  EXPECT_EQ(upload(Who::kAdmin, "tools", "no-such-tool", "terms.pdf", kPdf).status, 404);
}

TEST_P(ApiAttachmentTest, WhatIsNotEvidenceIsRefused) {
  uint64_t before = audit_size();
  HttpAnswer html = upload(Who::kLegal, "use-cases", "1", "licence.pdf",
                           "<!DOCTYPE html><html><script>alert(1)</script></html>");
  EXPECT_EQ(html.status, 415) << html.body;
  std::string message = html.json().value("message", "");
  EXPECT_NE(message.find("an HTML or XML document"), std::string::npos) << message;
  EXPECT_NE(message.find("PDF, PNG, JPEG"), std::string::npos) << message;
  EXPECT_EQ(upload(Who::kLegal, "use-cases", "1", "x.svg", "<svg onload=\"alert(1)\"/>").status,
            415);
  EXPECT_EQ(upload(Who::kLegal, "use-cases", "1", "x",
                   std::string("\x7f"
                               "ELF\x02\x01",
                               6))
                .status,
            415);

  HttpAnswer big = upload(Who::kLegal, "use-cases", "1", "big.pdf", kPdf + std::string(5000, 'x'));
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_NE(big.body.find("4096"), std::string::npos) << big.body;

  HttpAnswer empty = upload(Who::kLegal, "use-cases", "1", "empty.pdf", "");
  EXPECT_EQ(empty.status, 400) << empty.body;
  HttpAnswer unnamed = call(Who::kLegal, "POST", "/api/v1/use-cases/1/attachments", kPdf);
  EXPECT_EQ(unnamed.status, 400) << unnamed.body;
  EXPECT_EQ(unnamed.json().value("field", ""), "filename");
  EXPECT_EQ(upload(Who::kLegal, "use-cases", "1", "a%0Ab.pdf", kPdf).status, 400);
  EXPECT_EQ(get(Who::kAdmin, "/api/v1/use-cases/1/attachments").json().at("items").size(), 0U);
  EXPECT_EQ(audit_size(), before);
  // A path is cut to its last part.
  HttpAnswer path = upload(Who::kLegal, "use-cases", "1", "..%2F..%2Fetc%2Flicence.pdf", kPdf);
  ASSERT_EQ(path.status, 201) << path.body;
  EXPECT_EQ(path.json().at("file_name"), "licence.pdf");
}

TEST_P(ApiAttachmentTest, AuditReplayRebuildsAttachmentsAndSeesAChangedRow) {
  ASSERT_EQ(upload(Who::kLegal, "use-cases", "1", "licence.pdf", kPdf).status, 201);
  ASSERT_EQ(upload(Who::kLegal, "consents", "1", "form.txt", "Signed consent form\n").status, 201);
  HttpAnswer listed = get(Who::kLegal, "/api/v1/consents/1/attachments");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(get(Who::kLegal, listed.json().at("items")[0].at("download").get<std::string>()).status,
            200);
  std::vector<clearance::StateDifference> clean = replay_differences();
  for (const auto& d : clean) {
    ADD_FAILURE() << d.to_string();
  }

  auto store = store::open_store(db_url(), store::OpenMode::kExisting).value();
  auto& raw = dynamic_cast<store::sql::SqlStore&>(*store);
  ASSERT_TRUE(
      raw.execute_raw("UPDATE attachments SET file_name = 'forged.pdf' WHERE id = 1").has_value());
  std::vector<clearance::StateDifference> after = replay_differences();
  ASSERT_EQ(after.size(), 1U);
  EXPECT_EQ(after[0].to_string(),
            "attachments id 1 column file_name: expected \"licence.pdf\", found \"forged.pdf\"");
  ASSERT_TRUE(raw.execute_raw("UPDATE attachments SET file_name = 'licence.pdf' WHERE id = 1; "
                              "INSERT INTO attachments (production_id, parent_type, parent_id, "
                              "sha256, size, content_type, file_name, added_by, added_at) "
                              "SELECT production_id, parent_type, parent_id, sha256, size, "
                              "content_type, 'planted.pdf', added_by, added_at FROM attachments "
                              "WHERE id = 1")
                  .has_value());
  after = replay_differences();
  ASSERT_EQ(after.size(), 1U);
  EXPECT_EQ(after[0].to_string(), "attachments id 3: row was not written by any audit event");
}

INSTANTIATE_TEST_SUITE_P(api, ApiAttachmentTest,
                         testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace clearcut::apitest
