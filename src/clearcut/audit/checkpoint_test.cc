#include "clearcut/audit/checkpoint.h"

#include <string>

#include <gtest/gtest.h>

#include "clearcut/audit/merkle_tree.h"
#include "clearcut/audit/note.h"
#include "clearcut/base/base64.h"
#include "clearcut/base/hex.h"

namespace clearcut::audit {
namespace {

// The example of C2SP tlog-checkpoint (signed by a key we do not have).
constexpr std::string_view kSpecCheckpoint =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "\xe2\x80\x94 example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
    "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

constexpr std::string_view kOrigin = "clearcut.example/audit";

Hash hash_of(std::string_view base64) {
  Hash hash{};
  auto bytes = base::base64_decode(base64).value();
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

TEST(AuditCheckpointTest, ParsesTheSpecExample) {
  Note note = parse_note(kSpecCheckpoint).value();
  ASSERT_EQ(note.signatures.size(), 1u);
  EXPECT_EQ(note.signatures[0].key_name, "example.com/behind-the-sofa");
  EXPECT_EQ(note.signatures[0].key_id, 0x033de0aeu);
  EXPECT_EQ(note.signatures[0].signature.size(), 64u);
  Checkpoint checkpoint = parse_checkpoint_text(note.text).value();
  EXPECT_EQ(checkpoint.origin, "example.com/behind-the-sofa");
  EXPECT_EQ(checkpoint.size, 20852163u);
  EXPECT_EQ(checkpoint.root_hash, hash_of("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));
  EXPECT_TRUE(checkpoint.extensions.empty());
  EXPECT_EQ(checkpoint_text(checkpoint).value(), note.text);
}

TEST(AuditCheckpointTest, SignsAndOpensATreeHead) {
  NoteSigner signer = NoteSigner::generate(kOrigin).value();
  MerkleTree tree;
  tree.append(std::string_view("\x00", 1));
  Checkpoint checkpoint{std::string(kOrigin), tree.size(), tree.root(), {}};
  std::string note = sign_checkpoint(checkpoint, signer).value();
  EXPECT_TRUE(note.starts_with(
      "clearcut.example/audit\n1\n"
      "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=\n\n\xe2\x80\x94 clearcut.example/audit "))
      << note;
  EXPECT_EQ(open_checkpoint(note, signer.verifier(), kOrigin).value(), checkpoint);

  Checkpoint empty{std::string(kOrigin), 0, empty_tree_hash(), {}};
  EXPECT_EQ(
      open_checkpoint(sign_checkpoint(empty, signer).value(), signer.verifier(), kOrigin).value(),
      empty);
}

TEST(AuditCheckpointTest, ExtensionLinesRoundTrip) {
  NoteSigner signer = NoteSigner::generate(kOrigin).value();
  Checkpoint checkpoint{std::string(kOrigin),
                        42,
                        hash_leaf(std::string_view("x")),
                        {"timestamp 1732240565", "\xf0\x9f\x8e\xac"}};
  std::string note = sign_checkpoint(checkpoint, signer).value();
  EXPECT_EQ(open_checkpoint(note, signer.verifier(), kOrigin).value(), checkpoint);
}

TEST(AuditCheckpointTest, RejectsForeignOrAlteredCheckpoints) {
  NoteSigner signer = NoteSigner::generate(kOrigin).value();
  NoteSigner other = NoteSigner::generate(kOrigin).value();
  Checkpoint checkpoint{std::string(kOrigin), 7, hash_leaf(std::string_view("x")), {}};
  std::string note = sign_checkpoint(checkpoint, signer).value();

  auto wrong_key = open_checkpoint(note, other.verifier(), kOrigin);
  ASSERT_FALSE(wrong_key.has_value());
  EXPECT_EQ(wrong_key.error().code(), base::ErrorCode::kUnauthenticated);

  auto wrong_origin = open_checkpoint(note, signer.verifier(), "other.example/log");
  ASSERT_FALSE(wrong_origin.has_value());
  EXPECT_EQ(wrong_origin.error().code(), base::ErrorCode::kInvalidArgument);

  std::string bigger = note;
  bigger.replace(bigger.find("\n7\n"), 3, "\n8\n");
  auto altered = open_checkpoint(bigger, signer.verifier(), kOrigin);
  ASSERT_FALSE(altered.has_value());
  EXPECT_EQ(altered.error().code(), base::ErrorCode::kDataLoss);

  // A validly signed note that is not a checkpoint.
  auto not_a_checkpoint =
      open_checkpoint(sign_note("hello\n", signer).value(), signer.verifier(), kOrigin);
  ASSERT_FALSE(not_a_checkpoint.has_value());
  EXPECT_EQ(not_a_checkpoint.error().code(), base::ErrorCode::kInvalidArgument);
}

TEST(AuditCheckpointTest, ParsesSizesStrictly) {
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  auto parse_size = [&](std::string_view size) {
    return parse_checkpoint_text("o\n" + std::string(size) + "\n" + root + "\n");
  };
  EXPECT_EQ(parse_size("0").value().size, 0u);
  EXPECT_EQ(parse_size("18446744073709551615").value().size, 18446744073709551615u);
  for (std::string_view bad : {"", "00", "01", "-1", "+1", " 1", "1 ", "0x10", "1e3",
                               "18446744073709551616", "99999999999999999999"}) {
    EXPECT_FALSE(parse_size(bad).has_value()) << bad;
  }
}

TEST(AuditCheckpointTest, RejectsMalformedText) {
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  for (const std::string& bad : {
           std::string("o\n1\n" + root),                // no final newline
           std::string("o\n1\n"),                       // no root
           std::string("\n1\n" + root + "\n"),          // empty origin
           std::string("o\n1\n" + root + "\n\next\n"),  // empty extension line
           std::string("o\n1\n" + root + "\n\n"),       // trailing empty line
           std::string("o\xff\n1\n" + root + "\n"),     // invalid UTF-8
           std::string("o\r\n1\n" + root + "\n"),       // control character
           std::string("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n"),   // 31 bytes
           std::string("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n"),  // non-canonical
           std::string("o\n1\n" + base::to_hex(Hash{}) + "\n"),                  // hex, not base64
       }) {
    EXPECT_FALSE(parse_checkpoint_text(bad).has_value()) << bad;
  }
}

TEST(AuditCheckpointTest, RefusesToWriteMalformedCheckpoints) {
  Hash root = empty_tree_hash();
  EXPECT_FALSE(checkpoint_text({"", 0, root, {}}).has_value());
  EXPECT_FALSE(checkpoint_text({"two\nlines", 0, root, {}}).has_value());
  EXPECT_FALSE(checkpoint_text({"tab\there", 0, root, {}}).has_value());
  EXPECT_FALSE(checkpoint_text({"o", 0, root, {""}}).has_value());
  EXPECT_FALSE(checkpoint_text({"o", 0, root, {"a\nb"}}).has_value());
  EXPECT_FALSE(checkpoint_text({"bad \xff", 0, root, {}}).has_value());
}

}  // namespace
}  // namespace clearcut::audit
