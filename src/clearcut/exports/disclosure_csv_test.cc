#include "clearcut/exports/disclosure_csv.h"

#include <string>

#include <gtest/gtest.h>

#include "clearcut/domain/approval_scope.h"

namespace clearcut::exports {
namespace {

TEST(DisclosureCsvTest, FieldsAreQuotedAsRfc4180Asks) {
  EXPECT_EQ(csv_field("plain text"), "plain text");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a, b"), "\"a, b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_field("Zoë Ødegård, 山田"), "\"Zoë Ødegård, 山田\"");
}

TEST(DisclosureCsvTest, WhatASpreadsheetWouldRunAsAFormulaIsGuarded) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_field("+1"), "'+1");
  EXPECT_EQ(csv_field("-2+3"), "'-2+3");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tcmd"), "'\tcmd");
  EXPECT_EQ(csv_field("a=b"), "a=b");  // only a leading sign starts a formula
}

TEST(DisclosureCsvTest, OneRowPerSightingThenTheFindingsThatAreNotCleared) {
  DisclosureReport report;
  report.generated_at = "2026-12-07T16:00:00.000Z";
  report.scan = ScanReference{9, "2026-12-07T15:00:00.000Z", false, {"ep101"}};
  ClearedOutput output;
  output.asset.id = 4;
  output.asset.file_name = "key-art.png";
  output.asset.media_type = "image/png";
  output.asset.sha256 = std::string(64, 'a');
  output.use_case.id = 3;
  output.use_case.summary = "Line one, with <script>alert(1)</script>\nline two";
  output.use_case.outcome = domain::Outcome::kWrittenApproval;
  domain::Approval approval;
  approval.id = 2;
  approval.signer_name = "Zoë Ødegård";
  approval.created_at = "2026-12-01T10:00:00.000Z";
  approval.conditions = "=cmd|' /C calc'!A0";
  approval.scope = domain::read_approval_scope(R"({"final_use":true,"deliverables":["EP101"]})");
  output.approval = approval;
  output.approval_in_force = true;
  output.approver_name = "山田 Legal";
  output.digital_source_type = "trainedAlgorithmicMedia";
  Sighting a{"ep101/a.mp4", "picture", "00:00:01:00", "00:00:02:12", 1, 2.5, "cleared", "", 4,
             "key-art.png"};
  Sighting b = a;
  b.start_timecode = "00:10:00:00";
  output.sightings = {a, b};
  report.cleared.push_back(output);
  ClearedOutput unseen;
  unseen.asset.id = 5;
  unseen.use_case.id = 3;
  report.cleared.push_back(unseen);
  report.not_cleared.push_back({"ep101/b.png", "picture", "00:00:00:00", "00:00:00:00", 0, 0.04,
                                "undeclared_ai", "AI label, never registered", 0, ""});

  std::string csv = disclosure_csv(report);
  std::vector<std::string> lines;
  for (size_t at = 0, end; (end = csv.find("\r\n", at)) != std::string::npos; at = end + 2) {
    lines.push_back(csv.substr(at, end - at));
  }
  ASSERT_EQ(lines.size(), 5U) << csv;  // the header, two sightings, one unseen, one not cleared
  EXPECT_EQ(lines[0].rfind("section,asset_id,file_name,media_type,sha256,digital_source_type,", 0),
            0U);
  EXPECT_EQ(lines[1].rfind("cleared,4,key-art.png,image/png,", 0), 0U) << lines[1];
  EXPECT_NE(lines[1].find(",trainedAlgorithmicMedia,3,\"Line one, with <script>alert(1)</script>"),
            std::string::npos);
  // The summary's newline stays inside its quotes: the row continues after it.
  EXPECT_NE(csv.find("line two\",written_approval,2,山田 Legal,Zoë Ødegård,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",'=cmd|' /C calc'!A0,"), std::string::npos) << "conditions guarded";
  EXPECT_NE(csv.find("final use; deliverables: EP101; every output of the use case"),
            std::string::npos);
  EXPECT_NE(csv.find(",ep101/a.mp4,picture,00:10:00:00"), std::string::npos) << "the second row";
  EXPECT_NE(csv.find("cleared,5,,,,,3,,,,,,,,,,no,,,,,,,9,2026-12-07T16:00:00.000Z"),
            std::string::npos)
      << csv;
  EXPECT_EQ(lines[4],
            "not_cleared,,,,,,,,,,,,,,,,,ep101/b.png,picture,00:00:00:00,00:00:00:00,"
            "undeclared_ai,\"AI label, never registered\",9,2026-12-07T16:00:00.000Z");
}

}  // namespace
}  // namespace clearcut::exports
