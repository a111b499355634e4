// A written approval's certificate end to end (issue #14): members of the production fetch it
// from the API, outsiders get 404; `clearcut audit verify-certificate` checks it offline with
// the log's public key and nothing else, and fails when one byte of any field changes or the
// key is another.

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/api/api_fixture.h"
#include "tests/api/child_process.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/audit/note_signer.h"
#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::apitest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ApprovalCertificateTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    file_ =
        fs::temp_directory_path() / ("clearcut_certificate_" + std::to_string(::getpid()) + "_" +
                                     std::to_string(reinterpret_cast<uintptr_t>(this)) + ".json");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove(file_, ignored);
    ApiTest::TearDown();
  }

  // The demo's granted approval (of the approved use case) and its certificate's path.
  int64_t demo_approval() { return use_case(kDemoApproved).at("approvals")[0].value("id", 0); }
  static std::string certificate_path(int64_t approval) {
    return "/api/v1/approvals/" + std::to_string(approval) + "/certificate";
  }

  // Writes `text` to a file and runs `clearcut audit verify-certificate FILE --key KEY`.
  CommandResult verify(const std::string& text, const std::string& key) {
    std::ofstream(file_, std::ios::binary | std::ios::trunc) << text;
    return run_command(
        {CLEARCUT_BINARY, "audit", "verify-certificate", file_.string(), "--key", key});
  }
  std::string log_key() { return service().audit().verifier().to_string(); }

  fs::path file_;
};

// `text` with one byte changed: the first letter or digit of the value of the first `"key": `
// (a digit goes one up, a letter to its neighbour), so that the JSON stays well-formed and only
// that field differs.
std::string change_one_byte(std::string text, const std::string& key) {
  size_t at = text.find("\"" + key + "\": ");
  EXPECT_NE(at, std::string::npos) << key;
  if (at == std::string::npos) {
    return text;
  }
  for (at += key.size() + 4; at < text.size(); ++at) {
    char& c = text[at];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      c = c == '9' ? '1' : static_cast<char>(c + 1);
      return text;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      c = c == 'a' ? 'b' : (c == 'A' ? 'B' : static_cast<char>(c - 1));
      return text;
    }
  }
  ADD_FAILURE() << "nothing to change after " << key;
  return text;
}

TEST_P(ApprovalCertificateTest, VerifiesOfflineAndFailsAfterOneByteChanges) {
  int64_t approval = demo_approval();
  HttpAnswer answer = get(Who::kContact, certificate_path(approval));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_NE(answer.header("Content-Disposition").value_or("").find("attachment"),
            std::string::npos);
  json certificate = answer.json();
  const json& signed_approval = certificate.at("approval");
  EXPECT_EQ(signed_approval.value("signer_name", ""), "Lee Legal");
  EXPECT_EQ(signed_approval.at("approver").value("name", ""), "Lee Legal");
  EXPECT_EQ(signed_approval.at("decision").value("outcome", ""), "written_approval");
  EXPECT_FALSE(signed_approval.at("decision").at("policy").value("version", "").empty());
  EXPECT_EQ(signed_approval.value("declaration_digest", ""),
            base::to_hex(crypto::sha256(signed_approval.value("declaration", ""))));
  bool consent_with_document = false;
  for (const json& item : signed_approval.at("checklist")) {
    EXPECT_NE(item.value("state", ""), "open") << item.dump();
    if (item.value("name", "") == "talent_consent") {
      for (const json& consent : item.at("evidence").at("consents")) {
        consent_with_document |= consent.value("document_sha256", "").size() == 64;
      }
    }
  }
  EXPECT_TRUE(consent_with_document) << signed_approval.dump();

  CommandResult ok = verify(answer.body, log_key());
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("certificate OK: approval " + std::to_string(approval)),
            std::string::npos)
      << ok.output;

  // One byte of any field: what was approved, who signed, the event, the proof, the checkpoint.
  for (const char* key :
       {"signer_name", "reason", "conditions", "declaration_digest", "declaration", "outcome",
        "state", "document_sha256", "final_use", "created_at", "use_case_id", "actor", "sequence",
        "time", "inclusion_proof", "tree_size", "checkpoint", "format"}) {
    std::string changed = change_one_byte(answer.body, key);
    ASSERT_NE(changed, answer.body) << key;
    CommandResult failed = verify(changed, log_key());
    EXPECT_EQ(failed.exit_code, 1) << key << ": " << failed.output;
    EXPECT_NE(failed.output.find("certificate FAILED: "), std::string::npos) << failed.output;
  }

  // Another key with the log's name: the checkpoint's signature does not check out.
  audit::NoteSigner other = audit::NoteSigner::generate("clearcut.local/audit").value();
  CommandResult wrong_key = verify(answer.body, other.verifier().to_string());
  EXPECT_EQ(wrong_key.exit_code, 1) << wrong_key.output;
  EXPECT_NE(wrong_key.output.find("not validly signed"), std::string::npos) << wrong_key.output;

  // A file that is not there is an error, not an answer.
  CommandResult missing = run_command({CLEARCUT_BINARY, "audit", "verify-certificate",
                                       (file_.string() + ".absent"), "--key", log_key()});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

// The PDF a legal reader files: what it shows (read by poppler's pdftotext, an independent
// reader), the certificate file it carries (pdfdetach), and verify-certificate on the PDF
// itself, which fails when one byte of what it shows, or of the file inside, changes.
TEST_P(ApprovalCertificateTest, ThePdfShowsTheApprovalCarriesTheCertificateAndVerifies) {
  int64_t approval = demo_approval();
  HttpAnswer pdf = get(Who::kLegal, certificate_path(approval) + ".pdf");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.header("Content-Type").value_or(""), "application/pdf");
  EXPECT_NE(pdf.header("Content-Disposition")
                .value_or("")
                .find("attachment; filename=\"approval-" + std::to_string(approval) +
                      "-certificate.pdf\""),
            std::string::npos);
  json certificate = get(Who::kLegal, certificate_path(approval)).json();
  const json& signed_approval = certificate.at("approval");

  std::ofstream(file_, std::ios::binary | std::ios::trunc) << pdf.body;
  CommandResult shown = run_command({"/usr/bin/pdftotext", "-enc", "UTF-8", file_.string(), "-"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  for (const std::string& expected :
       {std::string("Written approval certificate"),
        "Signed by: \"" + signed_approval.value("signer_name", "") + "\"",
        "Reason: " + signed_approval.value("reason", ""),
        signed_approval.value("declaration_digest", ""), std::string("talent_consent"),
        std::string("Outcome: written_approval"), std::string("Signed checkpoint"),
        std::string("clearcut audit verify-certificate")}) {
    EXPECT_NE(shown.output.find(expected), std::string::npos) << expected << "\n" << shown.output;
  }
  std::string carried = file_.string() + ".carried";
  CommandResult detached =
      run_command({"/usr/bin/pdfdetach", "-save", "1", "-o", carried, file_.string()});
  ASSERT_EQ(detached.exit_code, 0) << detached.output;
  std::ifstream in(carried, std::ios::binary);
  std::string carried_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(carried);
  EXPECT_EQ(json::parse(carried_text), certificate);

  CommandResult ok = verify(pdf.body, log_key());
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("certificate OK: approval " + std::to_string(approval)),
            std::string::npos)
      << ok.output;

  // The signer's name as shown on the page, the same inside the carried file, and a byte of
  // the page's layout: each fails the check.
  std::string signer = signed_approval.value("signer_name", "");
  size_t shown_at = pdf.body.find("(Signed by: \"" + signer);
  size_t carried_at = pdf.body.find("\"signer_name\": \"" + signer);
  size_t layout_at = pdf.body.find(" Tf 1 0 0 1 ");
  ASSERT_NE(shown_at, std::string::npos);
  ASSERT_NE(carried_at, std::string::npos);
  ASSERT_NE(layout_at, std::string::npos);
  for (size_t at : {shown_at + 13, carried_at + 16, layout_at + 12}) {
    std::string changed = pdf.body;
    changed[at] = static_cast<char>(changed[at] + 1);
    CommandResult failed = verify(changed, log_key());
    EXPECT_EQ(failed.exit_code, 1) << at << ": " << failed.output;
    EXPECT_NE(failed.output.find("certificate FAILED: "), std::string::npos) << failed.output;
  }
  EXPECT_EQ(get(Who::kOutsider, certificate_path(approval) + ".pdf").status, 404);
}

TEST_P(ApprovalCertificateTest, OnlyMembersOfTheProductionGetIt) {
  int64_t approval = demo_approval();
  for (Who who : {Who::kPartner, Who::kContact, Who::kLegal, Who::kAdmin}) {
    EXPECT_EQ(get(who, certificate_path(approval)).status, 200) << who_name(who);
  }
  EXPECT_EQ(get(Who::kOutsider, certificate_path(approval)).status, 404);
  EXPECT_EQ(get(Who::kAnonymous, certificate_path(approval)).status, 401);
  EXPECT_EQ(get(Who::kContact, certificate_path(approval + 1000)).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApprovalCertificateTest,
                         testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace clearcut::apitest
