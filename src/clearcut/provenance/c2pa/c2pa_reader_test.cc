#include "clearcut/provenance/c2pa/c2pa_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clearcut/provenance/c2pa/c2pa_writer.h"
#include "clearcut/provenance/c2pa/test_samples.h"

namespace clearcut::c2pa {
namespace {

const std::string kFixtures = CLEARCUT_SHARED_DIR "/fixtures/c2pa/";

// What the reference validator (c2pa-rs via @contentauth/c2pa-wasm 0.13.3) reports for each
// fixture, from fixtures/c2pa/README.md: the verdict and failure codes without trust anchors
// and with test_cert_root_bundle.pem, and the digital source types.
struct Expectation {
  const char* file;
  const char* verdict;  // "Valid", "Trusted", "Invalid", or the reason no manifest was read
  std::set<std::string> codes;
  const char* verdict_with_anchors;
  std::set<std::string> codes_with_anchors;
  std::set<std::string> source_types;
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const Expectation& e, std::ostream* os) {
  *os << e.file;
}

const char* const kUntrusted = "signingCredential.untrusted";

const std::vector<Expectation>& conformance_table() {
  static const std::vector<Expectation> kTable = {
      {"C.jpg", "Valid", {kUntrusted}, "Trusted", {}, {"algorithmicMedia"}},
      {"CA.jpg", "Valid", {kUntrusted}, "Trusted", {}, {}},
      {"CACA.jpg", "Valid", {kUntrusted}, "Trusted", {}, {}},
      {"CIE-sig-CA.jpg", "Valid", {kUntrusted}, "Trusted", {}, {"algorithmicMedia"}},
      {"E-sig-CA.jpg",
       "Invalid",
       {kUntrusted, "claimSignature.mismatch"},
       "Invalid",
       {"claimSignature.mismatch"},
       {}},
      {"XCA.jpg",
       "Invalid",
       {kUntrusted, "assertion.dataHash.mismatch"},
       "Invalid",
       {"assertion.dataHash.mismatch"},
       {}},
      {"adobe-20220124-E-clm-CAICAI.jpg",
       "Invalid",
       {"ingredient.manifest.missing", kUntrusted, "assertion.hashedURI.mismatch"},
       "Invalid",
       {"ingredient.manifest.missing", "assertion.hashedURI.mismatch"},
       {}},
      {"boxhash.jpg", "Valid", {kUntrusted}, "Trusted", {}, {}},
      {"earth_apollo17.jpg", "JumbfNotFound", {}, "JumbfNotFound", {}, {}},
      {"no_alg.jpg", "UnknownAlgorithm", {}, "UnknownAlgorithm", {}, {}},
      {"no_manifest.jpg", "JumbfNotFound", {}, "JumbfNotFound", {}, {}},
      {"ocsp.jpg",
       "Valid",
       {kUntrusted},
       "Valid",
       {kUntrusted},
       {"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"}},
      {"libpng-test.png", "JumbfNotFound", {}, "JumbfNotFound", {}, {}},
      {"sample1.png", "JumbfNotFound", {}, "JumbfNotFound", {}, {}},
      {"dashinit.mp4",
       "Invalid",
       {kUntrusted, "assertion.bmffHash.mismatch"},
       "Invalid",
       {kUntrusted, "assertion.bmffHash.mismatch"},
       {}},
      {"legacy.mp4", "Valid", {kUntrusted}, "Valid", {kUntrusted}, {}},
      {"video1.mp4", "Valid", {kUntrusted}, "Valid", {kUntrusted}, {}},
      {"video1_no_manifest.mp4", "JumbfNotFound", {}, "JumbfNotFound", {}, {}},
  };
  return kTable;
}

std::string verdict_text(const C2paReport& report) {
  if (report.verdict == Verdict::kNoManifest) {
    return std::string(no_manifest_reason_name(report.no_manifest_reason));
  }
  return std::string(verdict_name(report.verdict));
}

std::set<std::string> codes_of(const C2paReport& report) {
  auto codes = report.failure_codes();
  return {codes.begin(), codes.end()};
}

std::set<std::string> source_types_of(const C2paReport& report) {
  auto terms = report.ai.terms();
  return {terms.begin(), terms.end()};
}

const TrustAnchors& test_anchors() {
  static const TrustAnchors kAnchors =
      TrustAnchors::load_pem_file(kFixtures + "test_cert_root_bundle.pem").value();
  return kAnchors;
}

C2paReport read(const std::string& file, bool with_anchors) {
  ReadOptions options;
  if (with_anchors) {
    options.trust_anchors = &test_anchors();
  }
  auto report = read_c2pa_file(kFixtures + file, options);
  EXPECT_TRUE(report.has_value()) << file;
  return report.has_value() ? std::move(report).value() : C2paReport();
}

class C2paConformanceTest : public testing::TestWithParam<Expectation> {};

TEST_P(C2paConformanceTest, AgreesWithReferenceValidator) {
  const Expectation& e = GetParam();
  C2paReport plain = read(e.file, false);
  EXPECT_EQ(verdict_text(plain), e.verdict) << plain.detail;
  EXPECT_EQ(codes_of(plain), e.codes);
  EXPECT_EQ(source_types_of(plain), e.source_types);

  C2paReport anchored = read(e.file, true);
  EXPECT_EQ(verdict_text(anchored), e.verdict_with_anchors) << anchored.detail;
  EXPECT_EQ(codes_of(anchored), e.codes_with_anchors);
  EXPECT_EQ(source_types_of(anchored), e.source_types);
}

std::string fixture_name(const testing::TestParamInfo<Expectation>& info) {
  std::string name = info.param.file;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, C2paConformanceTest, testing::ValuesIn(conformance_table()),
                         fixture_name);

// The table covers every file of the fixture folder that is an asset.
TEST(C2paConformanceTableTest, CoversEveryFixture) {
  std::set<std::string> listed;
  for (const Expectation& e : conformance_table()) {
    listed.insert(e.file);
  }
  for (const char* file :
       {"C.jpg", "CA.jpg", "CACA.jpg", "CIE-sig-CA.jpg", "E-sig-CA.jpg", "XCA.jpg",
        "adobe-20220124-E-clm-CAICAI.jpg", "boxhash.jpg", "dashinit.mp4", "earth_apollo17.jpg",
        "legacy.mp4", "libpng-test.png", "no_alg.jpg", "no_manifest.jpg", "ocsp.jpg", "sample1.png",
        "video1.mp4", "video1_no_manifest.mp4"}) {
    EXPECT_TRUE(listed.count(file)) << file;
  }
}

// ocsp.jpg is signed by Adobe's production chain (Adobe Root CA G2), which the test bundle
// does not hold: its credentials are fine, the anchor is simply absent.
TEST(C2paTrustTest, OcspSignersDoNotChainToTheTestRoots) {
  C2paReport report = read("ocsp.jpg", true);
  ASSERT_EQ(report.trust.signers.size(), 2u);
  for (const SignerReport& signer : report.trust.signers) {
    EXPECT_FALSE(signer.chain_trusted) << signer.manifest_label;
    EXPECT_TRUE(signer.profile_problems.empty()) << signer.manifest_label;
    EXPECT_TRUE(signer.time_stamp.has_value());
    ASSERT_TRUE(signer.certificate.has_value());
    EXPECT_EQ(signer.certificate->organization, "Adobe Inc.");
  }
  EXPECT_FALSE(report.trust.trusted);
  EXPECT_TRUE(report.integrity.intact);
}

// video1.mp4's active manifest is signed with the C2PA test chain and is trusted with the
// bundle; its ingredient's manifest is signed by "Media Publisher Company", whose root is not
// an anchor, so the asset stays Valid rather than Trusted.
TEST(C2paTrustTest, Video1IngredientSignerIsWhatStaysUntrusted) {
  C2paReport report = read("video1.mp4", true);
  ASSERT_EQ(report.trust.signers.size(), 2u);
  EXPECT_TRUE(report.trust.signers[0].active_manifest);
  EXPECT_TRUE(report.trust.signers[0].chain_trusted);
  EXPECT_FALSE(report.trust.signers[1].chain_trusted);
  EXPECT_EQ(report.trust.signers[1].certificate->organization, "Media Publisher Company");
  ASSERT_EQ(report.trust.failures.size(), 1u);
  EXPECT_FALSE(report.trust.failures[0].ingredient_uri.empty());
  EXPECT_EQ(report.verdict, Verdict::kValid);
}

// legacy.mp4: the active manifest's signer is a GlobalSign personal certificate (not a test
// root); its leaf expired in 2023 but the RFC 3161 time-stamp puts the signature inside the
// validity period.
TEST(C2paTrustTest, LegacyActiveSignerIsGlobalSignAndTimeStamped) {
  C2paReport report = read("legacy.mp4", true);
  ASSERT_FALSE(report.trust.signers.empty());
  const SignerReport& active = report.trust.signers[0];
  EXPECT_FALSE(active.chain_trusted);
  EXPECT_NE(active.certificate->issuer.find("GlobalSign"), std::string::npos);
  ASSERT_TRUE(active.time_stamp.has_value());
  EXPECT_TRUE(active.certificate->valid_at(*active.time_stamp));
  EXPECT_EQ(active.algorithm, "PS256");
}

TEST(C2paTrustTest, WithoutAnchorsNothingIsTrusted) {
  C2paReport report = read("C.jpg", false);
  EXPECT_FALSE(report.trust.trusted);
  EXPECT_EQ(report.trust.signers[0].untrusted_reason, "no trust anchors configured");
  EXPECT_TRUE(report.integrity.intact);
  EXPECT_EQ(report.verdict, Verdict::kValid);
}

TEST(C2paIntegrityTest, ReportsWhatWasTampered) {
  C2paReport xca = read("XCA.jpg", true);
  ASSERT_EQ(xca.integrity.failures.size(), 1u);
  EXPECT_EQ(xca.integrity.failures[0].code, "assertion.dataHash.mismatch");
  EXPECT_TRUE(xca.trust.trusted);

  C2paReport clm = read("adobe-20220124-E-clm-CAICAI.jpg", true);
  EXPECT_FALSE(clm.integrity.intact);
  bool names_ingredient = false;
  for (const ValidationStatus& s : clm.integrity.failures) {
    if (s.code == "assertion.hashedURI.mismatch") {
      names_ingredient = s.url.find("c2pa.ingredient__1") != std::string::npos;
    }
  }
  EXPECT_TRUE(names_ingredient);
}

TEST(C2paAiDisclosureTest, SaysWhereEachSourceTypeWasDeclared) {
  C2paReport report = read("ocsp.jpg", false);
  EXPECT_TRUE(report.ai.generative_ai());
  bool composite_in_active = false;
  bool trained_in_ingredient = false;
  for (const SourceTypeFinding& f : report.ai.findings) {
    if (f.type == DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia && f.active_manifest) {
      composite_in_active = true;
    }
    if (f.type == DigitalSourceType::kTrainedAlgorithmicMedia && !f.active_manifest) {
      trained_in_ingredient = f.action == "c2pa.created" && f.software_agent == "Adobe Firefly";
    }
    EXPECT_TRUE(f.verified) << f.uri;
  }
  EXPECT_TRUE(composite_in_active);
  EXPECT_TRUE(trained_in_ingredient);

  C2paReport c = read("C.jpg", false);
  EXPECT_FALSE(c.ai.generative_ai());
  EXPECT_TRUE(c.ai.synthetic());
}

TEST(C2paAiDisclosureTest, IngredientFindingsNameTheirIngredient) {
  C2paReport report = read("ocsp.jpg", false);
  ASSERT_EQ(report.ingredients.size(), 1u);
  const IngredientFinding& ingredient = report.ingredients[0];
  EXPECT_EQ(ingredient.manifest_label, report.active_manifest);
  EXPECT_TRUE(ingredient.manifest_present);
  for (const SourceTypeFinding& f : report.ai.findings) {
    if (f.active_manifest) {
      EXPECT_EQ(f.scope(), "active manifest");
      EXPECT_EQ(f.ingredient_uri, "");
    } else {
      EXPECT_EQ(f.scope(), "ingredient");
      EXPECT_EQ(f.manifest_label, ingredient.ingredient_manifest);
      EXPECT_EQ(f.ingredient_uri, ingredient.assertion_uri);
      EXPECT_EQ(f.relationship, ingredient.ingredient.relationship);
    }
  }
}

// Real-world files with Content Credentials as the parent of an AI edit signed by clearcut
// (c2pa_writer.h): the edit reads intact, names the original's active manifest as its parentOf
// ingredient, and discloses the source types of both.
class C2paParentFixtureTest : public testing::Test {
 protected:
  static const test_samples::TestSigner& signer() {
    static const test_samples::TestSigner kSigner =
        test_samples::make_signer(CoseAlgorithm::kEs256);
    return kSigner;
  }

  static SignedAsset edit_of(const std::string& fixture) {
    auto bytes = read_file(kFixtures + fixture);
    ManifestDefinition definition;
    definition.digital_source_type = DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia;
    definition.software_agent = {"Inpainter", "2"};
    definition.parent = ParentAsset{bytes, fixture, "", "", {}};
    auto written = write_c2pa(test_samples::build_unsigned_asset({}), signer().keys(), definition);
    EXPECT_TRUE(written.has_value()) << fixture << ": " << written.error().to_string();
    return written.has_value() ? std::move(written).value() : SignedAsset();
  }

  static std::vector<uint8_t> read_file(const std::string& path) {
    std::vector<uint8_t> out;
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      uint8_t buffer[1 << 16];
      size_t n = 0;
      while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
        out.insert(out.end(), buffer, buffer + n);
      }
      std::fclose(f);
    }
    return out;
  }
};

TEST_F(C2paParentFixtureTest, EditOfOcspKeepsEveryAiLabel) {
  SignedAsset edit = edit_of("ocsp.jpg");
  C2paReport parent = read("ocsp.jpg", false);
  C2paReport report = read_c2pa(edit.bytes).value();
  EXPECT_EQ(report.verdict, Verdict::kValid);
  EXPECT_EQ(codes_of(report), std::set<std::string>{kUntrusted});
  EXPECT_TRUE(report.integrity.intact);
  EXPECT_EQ(edit.parent_manifest, parent.active_manifest);
  EXPECT_EQ(edit.parent_verdict, Verdict::kValid);
  // Both of the original's manifests came along, the edit's is last.
  ASSERT_EQ(report.store->manifests().size(), 3u);
  EXPECT_EQ(report.store->active_manifest()->label, edit.manifest_label);

  // Ours first, then the original's own ingredient.
  ASSERT_EQ(report.ingredients.size(), 2u);
  EXPECT_EQ(report.ingredients[0].manifest_label, edit.manifest_label);
  EXPECT_EQ(report.ingredients[0].ingredient.relationship, "parentOf");
  EXPECT_EQ(report.ingredients[0].ingredient.title, "ocsp.jpg");
  EXPECT_EQ(report.ingredients[0].ingredient.format, "image/jpeg");
  EXPECT_EQ(report.ingredients[0].ingredient_manifest, parent.active_manifest);
  EXPECT_TRUE(report.ingredients[0].manifest_present);
  EXPECT_EQ(report.ingredients[1].manifest_label, parent.active_manifest);

  // The edit, then the original's two labels.
  ASSERT_EQ(report.ai.findings.size(), 1 + parent.ai.findings.size());
  const SourceTypeFinding& ours = report.ai.findings[0];
  EXPECT_EQ(ours.scope(), "active manifest");
  EXPECT_EQ(ours.type, DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia);
  EXPECT_EQ(ours.action, "c2pa.edited");
  EXPECT_EQ(ours.software_agent, "Inpainter");
  for (size_t i = 0; i < parent.ai.findings.size(); ++i) {
    const SourceTypeFinding& theirs = report.ai.findings[i + 1];
    EXPECT_EQ(theirs.scope(), "ingredient");
    EXPECT_EQ(theirs.uri, parent.ai.findings[i].uri);
    EXPECT_EQ(theirs.manifest_label, parent.ai.findings[i].manifest_label);
    EXPECT_TRUE(theirs.verified);
  }
  EXPECT_EQ(report.ai.findings[1].ingredient_uri, report.ingredients[0].assertion_uri);
  EXPECT_EQ(report.ai.findings[1].relationship, "parentOf");
  EXPECT_EQ(source_types_of(report), (std::set<std::string>{"compositeWithTrainedAlgorithmicMedia",
                                                            "trainedAlgorithmicMedia"}));
}

TEST_F(C2paParentFixtureTest, EditOfCIsTrustedWithBothRoots) {
  SignedAsset edit = edit_of("C.jpg");
  std::string bundle;
  for (uint8_t b : read_file(kFixtures + "test_cert_root_bundle.pem")) {
    bundle.push_back(static_cast<char>(b));
  }
  TrustAnchors both = TrustAnchors::from_pem(bundle + signer().root.certificate_chain_pem).value();
  ReadOptions options;
  options.trust_anchors = &both;
  C2paReport report = read_c2pa(edit.bytes, options).value();
  EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
  ASSERT_EQ(report.trust.signers.size(), 2u);
  EXPECT_TRUE(report.trust.signers[1].chain_trusted);  // the original's, now anchored

  // With our root alone the original's signer is untrusted, as the ingredient recorded it
  // (validated without anchors): no news, so the edit is Trusted still.
  TrustAnchors ours = signer().anchors();
  options.trust_anchors = &ours;
  C2paReport ours_only = read_c2pa(edit.bytes, options).value();
  EXPECT_EQ(ours_only.verdict, Verdict::kTrusted)
      << testing::PrintToString(ours_only.failure_codes());
  EXPECT_EQ(source_types_of(ours_only),
            (std::set<std::string>{"compositeWithTrainedAlgorithmicMedia", "algorithmicMedia"}));
}

TEST(C2paContainerTest, JpegCarriersAreTheDataHashExclusion) {
  C2paReport report = read("CA.jpg", false);
  ASSERT_EQ(report.format, AssetFormat::kJpeg);
  ASSERT_EQ(report.carriers.size(), 2u);  // two APP11 segments
  EXPECT_EQ(report.carriers[0].offset, 20u);
  // c2pa.hash.data of CA.jpg excludes {start 20, length 117273}: both segments, contiguous.
  EXPECT_EQ(report.carriers[1].end() - report.carriers[0].offset, 117273u);
}

TEST(C2paContainerTest, Mp4CarrierIsTheUuidBox) {
  C2paReport report = read("video1.mp4", false);
  ASSERT_EQ(report.format, AssetFormat::kBmff);
  ASSERT_EQ(report.carriers.size(), 1u);
  EXPECT_EQ(report.carriers[0].offset, 24u);
  EXPECT_EQ(report.carriers[0].length, 30662u);
}

TEST(C2paReaderTest, MissingFileIsAnError) {
  auto report = read_c2pa_file(kFixtures + "does-not-exist.jpg");
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code(), base::ErrorCode::kNotFound);
}

TEST(C2paReaderTest, UnknownFormatIsNoManifest) {
  std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o'};
  auto report = read_c2pa(text);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->verdict, Verdict::kNoManifest);
  EXPECT_EQ(report->no_manifest_reason, NoManifestReason::kUnsupportedFormat);
}

}  // namespace
}  // namespace clearcut::c2pa
