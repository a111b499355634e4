// Validation of assets built from scratch (test_samples.h) with every allowed algorithm, each
// container, and the tampering a validator must catch.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/c2pa_writer.h"
#include "clearcut/provenance/c2pa/test_samples.h"

namespace clearcut::c2pa {
namespace {

using test_samples::Container;
using test_samples::SampleOptions;
using test_samples::TestSigner;

const TestSigner& signer_for(CoseAlgorithm algorithm) {
  static std::map<CoseAlgorithm, TestSigner> signers;
  auto it = signers.find(algorithm);
  if (it == signers.end()) {
    it = signers.emplace(algorithm, test_samples::make_signer(algorithm)).first;
  }
  return it->second;
}

C2paReport validate(std::span<const uint8_t> asset, const TrustAnchors* anchors,
                    std::optional<int64_t> now = std::nullopt) {
  ReadOptions options;
  options.trust_anchors = anchors;
  options.now = now;
  auto report = read_c2pa(asset, options);
  EXPECT_TRUE(report.has_value());
  return report.has_value() ? std::move(report).value() : C2paReport();
}

std::set<std::string> codes(const C2paReport& report) {
  auto list = report.failure_codes();
  return {list.begin(), list.end()};
}

// Offset of `needle` in `haystack`, which must contain it.
size_t find_bytes(const std::vector<uint8_t>& haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end());
  EXPECT_NE(it, haystack.end()) << needle;
  return static_cast<size_t>(it - haystack.begin());
}

class C2paAlgorithmTest : public testing::TestWithParam<CoseAlgorithm> {};

TEST_P(C2paAlgorithmTest, SignedSampleIsTrustedWithItsRootAndValidWithout) {
  const TestSigner& signer = signer_for(GetParam());
  std::vector<uint8_t> asset = test_samples::build_signed_asset(signer, {});
  TrustAnchors anchors = signer.anchors();

  C2paReport trusted = validate(asset, &anchors);
  EXPECT_EQ(trusted.verdict, Verdict::kTrusted) << testing::PrintToString(trusted.failure_codes());
  EXPECT_TRUE(trusted.integrity.intact);
  EXPECT_TRUE(trusted.trust.trusted);
  EXPECT_EQ(trusted.trust.signers.at(0).algorithm, cose_algorithm_name(GetParam()));
  EXPECT_TRUE(trusted.ai.generative_ai());
  ASSERT_EQ(trusted.ai.findings.size(), 1u);
  EXPECT_TRUE(trusted.ai.findings[0].verified);

  C2paReport untrusted = validate(asset, nullptr);
  EXPECT_EQ(untrusted.verdict, Verdict::kValid);
  EXPECT_EQ(codes(untrusted), std::set<std::string>{"signingCredential.untrusted"});
}

std::string algorithm_name(const testing::TestParamInfo<CoseAlgorithm>& param_info) {
  return std::string(cose_algorithm_name(param_info.param));
}

INSTANTIATE_TEST_SUITE_P(Algorithms, C2paAlgorithmTest,
                         testing::Values(CoseAlgorithm::kEs256, CoseAlgorithm::kEs384,
                                         CoseAlgorithm::kEs512, CoseAlgorithm::kPs256,
                                         CoseAlgorithm::kPs384, CoseAlgorithm::kPs512,
                                         CoseAlgorithm::kEd25519),
                         algorithm_name);

TEST(C2paValidationTest, EveryContainerBindsItsContent) {
  const TestSigner& signer = signer_for(CoseAlgorithm::kEs256);
  TrustAnchors anchors = signer.anchors();
  for (Container container : {Container::kJpeg, Container::kPng, Container::kBmff}) {
    SampleOptions options;
    options.container = container;
    std::vector<uint8_t> asset = test_samples::build_signed_asset(signer, options);
    C2paReport report = validate(asset, &anchors);
    EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());

    // Change one byte of the content after the manifest: the hard binding must notice.
    asset[asset.size() - 4] ^= 0x01;
    C2paReport tampered = validate(asset, &anchors);
    EXPECT_EQ(tampered.verdict, Verdict::kInvalid);
    std::string expected = container == Container::kBmff ? "assertion.bmffHash.mismatch"
                                                         : "assertion.dataHash.mismatch";
    EXPECT_EQ(codes(tampered), std::set<std::string>{expected});
    EXPECT_TRUE(tampered.trust.trusted);
  }
}

TEST(C2paValidationTest, ReassemblesJpegStoreSplitOverManySegments) {
  const TestSigner& signer = signer_for(CoseAlgorithm::kEs256);
  TrustAnchors anchors = signer.anchors();
  SampleOptions options;
  options.app11_payload_max = 300;
  std::vector<uint8_t> asset = test_samples::build_signed_asset(signer, options);
  C2paReport report = validate(asset, &anchors);
  EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
  EXPECT_GT(report.carriers.size(), 3u);

  // Packets are ordered by their sequence number Z, not by their place in the file.
  const ByteRange first = report.carriers[0];
  const ByteRange second = report.carriers[1];
  std::vector<uint8_t> swapped(asset.begin(), asset.begin() + first.offset);
  swapped.insert(swapped.end(), asset.begin() + second.offset, asset.begin() + second.end());
  swapped.insert(swapped.end(), asset.begin() + first.offset, asset.begin() + first.end());
  swapped.insert(swapped.end(), asset.begin() + second.end(), asset.end());
  ASSERT_EQ(swapped.size(), asset.size());
  EXPECT_EQ(validate(swapped, &anchors).verdict, Verdict::kTrusted);
}

TEST(C2paValidationTest, ChangedClaimBreaksTheSignature) {
  const TestSigner& signer = signer_for(CoseAlgorithm::kEs256);
  TrustAnchors anchors = signer.anchors();
  std::vector<uint8_t> asset = test_samples::build_signed_asset(signer, {});
  asset[find_bytes(asset, "xmp:iid:") + 4] = 'X';
  C2paReport report = validate(asset, &anchors);
  EXPECT_EQ(report.verdict, Verdict::kInvalid);
  EXPECT_EQ(codes(report), std::set<std::string>{"claimSignature.mismatch"});
}

TEST(C2paValidationTest, ChangedAssertionBreaksItsHashedUri) {
  const TestSigner& signer = signer_for(CoseAlgorithm::kEs256);
  TrustAnchors anchors = signer.anchors();
  std::vector<uint8_t> asset = test_samples::build_signed_asset(signer, {});
  // trainedAlgorithmicMedia -> trainedAlgorithmicMedib: same length, different bytes.
  size_t at = find_bytes(asset, "trainedAlgorithmicMedia");
  asset[at + std::string_view("trainedAlgorithmicMedia").size() - 1] = 'b';
  C2paReport report = validate(asset, &anchors);
  EXPECT_EQ(report.verdict, Verdict::kInvalid);
  EXPECT_EQ(codes(report), std::set<std::string>{"assertion.hashedURI.mismatch"});
  // Disclosure still reports what the manifest says, here an unknown source type.
  ASSERT_EQ(report.ai.findings.size(), 1u);
  EXPECT_EQ(report.ai.findings[0].type, DigitalSourceType::kUnknown);
  EXPECT_FALSE(report.ai.findings[0].verified);
}

TEST(C2paValidationTest, DerEcdsaSignatureIsAnInvalidCredential) {
  const TestSigner& signer = signer_for(CoseAlgorithm::kEs256);
  TrustAnchors anchors = signer.anchors();
  SampleOptions options;
  options.der_ecdsa = true;
  std::vector<uint8_t> asset = test_samples::build_signed_asset(signer, options);
  C2paReport report = validate(asset, &anchors);
  EXPECT_EQ(report.verdict, Verdict::kInvalid);
  EXPECT_TRUE(codes(report).count("signingCredential.invalid"));
  EXPECT_TRUE(codes(report).count("claimSignature.mismatch"));
}

TEST(C2paValidationTest, CertificateOutsideItsValidityIsExpired) {
  const TestSigner& signer = signer_for(CoseAlgorithm::kEs256);
  TrustAnchors anchors = signer.anchors();
  std::vector<uint8_t> asset = test_samples::build_signed_asset(signer, {});
  constexpr int64_t kYear2100 = 4102444800;
  C2paReport report = validate(asset, &anchors, kYear2100);
  EXPECT_EQ(report.verdict, Verdict::kInvalid);
  EXPECT_TRUE(codes(report).count("signingCredential.expired"));
}

TEST(C2paValidationTest, AnotherRootDoesNotTrustTheSigner) {
  TrustAnchors other = signer_for(CoseAlgorithm::kEd25519).anchors();
  std::vector<uint8_t> asset =
      test_samples::build_signed_asset(signer_for(CoseAlgorithm::kEs256), {});
  C2paReport report = validate(asset, &other);
  EXPECT_EQ(report.verdict, Verdict::kValid);
  EXPECT_FALSE(report.trust.signers.at(0).untrusted_reason.empty());
}

TEST(C2paValidationTest, DiscloseNonGenerativeSourceTypes) {
  const TestSigner& signer = signer_for(CoseAlgorithm::kEs256);
  SampleOptions options;
  options.digital_source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture";
  C2paReport report = validate(test_samples::build_signed_asset(signer, options), nullptr);
  EXPECT_FALSE(report.ai.generative_ai());
  EXPECT_FALSE(report.ai.synthetic());
  EXPECT_EQ(report.ai.terms(), std::vector<std::string>{"digitalCapture"});
}

// Truncations and byte flips anywhere must give a report, never a crash (the fuzzer goes
// further; this runs in every test build, ASan included).
TEST(C2paValidationTest, SurvivesTruncationAndCorruption) {
  const TestSigner& signer = signer_for(CoseAlgorithm::kEs256);
  for (Container container : {Container::kJpeg, Container::kPng, Container::kBmff}) {
    SampleOptions options;
    options.container = container;
    options.app11_payload_max = 400;
    std::vector<uint8_t> asset = test_samples::build_signed_asset(signer, options);
    for (size_t cut = 0; cut < asset.size(); cut += 7) {
      std::vector<uint8_t> truncated(asset.begin(), asset.begin() + cut);
      EXPECT_TRUE(read_c2pa(truncated).has_value());
    }
    uint32_t state = 12345;
    for (int i = 0; i < 400; ++i) {
      state = state * 1664525u + 1013904223u;
      std::vector<uint8_t> corrupt = asset;
      corrupt[state % corrupt.size()] ^= static_cast<uint8_t>(1u << ((state >> 8) % 8));
      EXPECT_TRUE(read_c2pa(corrupt).has_value());
    }
  }
}

// Writes the fuzz seed corpus (fuzz/corpus/c2pa/): small assets built here, never fixtures.
// Run by hand: C2PA_SEED_DIR=fuzz/corpus/c2pa c2pa_validation_test
//   --gtest_also_run_disabled_tests --gtest_filter='*WriteFuzzSeeds'
TEST(C2paValidationTest, DISABLED_WriteFuzzSeeds) {
  const char* dir = std::getenv("C2PA_SEED_DIR");
  ASSERT_NE(dir, nullptr);
  auto write = [&](const std::string& name, const std::vector<uint8_t>& data) {
    std::FILE* file = std::fopen((std::string(dir) + "/" + name).c_str(), "wb");
    ASSERT_NE(file, nullptr);
    std::fwrite(data.data(), 1, data.size(), file);
    std::fclose(file);
  };
  const TestSigner& es256 = signer_for(CoseAlgorithm::kEs256);
  const TestSigner& ed25519 = signer_for(CoseAlgorithm::kEd25519);
  SampleOptions options;
  write("es256.jpg", test_samples::build_signed_asset(es256, options));
  write("ed25519.jpg", test_samples::build_signed_asset(ed25519, options));
  options.app11_payload_max = 256;
  write("split.jpg", test_samples::build_signed_asset(ed25519, options));
  options.app11_payload_max = 0;
  options.container = Container::kPng;
  write("ed25519.png", test_samples::build_signed_asset(ed25519, options));
  options.container = Container::kBmff;
  write("ed25519.mp4", test_samples::build_signed_asset(ed25519, options));
  options.container = Container::kJpeg;
  write("store.jumbf", test_samples::build_manifest_store(ed25519, options));
  std::vector<uint8_t> jpeg = test_samples::build_signed_asset(ed25519, options);
  jpeg.resize(jpeg.size() / 2);
  write("truncated.jpg", jpeg);
  // A WAV of four samples with its store as the last chunk, written by clearcut's writer.
  std::vector<uint8_t> wav = {'R', 'I', 'F',  'F',  44, 0, 0, 0, 'W', 'A', 'V', 'E',  'f',
                              'm', 't', ' ',  16,   0,  0, 0, 1, 0,   1,   0,   0x40, 0x1f,
                              0,   0,   0x80, 0x3e, 0,  0, 2, 0, 16,  0,   'd', 'a',  't',
                              'a', 8,   0,    0,    0,  1, 0, 2, 0,   3,   0,   4,    0};
  ManifestDefinition definition;
  definition.digital_source_type = DigitalSourceType::kTrainedAlgorithmicMedia;
  definition.software_agent.name = "seed";
  auto written = write_c2pa(wav, ed25519.keys(), definition);
  ASSERT_TRUE(written.has_value()) << written.error().to_string();
  write("ed25519.wav", written->bytes);
  // An MP3 of two MPEG-2 Layer III frames of silence (8 kbit/s, 22.05 kHz, 26 bytes each) behind
  // an ID3v2.4 tag with a TSSE frame; the store goes into a GEOB frame of that tag.
  std::vector<uint8_t> mp3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0,   15,  'T', 'S', 'S',
                              'E', 0,   0,   0, 5, 0, 0, 3, 'x', '.', '1', 0};
  for (int frame = 0; frame < 2; ++frame) {
    const std::vector<uint8_t> header = {0xFF, 0xF3, 0x10, 0xC4};
    mp3.insert(mp3.end(), header.begin(), header.end());
    mp3.insert(mp3.end(), 22, 0);
  }
  auto signed_mp3 = write_c2pa(mp3, ed25519.keys(), definition);
  ASSERT_TRUE(signed_mp3.has_value()) << signed_mp3.error().to_string();
  write("ed25519.mp3", signed_mp3->bytes);
}

}  // namespace
}  // namespace clearcut::c2pa
