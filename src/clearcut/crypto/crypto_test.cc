#include <gtest/gtest.h>

#include "clearcut/base/hex.h"
#include "clearcut/crypto/certificate.h"
#include "clearcut/crypto/digest.h"
#include "clearcut/crypto/error.h"
#include "clearcut/crypto/hmac.h"
#include "clearcut/crypto/key.h"
#include "clearcut/crypto/random.h"
#include "clearcut/crypto/secret.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/crypto/signature.h"
#include "clearcut/crypto/testing/test_support.h"

namespace clearcut::crypto {
namespace {

using base::to_hex;

std::vector<uint8_t> bytes_of(std::string_view text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

std::vector<uint8_t> hex(std::string_view text) {
  return base::from_hex(text).value();
}

// RFC 4231 test cases 2 and 6 (a key longer than the block).
TEST(HmacTest, Rfc4231Vectors) {
  EXPECT_EQ(base::to_hex(crypto::hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(base::to_hex(crypto::hmac_sha256(std::string(131, '\xaa'),
                                             "Test Using Larger Than Block-Size Key - Hash Key "
                                             "First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Sha256Test, KnownVectors) {
  // FIPS 180-4 examples.
  EXPECT_EQ(to_hex(sha256(std::string_view(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256(std::string_view("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      to_hex(sha256(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, StreamsAndStartsAgainAfterFinish) {
  Sha256 streaming;
  streaming.update(std::string_view("a"));
  streaming.update(bytes_of("bc"));
  EXPECT_EQ(streaming.finish(), sha256(std::string_view("abc")));
  streaming.update(std::string_view("abc"));
  EXPECT_EQ(streaming.finish(), sha256(std::string_view("abc")));
}

TEST(DigestTest, Sha384AndSha512KnownVectors) {
  EXPECT_EQ(to_hex(digest(HashAlgorithm::kSha384, bytes_of("abc"))),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(to_hex(digest(HashAlgorithm::kSha512, bytes_of("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(digest_size(HashAlgorithm::kSha384), 48u);
}

// RFC 8032 §7.1, TEST 1 (the empty message).
TEST(Ed25519Test, Rfc8032TestVector1) {
  PrivateKey key = PrivateKey::from_ed25519_seed(
                       hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
                       .value();
  auto public_bytes = key.public_key().ed25519_bytes();
  ASSERT_TRUE(public_bytes.has_value());
  EXPECT_EQ(to_hex(*public_bytes),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  std::vector<uint8_t> signature = sign(key, SignatureScheme::kEd25519, {}).value();
  EXPECT_EQ(to_hex(signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
            "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  PublicKey verifier = PublicKey::from_ed25519(*public_bytes).value();
  EXPECT_TRUE(verify(verifier, SignatureScheme::kEd25519, {}, signature).value());
  signature[10] ^= 1;
  EXPECT_FALSE(verify(verifier, SignatureScheme::kEd25519, {}, signature).value());
  EXPECT_FALSE(verify(verifier, SignatureScheme::kEd25519, bytes_of("x"), signature).value());
  EXPECT_FALSE(PrivateKey::from_ed25519_seed(hex("00")).has_value());
  EXPECT_FALSE(PublicKey::from_ed25519(hex("00")).has_value());
}

struct SchemeCase {
  KeyKind kind;
  SignatureScheme scheme;
  size_t size;
};

TEST(SignatureTest, RoundTripsAndRejectsTampering) {
  std::vector<uint8_t> message = bytes_of("the claim");
  for (SchemeCase c : {SchemeCase{KeyKind::kP256, SignatureScheme::kEcdsaSha256, 64},
                       SchemeCase{KeyKind::kP384, SignatureScheme::kEcdsaSha384, 96},
                       SchemeCase{KeyKind::kP521, SignatureScheme::kEcdsaSha512, 132},
                       SchemeCase{KeyKind::kRsa2048, SignatureScheme::kRsaPssSha256, 256},
                       SchemeCase{KeyKind::kRsa2048, SignatureScheme::kRsaPssSha512, 256},
                       SchemeCase{KeyKind::kRsa2048, SignatureScheme::kRsaPkcs1Sha256, 256},
                       SchemeCase{KeyKind::kRsa2048, SignatureScheme::kRsaPkcs1Sha512, 256},
                       SchemeCase{KeyKind::kEd25519, SignatureScheme::kEd25519, 64}}) {
    PrivateKey key = PrivateKey::generate(c.kind).value();
    std::vector<uint8_t> signature = sign(key, c.scheme, message).value();
    EXPECT_EQ(signature.size(), c.size);
    EXPECT_TRUE(verify(key.public_key(), c.scheme, message, signature).value());
    std::vector<uint8_t> tampered = signature;
    tampered.back() ^= 0x80;
    EXPECT_FALSE(verify(key.public_key(), c.scheme, message, tampered).value());
    EXPECT_FALSE(verify(key.public_key(), c.scheme, bytes_of("another claim"), signature).value());
    signature.pop_back();
    EXPECT_FALSE(verify(key.public_key(), c.scheme, message, signature).value());
  }
}

TEST(SignatureTest, KeyMustFitTheScheme) {
  PrivateKey ec = PrivateKey::generate(KeyKind::kP256).value();
  auto signed_with_wrong_scheme = sign(ec, SignatureScheme::kRsaPssSha256, bytes_of("m"));
  ASSERT_FALSE(signed_with_wrong_scheme.has_value());
  EXPECT_EQ(signed_with_wrong_scheme.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(verify(ec.public_key(), SignatureScheme::kEd25519, {}, {}).has_value());
  EXPECT_EQ(ec.public_key().type(), KeyType::kEc);
  EXPECT_EQ(ec.public_key().bits(), 256);
  EXPECT_EQ(ec.public_key().ec_curve_name(), "prime256v1");
}

TEST(SignatureTest, Pkcs1IsDeterministicAndNotPss) {
  PrivateKey key = PrivateKey::generate(KeyKind::kRsa2048).value();
  std::vector<uint8_t> one = sign(key, SignatureScheme::kRsaPkcs1Sha256, bytes_of("m")).value();
  EXPECT_EQ(sign(key, SignatureScheme::kRsaPkcs1Sha256, bytes_of("m")).value(), one);
  EXPECT_FALSE(
      verify(key.public_key(), SignatureScheme::kRsaPssSha256, bytes_of("m"), one).value());
}

TEST(PublicKeyTest, RsaAndEcComponentsRoundTrip) {
  PrivateKey rsa = PrivateKey::generate(KeyKind::kRsa2048).value();
  RsaComponents parts = rsa.public_key().rsa_components().value();
  EXPECT_EQ(parts.n.size(), 256u);
  EXPECT_EQ(parts.e, hex("010001"));
  PublicKey rebuilt = PublicKey::from_rsa(parts).value();
  std::vector<uint8_t> signature =
      sign(rsa, SignatureScheme::kRsaPkcs1Sha256, bytes_of("m")).value();
  EXPECT_TRUE(verify(rebuilt, SignatureScheme::kRsaPkcs1Sha256, bytes_of("m"), signature).value());

  for (KeyKind kind : {KeyKind::kP256, KeyKind::kP384, KeyKind::kP521}) {
    PrivateKey ec = PrivateKey::generate(kind).value();
    EcPoint point = ec.public_key().ec_point().value();
    PublicKey same = PublicKey::from_ec(point).value();
    EXPECT_EQ(same.ec_curve_name(), ec.public_key().ec_curve_name());
    EXPECT_EQ(same.ec_point().value().x, point.x);
  }
  EXPECT_FALSE(rsa.public_key().ec_point().has_value());
  EXPECT_FALSE(PrivateKey::generate(KeyKind::kP256).value().public_key().rsa_components());
}

TEST(PublicKeyTest, BadComponentsAreRefused) {
  RsaComponents parts =
      PrivateKey::generate(KeyKind::kRsa2048).value().public_key().rsa_components().value();
  RsaComponents small{std::vector<uint8_t>(parts.n.begin(), parts.n.begin() + 128), parts.e};
  EXPECT_FALSE(PublicKey::from_rsa(small).has_value());  // 1024 bits
  RsaComponents even{parts.n, hex("010000")};
  EXPECT_FALSE(PublicKey::from_rsa(even).has_value());
  EcPoint point = PrivateKey::generate(KeyKind::kP256).value().public_key().ec_point().value();
  EcPoint off = point;
  off.y.back() ^= 1;  // no longer on the curve
  EXPECT_FALSE(PublicKey::from_ec(off).has_value());
  EcPoint short_x = point;
  short_x.x.pop_back();
  EXPECT_FALSE(PublicKey::from_ec(short_x).has_value());
  EcPoint other = point;
  other.curve = "secp256k1";
  auto refused = PublicKey::from_ec(other);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("secp256k1"), std::string::npos);
}

TEST(SignatureTest, EcdsaDerConversion) {
  PrivateKey key = PrivateKey::generate(KeyKind::kP256).value();
  std::vector<uint8_t> raw = sign(key, SignatureScheme::kEcdsaSha256, bytes_of("m")).value();
  EXPECT_FALSE(is_der_ecdsa_signature(raw));
  auto der = ecdsa_signature_to_der(raw);
  ASSERT_TRUE(der.has_value());
  EXPECT_TRUE(is_der_ecdsa_signature(*der));
  der->push_back(0);
  EXPECT_FALSE(is_der_ecdsa_signature(*der));
  EXPECT_FALSE(ecdsa_signature_to_der(hex("010203")).has_value());
}

TEST(PrivateKeyTest, PemRoundTripAndEncryptedKeysRefused) {
  PrivateKey key = PrivateKey::generate(KeyKind::kP384).value();
  std::string pem = key.to_pem().value();
  EXPECT_NE(pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  PrivateKey again = PrivateKey::from_pem(pem).value();
  std::vector<uint8_t> signature = sign(again, SignatureScheme::kEcdsaSha384, {}).value();
  EXPECT_TRUE(verify(key.public_key(), SignatureScheme::kEcdsaSha384, {}, signature).value());

  std::string encrypted = testing::encrypt_private_key_pem(pem, "secret").value();
  auto refused = PrivateKey::from_pem(encrypted);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(PrivateKey::from_pem("").has_value());
  EXPECT_EQ(last_error_text(), "");  // failures leave nothing behind
}

TEST(CertificateTest, IssuesAChainThatVerifies) {
  PrivateKey root_key = PrivateKey::generate(KeyKind::kP256).value();
  CertificateProfile root_profile;
  root_profile.subject = {"Test Root", "Example Studios", "US"};
  root_profile.ca = true;
  root_profile.path_length = 1;
  Certificate root =
      issue_certificate(root_profile, root_key.public_key(), nullptr, root_key).value();
  EXPECT_TRUE(root.is_ca());
  EXPECT_TRUE(root.self_signed());
  EXPECT_TRUE(root.issued_by(root));
  EXPECT_TRUE(root.matches(root_key));

  PrivateKey leaf_key = PrivateKey::generate(KeyKind::kEd25519).value();
  CertificateProfile leaf_profile;
  leaf_profile.subject = {"Test Signer", "Example Studios", ""};
  leaf_profile.validity_days = 30;
  leaf_profile.extended_key_usages = {"emailProtection", "1.3.6.1.4.1.62558.2.1"};
  Certificate leaf =
      issue_certificate(leaf_profile, leaf_key.public_key(), &root, root_key).value();
  EXPECT_EQ(leaf.version(), 3);
  EXPECT_FALSE(leaf.is_ca());
  EXPECT_FALSE(leaf.self_signed());
  EXPECT_TRUE(leaf.issued_by(root));
  EXPECT_FALSE(leaf.matches(root_key));
  EXPECT_EQ(leaf.organization(), "Example Studios");
  EXPECT_EQ(leaf.subject(), "CN=Test Signer,O=Example Studios");
  EXPECT_EQ(leaf.issuer(), root.subject());
  EXPECT_EQ(leaf.signature_algorithm_oid(), "1.2.840.10045.4.3.2");  // ecdsa-with-SHA256
  EXPECT_EQ(leaf.serial_hex().size(), 32u);
  EXPECT_NEAR(static_cast<double>(leaf.not_after() - leaf.not_before()), 30 * 86400 + 300, 2);
  EXPECT_EQ(leaf.extended_key_usages(),
            (std::vector<std::string>{"1.3.6.1.5.5.7.3.4", "1.3.6.1.4.1.62558.2.1"}));
  ASSERT_TRUE(leaf.key_usage().has_value());
  EXPECT_TRUE(leaf.key_usage()->digital_signature);
  EXPECT_FALSE(leaf.key_usage()->key_cert_sign);
  EXPECT_TRUE(leaf.has_authority_key_id());
  EXPECT_FALSE(leaf.has_unique_ids());
  EXPECT_FALSE(leaf.has_unhandled_critical_extension());
  EXPECT_EQ(leaf.public_key().value().type(), KeyType::kEd25519);

  std::vector<uint8_t> der = leaf.to_der();
  EXPECT_EQ(der.size(), leaf.encoded_size());
  std::vector<uint8_t> padded = der;
  padded.push_back(0);
  EXPECT_EQ(Certificate::from_der(padded).value().encoded_size(), der.size());
  EXPECT_FALSE(Certificate::from_der(hex("3000")).has_value());

  std::string bundle = leaf.to_pem().value() + root.to_pem().value();
  std::vector<Certificate> parsed = Certificate::from_pem(bundle).value();
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].to_der(), der);
  EXPECT_TRUE(Certificate::from_pem("").value().empty());
  EXPECT_FALSE(Certificate::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n").has_value());

  EXPECT_TRUE(verify_chain({root}, leaf, {}, std::nullopt).trusted);
  EXPECT_TRUE(verify_chain({root}, leaf, {}, leaf.not_before() + 60).trusted);
  ChainCheck expired = verify_chain({root}, leaf, {}, leaf.not_after() + 60);
  EXPECT_FALSE(expired.trusted);
  EXPECT_FALSE(expired.reason.empty());
  EXPECT_FALSE(verify_chain({leaf}, root, {}, std::nullopt).trusted);

  CertificateProfile nameless;
  EXPECT_FALSE(issue_certificate(nameless, leaf_key.public_key(), &root, root_key).has_value());
}

TEST(SecretTest, EqualConstantTime) {
  EXPECT_TRUE(equal_constant_time(std::string_view("token"), std::string_view("token")));
  EXPECT_FALSE(equal_constant_time(std::string_view("token"), std::string_view("tokex")));
  EXPECT_FALSE(equal_constant_time(std::string_view("token"), std::string_view("token!")));
  EXPECT_TRUE(equal_constant_time(std::string_view(""), std::string_view("")));
  EXPECT_TRUE(equal_constant_time(hex("00ff"), hex("00ff")));
  EXPECT_FALSE(equal_constant_time(hex("00ff"), hex("01ff")));
  std::vector<uint8_t> secret = hex("0102");
  cleanse(secret);
  EXPECT_EQ(secret, hex("0000"));
}

TEST(RandomTest, FillsAndDiffers) {
  std::vector<uint8_t> a(32), b(32);
  ASSERT_TRUE(random_bytes(a).has_value());
  ASSERT_TRUE(random_secret_bytes(b).has_value());
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::vector<uint8_t>(32));
}

TEST(ErrorTest, LastErrorTextDrainsTheQueue) {
  EXPECT_EQ(last_error_text(), "");
  testing::queue_unsupported_algorithm_error();
  testing::queue_unsupported_algorithm_error();
  std::string text = last_error_text();
  EXPECT_NE(text.find("unsupported algorithm"), std::string::npos) << text;
  EXPECT_EQ(last_error_text(), "");
  // Errors that crypto's own calls produce carry the reason and leave the queue empty.
  auto bad = PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find(" ("), std::string::npos) << bad.error().message();
  EXPECT_EQ(last_error_text(), "");
}

}  // namespace
}  // namespace clearcut::crypto
