#include "clearcut/audit/audit_event.h"

#include <string>

#include <gtest/gtest.h>

#include "clearcut/base/hex.h"

namespace clearcut::audit {
namespace {

AuditEvent sample_event() {
  AuditEvent event;
  event.sequence = 7;
  event.time = "2026-11-22T01:56:05.120Z";
  event.actor = "user:legal@studio.example";
  event.action = "approval.grant";
  event.subject_type = "use_case";
  event.subject_id = "uc_01J9";
  event.payload_json = R"({ "scope": "final", "conditions": ["credit AI"], "b": 2, "a": 1 })";
  return event;
}

TEST(AuditEventTest, CanonicalEncodingIsSortedAndCompact) {
  EXPECT_EQ(encode_audit_event(sample_event()).value(),
            R"({"action":"approval.grant","actor":"user:legal@studio.example",)"
            R"("payload":{"a":1,"b":2,"conditions":["credit AI"],"scope":"final"},)"
            R"("sequence":7,"subject_id":"uc_01J9","subject_type":"use_case",)"
            R"("time":"2026-11-22T01:56:05.120Z","v":1})");
}

TEST(AuditEventTest, EqualMeaningEncodesToEqualBytes) {
  AuditEvent a = sample_event();
  AuditEvent b = sample_event();
  b.payload_json = R"({"a":1,"b":2,"conditions":["credit AI"],"scope":"final"})";
  EXPECT_EQ(encode_audit_event(a).value(), encode_audit_event(b).value());
  EXPECT_EQ(audit_event_leaf_hash(a).value(), audit_event_leaf_hash(b).value());
  b.payload_json = R"({"a":1,"b":3,"conditions":["credit AI"],"scope":"final"})";
  EXPECT_NE(audit_event_leaf_hash(a).value(), audit_event_leaf_hash(b).value());
}

TEST(AuditEventTest, EveryFieldIsInTheLeaf) {
  const Hash base = audit_event_leaf_hash(sample_event()).value();
  auto changed = [&](auto mutate) {
    AuditEvent event = sample_event();
    mutate(event);
    return audit_event_leaf_hash(event).value() != base;
  };
  EXPECT_TRUE(changed([](AuditEvent& e) { e.sequence = 8; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.time = "2026-11-22T01:56:05.121Z"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.actor = "user:someone-else"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.action = "approval.refuse"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.subject_type = "asset"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.subject_id = "uc_01J8"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.payload_json = "{}"; }));
  // Moving text between fields changes the leaf (no ambiguous concatenation).
  EXPECT_TRUE(changed([](AuditEvent& e) {
    e.subject_type = "use_caseuc_01J9";
    e.subject_id = "";
  }));
}

TEST(AuditEventTest, EscapesAndUnicodeAreDeterministic) {
  AuditEvent event = sample_event();
  event.actor = "Zo\xc3\xab \"Q\" \\ \x01";
  event.payload_json = R"({"note":"line\nbreak \u00e9 \ud83c\udfac"})";
  std::string encoded = encode_audit_event(event).value();
  EXPECT_NE(encoded.find(R"("actor":"Zoë \"Q\" \\ \u0001")"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find("\"note\":\"line\\nbreak \xc3\xa9 \xf0\x9f\x8e\xac\""), std::string::npos)
      << encoded;
}

TEST(AuditEventTest, DecodesOnlyCanonicalEncodings) {
  AuditEvent event = sample_event();
  std::string encoded = encode_audit_event(event).value();
  AuditEvent decoded = decode_audit_event(encoded).value();
  EXPECT_EQ(decoded.sequence, event.sequence);
  EXPECT_EQ(decoded.actor, event.actor);
  EXPECT_EQ(encode_audit_event(decoded).value(), encoded);

  std::string spaced = encoded;
  spaced.insert(1, " ");
  EXPECT_FALSE(decode_audit_event(spaced).has_value());
  std::string other_version = encoded;
  other_version.replace(other_version.find("\"v\":1"), 5, "\"v\":2");
  EXPECT_FALSE(decode_audit_event(other_version).has_value());
  std::string extra = encoded;
  extra.insert(extra.size() - 1, ",\"w\":1");
  EXPECT_FALSE(decode_audit_event(extra).has_value());
  EXPECT_FALSE(decode_audit_event("[]").has_value());
  EXPECT_FALSE(decode_audit_event("not json").has_value());
}

TEST(AuditEventTest, RejectsInvalidEvents) {
  auto rejected = [](auto mutate, std::string_view field) {
    AuditEvent event = sample_event();
    mutate(event);
    auto result = encode_audit_event(event);
    if (result.has_value()) {
      return false;
    }
    return result.error().field() == field &&
           result.error().code() == base::ErrorCode::kInvalidArgument;
  };
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.time = "2026-11-22 01:56:05Z"; }, "time"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.actor = ""; }, "actor"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.action = ""; }, "action"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.subject_id = "\xff"; }, "subject_id"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.payload_json = "[1,2]"; }, "payload"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.payload_json = ""; }, "payload"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.payload_json = "{\"a\":1,}"; }, "payload"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.payload_json = R"({"a":1,"a":2})"; }, "payload"));
  EXPECT_TRUE(
      rejected([](AuditEvent& e) { e.payload_json = R"({"x":{"a":1,"a":1}})"; }, "payload"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.payload_json = R"({"x":1e999})"; }, "payload"));
  EXPECT_TRUE(rejected([](AuditEvent& e) { e.payload_json = "{\"s\":\"\xff\"}"; }, "payload"));
  EXPECT_TRUE(rejected(
      [](AuditEvent& e) {
        e.payload_json = "{\"deep\":" + std::string(100, '[') + std::string(100, ']') + "}";
      },
      "payload"));
  // Same keys in sibling objects are fine.
  AuditEvent siblings = sample_event();
  siblings.payload_json = R"({"x":{"a":1},"y":{"a":1}})";
  EXPECT_TRUE(encode_audit_event(siblings).has_value());
}

}  // namespace
}  // namespace clearcut::audit
