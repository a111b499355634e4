#include "clearcut/audit/note.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/audit/note_key.h"
#include "clearcut/audit/note_signer.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/base64.h"

namespace clearcut::audit {
namespace {

// The example key and note of golang.org/x/mod/sumdb/note's documentation, used as data: a
// note signed here must match it byte for byte (Ed25519 is deterministic).
constexpr std::string_view kGoSignerKey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kGoNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

constexpr std::string_view kEmDash = "\xe2\x80\x94";

NoteSigner signer_named(std::string_view name) {
  return NoteSigner::generate(name).value();
}

std::string signature_line(std::string_view name, const std::vector<uint8_t>& blob) {
  return std::string(kEmDash) + " " + std::string(name) + " " + base::base64_encode(blob) + "\n";
}

TEST(AuditNoteKeyTest, ReferenceKeysParseAndRoundTrip) {
  NoteSigner signer = NoteSigner::parse(kGoSignerKey).value();
  EXPECT_EQ(signer.name(), "PeterNeumann");
  EXPECT_EQ(signer.key_id(), 0xc74f20a3u);
  EXPECT_EQ(signer.to_string(), kGoSignerKey);
  EXPECT_EQ(signer.verifier().to_string(), kGoVerifierKey);
  NoteVerifier verifier = NoteVerifier::parse(kGoVerifierKey).value();
  EXPECT_EQ(verifier.key_id(), 0xc74f20a3u);
  EXPECT_EQ(verifier.public_key(), signer.verifier().public_key());
  EXPECT_EQ(key_id_hex(0x0000abcd), "0000abcd");
}

TEST(AuditNoteKeyTest, RejectsMalformedKeys) {
  const std::string_view bad_verifiers[] = {
      "",
      "PeterNeumann",
      "PeterNeumann+c74f20a3",
      "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",   // wrong key ID
      "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",    // 7 digits
      "PeterNeumann+c74f20az+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",   // not hex
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",    // bad base64
      "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",    // short key
      "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // space in name
      "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",               // empty name
  };
  for (std::string_view key : bad_verifiers) {
    EXPECT_FALSE(NoteVerifier::parse(key).has_value()) << key;
  }
  // Signature type 0x02 (ECDSA) is not supported.
  std::vector<uint8_t> ecdsa(33, 0x02);
  auto unsupported = NoteVerifier::parse("x+00000000+" + base::base64_encode(ecdsa));
  ASSERT_FALSE(unsupported.has_value());
  EXPECT_EQ(unsupported.error().code(), base::ErrorCode::kUnsupported);

  const std::string_view bad_signers[] = {
      "PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",  // no prefix
      "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF",
      "PRIVATE+KEY+PeterNeumann+c74f20a3",
  };
  for (std::string_view key : bad_signers) {
    auto parsed = NoteSigner::parse(key);
    ASSERT_FALSE(parsed.has_value()) << key;
    // A signer key is secret: errors never quote it.
    EXPECT_EQ(parsed.error().message().find("AYEKFALV"), std::string::npos);
  }
}

TEST(AuditNoteKeyTest, KeyNames) {
  EXPECT_TRUE(is_valid_key_name("example.com/behind-the-sofa"));
  EXPECT_TRUE(is_valid_key_name("caf\xc3\xa9.example/\xf0\x9f\x8e\xac"));
  EXPECT_TRUE(is_valid_key_name("zero\xe2\x80\x8bwidth"));  // U+200B is not White_Space
  for (std::string_view bad : {"", "a b", "a+b", "a\tb", "a\nb",
                               "a\xc2\xa0"
                               "b",
                               "a\xc2\x85"
                               "b",
                               "a\xe1\x9a\x80"
                               "b",
                               "a\xe2\x80\x83"
                               "b",
                               "a\xe2\x80\xa8"
                               "b",
                               "a\xe2\x80\xaf"
                               "b",
                               "a\xe3\x80\x80"
                               "b",
                               "a\xff",
                               "a\xc0\xaf"
                               "b",
                               "a\xed\xa0\x80"
                               "b"}) {
    EXPECT_FALSE(is_valid_key_name(bad)) << bad;
  }
}

TEST(AuditNoteKeyTest, GeneratedKeysRoundTrip) {
  NoteSigner signer = signer_named("clearcut.example/audit");
  NoteSigner reparsed = NoteSigner::parse(signer.to_string()).value();
  EXPECT_EQ(reparsed.verifier().public_key(), signer.verifier().public_key());
  EXPECT_EQ(reparsed.key_id(), signer.key_id());
  NoteVerifier verifier = NoteVerifier::parse(signer.verifier().to_string()).value();
  EXPECT_TRUE(verifier.verify("hello\n", signer.sign("hello\n")));
  EXPECT_FALSE(verifier.verify("hello!\n", signer.sign("hello\n")));
  EXPECT_NE(signer_named("clearcut.example/audit").verifier().public_key(),
            signer.verifier().public_key());
  EXPECT_FALSE(NoteSigner::generate("bad name").has_value());
  EXPECT_FALSE(NoteSigner::generate("a+b").has_value());
  EXPECT_FALSE(NoteSigner::generate("").has_value());
}

// RFC 8032 §7.1 TEST 1: an Ed25519 known answer through the OpenSSL EVP path.
TEST(AuditNoteKeyTest, Ed25519KnownAnswer) {
  std::vector<uint8_t> seed = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a,
                               0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32,
                               0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};
  NoteSigner signer = NoteSigner::from_seed("rfc8032", seed).value();
  EXPECT_EQ(base::base64_encode(signer.verifier().public_key()),
            base::base64_encode(std::vector<uint8_t>{
                0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
                0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
                0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a}));
  std::vector<uint8_t> signature = signer.sign("");
  EXPECT_EQ(signature,
            (std::vector<uint8_t>{0xe5, 0x56, 0x43, 0x00, 0xc3, 0x60, 0xac, 0x72, 0x90, 0x86, 0xe2,
                                  0xcc, 0x80, 0x6e, 0x82, 0x8a, 0x84, 0x87, 0x7f, 0x1e, 0xb8, 0xe5,
                                  0xd9, 0x74, 0xd8, 0x73, 0xe0, 0x65, 0x22, 0x49, 0x01, 0x55, 0x5f,
                                  0xb8, 0x82, 0x15, 0x90, 0xa3, 0x3b, 0xac, 0xc6, 0x1e, 0x39, 0x70,
                                  0x1c, 0xf9, 0xb4, 0x6b, 0xd2, 0x5b, 0xf5, 0xf0, 0x59, 0x5b, 0xbe,
                                  0x24, 0x65, 0x51, 0x41, 0x43, 0x8e, 0x7a, 0x10, 0x0b}));
}

TEST(AuditNoteTest, SignsTheReferenceNoteByteForByte) {
  NoteSigner signer = NoteSigner::parse(kGoSignerKey).value();
  EXPECT_EQ(sign_note(kGoText, signer).value(), kGoNote);
  NoteVerifier verifier = NoteVerifier::parse(kGoVerifierKey).value();
  OpenedNote opened = open_note(kGoNote, verifier).value();
  EXPECT_EQ(opened.text, kGoText);
  ASSERT_EQ(opened.verified.size(), 1u);
  EXPECT_EQ(opened.verified[0].key_name, "PeterNeumann");
  EXPECT_EQ(opened.verified[0].key_id, 0xc74f20a3u);
  EXPECT_TRUE(opened.unverified.empty());
}

TEST(AuditNoteTest, ParsesAndFormatsSignatures) {
  Note note = parse_note(kGoNote).value();
  EXPECT_EQ(note.text, kGoText);
  ASSERT_EQ(note.signatures.size(), 1u);
  EXPECT_EQ(note.signatures[0].signature.size(), 64u);
  EXPECT_EQ(format_note(note).value(), kGoNote);
}

TEST(AuditNoteTest, TextMayContainBlankLines) {
  NoteSigner signer = signer_named("poet.example");
  std::string text = "Ognuno sta solo sul cuor della terra\n\ned \xc3\xa8 subito sera.\n";
  std::string message = sign_note(text, signer).value();
  EXPECT_EQ(open_note(message, signer.verifier()).value().text, text);
  // A text that ends in a blank line still splits at the last blank line.
  std::string trailing = "line\n\n";
  EXPECT_EQ(open_note(sign_note(trailing, signer).value(), signer.verifier()).value().text,
            trailing);
}

TEST(AuditNoteTest, RejectsMalformedNotes) {
  NoteSigner signer = signer_named("log.example");
  std::string good_line = signature_line("log.example", [&] {
    std::vector<uint8_t> blob = {0, 0, 0, 1};
    std::vector<uint8_t> sig = signer.sign("text\n");
    blob.insert(blob.end(), sig.begin(), sig.end());
    return blob;
  }());
  std::string good_blob = good_line.substr(kEmDash.size() + 1 + std::string("log.example ").size());
  good_blob.pop_back();

  const std::pair<std::string, const char*> cases[] = {
      {"", "empty"},
      {"text\n\n" + good_line.substr(0, good_line.size() - 1), "no final newline"},
      {"text\n" + good_line, "no blank line"},
      {"text\n\n", "no signatures"},
      {"text\n\n" + good_line + "\n", "blank line after the signatures"},
      {"text\n\n- log.example " + good_blob + "\n", "hyphen instead of em dash"},
      {"text\n\n\xe2\x80\x93 log.example " + good_blob + "\n", "en dash"},
      {"text\n\n" + std::string(kEmDash) + "log.example " + good_blob + "\n", "no space"},
      {"text\n\n" + std::string(kEmDash) + " log.example\n", "no signature"},
      {"text\n\n" + std::string(kEmDash) + "  " + good_blob + "\n", "empty key name"},
      {"text\n\n" + std::string(kEmDash) + " log+example " + good_blob + "\n", "plus in name"},
      {"text\n\n" + std::string(kEmDash) + " log\xc2\xa0x " + good_blob + "\n", "NBSP in name"},
      {"text\n\n" + std::string(kEmDash) + " log.example " + good_blob + " \n", "trailing space"},
      {"text\n\n" + std::string(kEmDash) + " log.example " + good_blob.substr(1) + "\n",
       "bad base64"},
      {"text\n\n" + signature_line("log.example", {1, 2, 3, 4}), "key ID only"},
      {"te\txt\n\n" + good_line, "tab"},
      {"te\rxt\n\n" + good_line, "carriage return"},
      {"te\xffxt\n\n" + good_line, "invalid UTF-8"},
      {"te\xc0\xafxt\n\n" + good_line, "overlong UTF-8"},
      {"te\xed\xa0\x80xt\n\n" + good_line, "surrogate"},
      {"text\n\n" + good_line + good_line, "duplicate name and key ID"},
  };
  for (const auto& [message, what] : cases) {
    auto parsed = parse_note(message);
    ASSERT_FALSE(parsed.has_value()) << what;
    EXPECT_EQ(parsed.error().code(), base::ErrorCode::kInvalidArgument) << what;
  }
  EXPECT_TRUE(parse_note("text\n\n" + good_line).has_value());
}

TEST(AuditNoteTest, EnforcesSizeAndSignatureLimits) {
  NoteSigner signer = signer_named("log.example");
  std::string text = "text\n";
  // The spec's floor: at least 16 signatures must be accepted.
  std::string sixteen = text + "\n";
  for (uint32_t i = 0; i < 16; ++i) {
    sixteen += signature_line("witness" + std::to_string(i), {0, 0, 0, 1, 42});
  }
  EXPECT_EQ(parse_note(sixteen).value().signatures.size(), 16u);

  std::string many = text + "\n";
  for (uint32_t i = 0; i <= kMaxNoteSignatures; ++i) {
    many += signature_line("witness" + std::to_string(i), {0, 0, 0, 1, 42});
  }
  EXPECT_FALSE(parse_note(many).has_value());

  std::string huge(kMaxNoteBytes, 'x');
  huge += "\n\n" + signature_line("w", {0, 0, 0, 1, 42});
  EXPECT_FALSE(parse_note(huge).has_value());
  EXPECT_FALSE(sign_note(std::string(kMaxNoteBytes, 'x') + "\n", signer).has_value());
}

TEST(AuditNoteTest, SignRejectsBadText) {
  NoteSigner signer = signer_named("log.example");
  EXPECT_FALSE(sign_note("", signer).has_value());
  EXPECT_FALSE(sign_note("no newline", signer).has_value());
  EXPECT_FALSE(sign_note("tab\there\n", signer).has_value());
  EXPECT_FALSE(sign_note("bad \xff\n", signer).has_value());
  // Two signers with the same key would write two lines with the same name and key ID.
  std::vector<NoteSigner> twice = {signer, signer};
  EXPECT_FALSE(sign_note("text\n", twice).has_value());
}

TEST(AuditNoteTest, VerificationSemantics) {
  NoteSigner log = signer_named("log.example");
  NoteSigner witness = signer_named("witness.example");
  NoteSigner impostor = signer_named("log.example");  // same name, another key
  std::string text = "text\n";

  // Only unknown keys: rejected.
  auto unknown = open_note(sign_note(text, witness).value(), log.verifier());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code(), base::ErrorCode::kUnauthenticated);

  // A key sharing the trusted key's name but not its ID is ignored, not trusted.
  auto impersonated = open_note(sign_note(text, impostor).value(), log.verifier());
  ASSERT_FALSE(impersonated.has_value());
  EXPECT_EQ(impersonated.error().code(), base::ErrorCode::kUnauthenticated);

  // Known and unknown together: the unknown signature is reported, not verified.
  std::vector<NoteSigner> both = {witness, log, impostor};
  OpenedNote opened = open_note(sign_note(text, both).value(), log.verifier()).value();
  ASSERT_EQ(opened.verified.size(), 1u);
  EXPECT_EQ(opened.verified[0].key_id, log.key_id());
  EXPECT_EQ(opened.unverified.size(), 2u);

  // Several trusted keys: each verifies.
  std::vector<NoteVerifier> trusted = {log.verifier(), witness.verifier()};
  EXPECT_EQ(open_note(sign_note(text, both).value(), trusted).value().verified.size(), 2u);

  // Altered text: the trusted signature fails and the whole note is rejected.
  std::string altered = sign_note(text, both).value();
  altered[0] = 'T';
  auto rejected = open_note(altered, trusted);
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().code(), base::ErrorCode::kDataLoss);

  // A trusted key's signature of the wrong length fails too.
  std::vector<uint8_t> blob = {0, 0, 0, 0};
  for (int shift = 24; shift >= 0; shift -= 8) {
    blob[3 - shift / 8] = static_cast<uint8_t>(log.key_id() >> shift);
  }
  blob.push_back(1);
  auto short_signature = open_note(text + "\n" + signature_line("log.example", blob), trusted);
  ASSERT_FALSE(short_signature.has_value());
  EXPECT_EQ(short_signature.error().code(), base::ErrorCode::kDataLoss);

  // Ambiguous trust configuration.
  std::vector<NoteVerifier> ambiguous = {log.verifier(), log.verifier()};
  auto error = open_note(sign_note(text, log).value(), ambiguous);
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().code(), base::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace clearcut::audit
