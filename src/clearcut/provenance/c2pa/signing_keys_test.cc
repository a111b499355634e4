#include "clearcut/provenance/c2pa/signing_keys.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>

#include "clearcut/crypto/testing/test_support.h"
#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/c2pa_writer.h"
#include "clearcut/provenance/c2pa/signer_certificate.h"
#include "clearcut/provenance/c2pa/test_samples.h"
#include "clearcut/provenance/c2pa/trust_anchors.h"

namespace clearcut::c2pa {
namespace {

CertificateOptions options(const char* cn, CoseAlgorithm algorithm = CoseAlgorithm::kEs256) {
  CertificateOptions o;
  o.subject.common_name = cn;
  o.subject.organization = "Example Studios";
  o.subject.country = "US";
  o.validity_days = 30;
  o.algorithm = algorithm;
  return o;
}

std::vector<std::vector<uint8_t>> pem_to_der(const std::string& pem) {
  return TrustAnchors::from_pem(pem).value().anchors();
}

TEST(SigningKeysTest, IssuedSignerFitsTheC2paProfileAndChainsToItsRoot) {
  PemCredentials root = generate_root_ca(options("Example Root")).value();
  PemCredentials signer = issue_signer_certificate(options("Example Signer"),
                                                   root.certificate_chain_pem, root.private_key_pem)
                              .value();
  std::vector<std::vector<uint8_t>> chain = pem_to_der(signer.certificate_chain_pem);
  ASSERT_EQ(chain.size(), 1u);  // the root stays out of x5chain
  EXPECT_TRUE(signer_profile_problems(chain[0], default_signer_ekus()).empty())
      << testing::PrintToString(signer_profile_problems(chain[0], default_signer_ekus()));

  CertificateInfo info = read_certificate(chain[0]).value();
  EXPECT_FALSE(info.is_ca);
  EXPECT_FALSE(info.self_signed);
  EXPECT_EQ(info.organization, "Example Studios");
  EXPECT_NE(std::find(info.extended_key_usages.begin(), info.extended_key_usages.end(),
                      std::string(kC2paClaimSigningEku)),
            info.extended_key_usages.end());
  EXPECT_NE(std::find(info.extended_key_usages.begin(), info.extended_key_usages.end(),
                      "1.3.6.1.5.5.7.3.4"),
            info.extended_key_usages.end());
  EXPECT_NEAR(static_cast<double>(info.not_after - info.not_before), 30 * 86400 + 300, 2);

  CertificateInfo root_info = read_certificate(pem_to_der(root.certificate_chain_pem)[0]).value();
  EXPECT_TRUE(root_info.is_ca);
  EXPECT_TRUE(root_info.self_signed);

  TrustAnchors anchors = TrustAnchors::from_pem(root.certificate_chain_pem).value();
  EXPECT_TRUE(verify_certificate_chain(anchors, chain[0], {}, std::nullopt).trusted);

  SigningKeys keys =
      SigningKeys::from_pem(signer.private_key_pem, signer.certificate_chain_pem).value();
  EXPECT_EQ(keys.algorithm(), CoseAlgorithm::kEs256);
  EXPECT_EQ(keys.signature_size(), 64u);
  EXPECT_EQ(keys.certificate_chain(), chain);
  std::vector<uint8_t> message = {'h', 'i'};
  std::vector<uint8_t> signature = keys.sign(message).value();
  ASSERT_EQ(signature.size(), 64u);
  EXPECT_TRUE(verify_cose_signature(CoseAlgorithm::kEs256, chain[0], message, signature).value());
  EXPECT_FALSE(is_der_ecdsa_signature(signature));
}

TEST(SigningKeysTest, IntermediateGoesIntoTheChainAndTheRootDoesNot) {
  PemCredentials root = generate_root_ca(options("Example Root")).value();
  PemCredentials intermediate =
      issue_intermediate_ca(options("Example Issuing CA"), root.certificate_chain_pem,
                            root.private_key_pem)
          .value();
  PemCredentials signer =
      issue_signer_certificate(options("Example Signer"), intermediate.certificate_chain_pem,
                               intermediate.private_key_pem)
          .value();
  EXPECT_EQ(pem_to_der(signer.certificate_chain_pem).size(), 2u);

  // A bundle ending in the root loses the root.
  SigningKeys keys = SigningKeys::from_pem(signer.private_key_pem, signer.certificate_chain_pem +
                                                                       root.certificate_chain_pem)
                         .value();
  ASSERT_EQ(keys.certificate_chain().size(), 2u);

  std::vector<uint8_t> asset = test_samples::build_unsigned_asset({});
  ManifestDefinition definition;
  definition.software_agent = {"gen", std::nullopt};
  SignedAsset written = write_c2pa(asset, keys, definition).value();
  TrustAnchors anchors = TrustAnchors::from_pem(root.certificate_chain_pem).value();
  ReadOptions read_options;
  read_options.trust_anchors = &anchors;
  C2paReport report = read_c2pa(written.bytes, read_options).value();
  EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
}

TEST(SigningKeysTest, AlgorithmFollowsTheKey) {
  for (CoseAlgorithm algorithm : {CoseAlgorithm::kEs384, CoseAlgorithm::kEs512,
                                  CoseAlgorithm::kPs256, CoseAlgorithm::kEd25519}) {
    PemCredentials root = generate_root_ca(options("root", algorithm)).value();
    PemCredentials signer =
        issue_signer_certificate(options("signer", algorithm), root.certificate_chain_pem,
                                 root.private_key_pem)
            .value();
    SigningKeys keys =
        SigningKeys::from_pem(signer.private_key_pem, signer.certificate_chain_pem).value();
    EXPECT_EQ(keys.algorithm(), algorithm);
    std::vector<uint8_t> message = {1, 2, 3};
    auto signature = keys.sign(message).value();
    EXPECT_EQ(signature.size(), keys.signature_size());
    EXPECT_TRUE(
        verify_cose_signature(algorithm, keys.certificate_chain()[0], message, signature).value());
  }
}

TEST(SigningKeysTest, RsaKeysMaySignWithLongerHashesButEcKeysMayNot) {
  const test_samples::TestSigner rsa = test_samples::make_signer(CoseAlgorithm::kPs256);
  auto ps512 = SigningKeys::from_pem(rsa.signer.private_key_pem, rsa.signer.certificate_chain_pem,
                                     CoseAlgorithm::kPs512);
  ASSERT_TRUE(ps512.has_value());
  EXPECT_EQ(ps512->algorithm(), CoseAlgorithm::kPs512);
  const test_samples::TestSigner ec = test_samples::make_signer(CoseAlgorithm::kEs256);
  EXPECT_FALSE(SigningKeys::from_pem(ec.signer.private_key_pem, ec.signer.certificate_chain_pem,
                                     CoseAlgorithm::kEs384)
                   .has_value());
}

TEST(SigningKeysTest, RejectsKeysThatDoNotFit) {
  PemCredentials root = generate_root_ca(options("root")).value();
  PemCredentials a =
      issue_signer_certificate(options("a"), root.certificate_chain_pem, root.private_key_pem)
          .value();
  PemCredentials b =
      issue_signer_certificate(options("b"), root.certificate_chain_pem, root.private_key_pem)
          .value();
  auto mismatch = SigningKeys::from_pem(a.private_key_pem, b.certificate_chain_pem);
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().code(), base::ErrorCode::kInvalidArgument);

  EXPECT_FALSE(SigningKeys::from_pem(a.private_key_pem, "").has_value());
  EXPECT_FALSE(SigningKeys::from_pem("", a.certificate_chain_pem).has_value());
  EXPECT_FALSE(
      SigningKeys::from_pem(a.private_key_pem, "-----BEGIN CERTIFICATE-----\nAAAA\n").has_value());

  // An encrypted key is refused, never prompted for.
  std::string encrypted =
      crypto::testing::encrypt_private_key_pem(a.private_key_pem, "secret").value();
  EXPECT_FALSE(SigningKeys::from_pem(encrypted, a.certificate_chain_pem).has_value());

  // Only a CA may issue.
  EXPECT_FALSE(issue_signer_certificate(options("c"), a.certificate_chain_pem, a.private_key_pem)
                   .has_value());
  EXPECT_FALSE(issue_signer_certificate(options("c"), root.certificate_chain_pem, a.private_key_pem)
                   .has_value());
  CertificateOptions nameless = options("");
  EXPECT_FALSE(generate_root_ca(nameless).has_value());
}

TEST(SigningKeysTest, LoadsFromFiles) {
  const test_samples::TestSigner signer = test_samples::make_signer(CoseAlgorithm::kEs256);
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("signing_keys_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "signer.key") << signer.signer.private_key_pem;
  std::ofstream(dir / "signer.pem") << signer.signer.certificate_chain_pem;
  auto keys = SigningKeys::load((dir / "signer.key").string(), (dir / "signer.pem").string());
  EXPECT_TRUE(keys.has_value());
  auto missing = SigningKeys::load((dir / "nope.key").string(), (dir / "signer.pem").string());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), base::ErrorCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace clearcut::c2pa
