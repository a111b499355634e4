#include "clearcut/provenance/c2pa/test_samples.h"

#include <memory>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "clearcut/provenance/c2pa/actions_assertion.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/claim.h"
#include "clearcut/provenance/c2pa/digest.h"
#include "clearcut/provenance/c2pa/hard_binding.h"
#include "clearcut/provenance/c2pa/jumbf.h"

namespace clearcut::c2pa::test_samples {

namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

constexpr Uuid kC2paBmffUuid = {0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};

PkeyPtr generate_key(CoseAlgorithm algorithm) {
  switch (algorithm) {
    case CoseAlgorithm::kEs256:
      return PkeyPtr(EVP_EC_gen("P-256"));
    case CoseAlgorithm::kEs384:
      return PkeyPtr(EVP_EC_gen("P-384"));
    case CoseAlgorithm::kEs512:
      return PkeyPtr(EVP_EC_gen("P-521"));
    case CoseAlgorithm::kPs256:
    case CoseAlgorithm::kPs384:
    case CoseAlgorithm::kPs512:
      return PkeyPtr(EVP_RSA_gen(2048));
    case CoseAlgorithm::kEd25519:
      return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  }
  return nullptr;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  CC_CHECK(ext != nullptr);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

X509Ptr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                  long serial) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365 * 10);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("clearcut tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);
  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  add_extension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
  if (ca) {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), issuer_cert, NID_ext_key_usage, "emailProtection");
  }
  // Ed25519 signs without a separate digest.
  const EVP_MD* md = EVP_PKEY_base_id(issuer_key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  CC_CHECK(X509_sign(cert.get(), issuer_key, md) > 0);
  return cert;
}

std::vector<uint8_t> to_der(X509* cert) {
  int length = i2d_X509(cert, nullptr);
  std::vector<uint8_t> der(static_cast<size_t>(length));
  unsigned char* p = der.data();
  i2d_X509(cert, &p);
  return der;
}

std::vector<uint8_t> sign(const TestSigner& signer, std::span<const uint8_t> message,
                          bool der_ecdsa) {
  std::unique_ptr<BIO, BioDeleter> bio(
      BIO_new_mem_buf(signer.leaf_key_pem.data(), static_cast<int>(signer.leaf_key_pem.size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  CC_CHECK(key != nullptr);
  const EVP_MD* md = nullptr;
  switch (signer.algorithm) {
    case CoseAlgorithm::kEs256:
    case CoseAlgorithm::kPs256:
      md = EVP_sha256();
      break;
    case CoseAlgorithm::kEs384:
    case CoseAlgorithm::kPs384:
      md = EVP_sha384();
      break;
    case CoseAlgorithm::kEs512:
    case CoseAlgorithm::kPs512:
      md = EVP_sha512();
      break;
    case CoseAlgorithm::kEd25519:
      break;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  CC_CHECK(EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key.get()) == 1);
  bool pss = signer.algorithm == CoseAlgorithm::kPs256 ||
             signer.algorithm == CoseAlgorithm::kPs384 || signer.algorithm == CoseAlgorithm::kPs512;
  if (pss) {
    CC_CHECK(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1);
    CC_CHECK(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1);
  }
  bool ecdsa = EVP_PKEY_base_id(key.get()) == EVP_PKEY_EC;
  size_t width = static_cast<size_t>((EVP_PKEY_get_bits(key.get()) + 7) / 8);
  std::vector<uint8_t> signature;
  while (true) {
    size_t length = 0;
    CC_CHECK(EVP_DigestSign(ctx.get(), nullptr, &length, message.data(), message.size()) == 1);
    signature.resize(length);
    CC_CHECK(EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()) ==
             1);
    signature.resize(length);
    // A DER signature's length varies with r and s; keep the longest form so that the
    // asset's size, and so its binding, stays the same from one signing to the next.
    if (!(ecdsa && der_ecdsa) || width > 60 || length == 2 * (width + 3) + 2) {
      break;
    }
    CC_CHECK(EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key.get()) == 1);
  }
  if (!ecdsa || der_ecdsa) {
    return signature;
  }
  // RFC 9053 §2.1: ECDSA as r‖s, each padded to the size of the group order.
  const unsigned char* p = signature.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size()));
  CC_CHECK(sig != nullptr);
  std::vector<uint8_t> raw(2 * width);
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw.data(), static_cast<int>(width));
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw.data() + width, static_cast<int>(width));
  ECDSA_SIG_free(sig);
  return raw;
}

std::vector<uint8_t> cbor_box(const CborValue& value) {
  return encode_jumbf_box("cbor", encode_cbor(value));
}

const char* const kManifestLabel = "urn:c2pa:00000000-0000-4000-8000-000000000001:clearcut";

// Everything that depends on the binding: assertions, claim, signature, store.
std::vector<uint8_t> assemble_store(const TestSigner& signer, const SampleOptions& options,
                                    const CborValue& binding, const std::string& binding_label) {
  ActionsAssertion actions;
  Action created;
  created.action = "c2pa.created";
  created.digital_source_type = options.digital_source_type;
  actions.actions.push_back(created);
  std::vector<uint8_t> actions_box = encode_jumbf_superbox(
      jumbf_type_uuid("cbor"), "c2pa.actions.v2", {cbor_box(actions.to_cbor())});
  std::vector<uint8_t> binding_box =
      encode_jumbf_superbox(jumbf_type_uuid("cbor"), binding_label, {cbor_box(binding)});

  auto reference = [](const std::string& label, const std::vector<uint8_t>& box) {
    HashedUri uri;
    uri.url = "self#jumbf=c2pa.assertions/" + label;
    // A hashed URI covers the superbox after its 8-byte header (C2PA §8.4.2.3).
    uri.hash = digest(HashAlgorithm::kSha256, std::span<const uint8_t>(box).subspan(8));
    return uri;
  };
  Claim claim;
  claim.version = 2;
  claim.instance_id = "xmp:iid:00000000-0000-4000-8000-000000000002";
  claim.claim_generator_info.push_back({"clearcut tests", "0.1"});
  claim.signature = "self#jumbf=c2pa.signature";
  claim.created_assertions.push_back(reference("c2pa.actions.v2", actions_box));
  claim.created_assertions.push_back(reference(binding_label, binding_box));
  claim.alg = "sha256";
  std::vector<uint8_t> claim_bytes = encode_cbor(claim.to_cbor());

  CoseSign1 sign1;
  CborValue protected_header = CborValue::map();
  protected_header.insert(CborValue::integer(kCoseHeaderAlg),
                          CborValue::integer(cose_algorithm_id(signer.algorithm)));
  protected_header.insert(CborValue::integer(kCoseHeaderX5Chain),
                          CborValue::array({CborValue::bytes(signer.leaf_der)}));
  sign1.protected_bytes = encode_cbor(protected_header);
  sign1.unprotected_header = CborValue::map();
  sign1.signature =
      sign(signer, cose_sig_structure("Signature1", sign1.protected_bytes, claim_bytes),
           options.der_ecdsa);

  std::vector<uint8_t> assertion_store =
      encode_jumbf_superbox(jumbf_type_uuid("c2as"), "c2pa.assertions", {actions_box, binding_box});
  std::vector<uint8_t> claim_box = encode_jumbf_superbox(jumbf_type_uuid("c2cl"), "c2pa.claim.v2",
                                                         {encode_jumbf_box("cbor", claim_bytes)});
  std::vector<uint8_t> signature_box =
      encode_jumbf_superbox(jumbf_type_uuid("c2cs"), "c2pa.signature", {cbor_box(sign1.to_cbor())});
  std::vector<uint8_t> manifest = encode_jumbf_superbox(
      jumbf_type_uuid("c2ma"), kManifestLabel, {assertion_store, claim_box, signature_box});
  return encode_jumbf_superbox(jumbf_type_uuid("c2pa"), "c2pa", {manifest});
}

void put_u16(std::vector<uint8_t>* out, size_t v) {
  out->push_back(static_cast<uint8_t>(v >> 8));
  out->push_back(static_cast<uint8_t>(v));
}

void put_u32(std::vector<uint8_t>* out, size_t v) {
  for (int i = 3; i >= 0; --i) {
    out->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
}

// C2PA §A.3.1 / ISO 19566-5 Annex B: APP11 segments, continuation packets repeating the
// superbox's LBox and TBox.
std::vector<uint8_t> app11_segments(const std::vector<uint8_t>& store, size_t max_payload) {
  std::vector<uint8_t> out;
  size_t chunk = max_payload == 0 ? 65000 : max_payload;
  uint32_t sequence = 1;
  for (size_t at = 0; at < store.size(); at += chunk, ++sequence) {
    size_t n = std::min(chunk, store.size() - at);
    std::vector<uint8_t> data;
    if (at > 0) {
      data.insert(data.end(), store.begin(), store.begin() + 8);
    }
    data.insert(data.end(), store.begin() + static_cast<std::ptrdiff_t>(at),
                store.begin() + static_cast<std::ptrdiff_t>(at + n));
    out.push_back(0xFF);
    out.push_back(0xEB);
    put_u16(&out, data.size() + 2 + 8);
    out.push_back('J');
    out.push_back('P');
    put_u16(&out, 1);
    put_u32(&out, sequence);
    out.insert(out.end(), data.begin(), data.end());
  }
  return out;
}

std::vector<uint8_t> png_chunk(std::string_view type, std::span<const uint8_t> data) {
  std::vector<uint8_t> out;
  put_u32(&out, data.size());
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  put_u32(&out, 0);  // CRC, unchecked by readers of C2PA
  return out;
}

std::vector<uint8_t> bmff_box(std::string_view type, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  put_u32(&out, payload.size() + 8);
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

struct Embedded {
  std::vector<uint8_t> asset;
  HashExclusion carrier;
};

Embedded embed(const std::vector<uint8_t>& store, const SampleOptions& options) {
  Embedded out;
  switch (options.container) {
    case Container::kJpeg: {
      std::vector<uint8_t> segments = app11_segments(store, options.app11_payload_max);
      out.asset = {0xFF, 0xD8};
      out.carrier = {2, segments.size()};
      out.asset.insert(out.asset.end(), segments.begin(), segments.end());
      std::vector<uint8_t> comment = {0xFF, 0xFE};
      put_u16(&comment, options.content.size() + 2);
      comment.insert(comment.end(), options.content.begin(), options.content.end());
      out.asset.insert(out.asset.end(), comment.begin(), comment.end());
      out.asset.insert(out.asset.end(), {0xFF, 0xD9});
      break;
    }
    case Container::kPng: {
      out.asset = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
      std::vector<uint8_t> ihdr(13, 0);
      std::vector<uint8_t> chunk = png_chunk("IHDR", ihdr);
      out.asset.insert(out.asset.end(), chunk.begin(), chunk.end());
      std::vector<uint8_t> cabx = png_chunk("caBX", store);
      out.carrier = {out.asset.size(), cabx.size()};
      out.asset.insert(out.asset.end(), cabx.begin(), cabx.end());
      chunk = png_chunk("IDAT", options.content);
      out.asset.insert(out.asset.end(), chunk.begin(), chunk.end());
      chunk = png_chunk("IEND", {});
      out.asset.insert(out.asset.end(), chunk.begin(), chunk.end());
      break;
    }
    case Container::kBmff: {
      std::vector<uint8_t> brand = {'i', 's', 'o', 'm', 0, 0, 0, 0, 'i', 's', 'o', 'm'};
      out.asset = bmff_box("ftyp", brand);
      std::vector<uint8_t> payload(kC2paBmffUuid.begin(), kC2paBmffUuid.end());
      payload.insert(payload.end(), {0, 0, 0, 0});
      std::string purpose = "manifest";
      payload.insert(payload.end(), purpose.begin(), purpose.end());
      payload.push_back(0);
      payload.insert(payload.end(), 8, 0);  // no Merkle boxes
      payload.insert(payload.end(), store.begin(), store.end());
      std::vector<uint8_t> uuid = bmff_box("uuid", payload);
      out.carrier = {out.asset.size(), uuid.size()};
      out.asset.insert(out.asset.end(), uuid.begin(), uuid.end());
      std::vector<uint8_t> mdat = bmff_box("mdat", options.content);
      out.asset.insert(out.asset.end(), mdat.begin(), mdat.end());
      break;
    }
  }
  return out;
}

CborValue data_hash(HashExclusion carrier, std::vector<uint8_t> hash) {
  DataHash binding;
  binding.exclusions.push_back(carrier);
  binding.name = "jumbf manifest";
  binding.alg = "sha256";
  binding.hash = std::move(hash);
  binding.pad = {0, 0, 0, 0};
  return binding.to_cbor();
}

CborValue bmff_hash(std::vector<uint8_t> hash) {
  CborValue uuid_exclusion = CborValue::map();
  uuid_exclusion.insert("xpath", CborValue::text("/uuid"));
  CborValue data = CborValue::map();
  data.insert("offset", CborValue::unsigned_int(8));
  data.insert("value", CborValue::bytes(std::span<const uint8_t>(kC2paBmffUuid)));
  uuid_exclusion.insert("data", CborValue::array({data}));
  CborValue ftyp_exclusion = CborValue::map();
  ftyp_exclusion.insert("xpath", CborValue::text("/ftyp"));
  CborValue map = CborValue::map();
  map.insert("exclusions", CborValue::array({uuid_exclusion, ftyp_exclusion}));
  map.insert("alg", CborValue::text("sha256"));
  map.insert("hash", CborValue::bytes(std::move(hash)));
  map.insert("name", CborValue::text("jumbf manifest"));
  return map;
}

}  // namespace

TrustAnchors TestSigner::anchors() const {
  TrustAnchors anchors;
  anchors.add_der(root_der);
  return anchors;
}

TestSigner make_signer(CoseAlgorithm algorithm) {
  TestSigner signer;
  signer.algorithm = algorithm;
  PkeyPtr root_key = generate_key(algorithm);
  PkeyPtr leaf_key = generate_key(algorithm);
  CC_CHECK(root_key && leaf_key);
  X509Ptr root = make_cert(root_key.get(), "clearcut test root", nullptr, root_key.get(), true, 1);
  X509Ptr leaf =
      make_cert(leaf_key.get(), "clearcut test signer", root.get(), root_key.get(), false, 2);
  signer.root_der = to_der(root.get());
  signer.leaf_der = to_der(leaf.get());
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), leaf_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  signer.leaf_key_pem.assign(data, static_cast<size_t>(length));
  return signer;
}

std::vector<uint8_t> build_signed_asset(const TestSigner& signer, const SampleOptions& options) {
  bool bmff = options.container == Container::kBmff;
  std::string label = bmff ? "c2pa.hash.bmff.v3" : "c2pa.hash.data";
  // The binding depends on where the store sits and how long it is, and the store holds the
  // binding: rebuild until an asset's binding describes that asset. Sizes settle at once
  // except where CBOR integers change width or a DER signature changes length.
  CborValue binding = bmff ? bmff_hash(std::vector<uint8_t>(32, 0))
                           : data_hash({0, 0}, std::vector<uint8_t>(32, 0));
  for (int round = 0; round < 16; ++round) {
    Embedded embedded = embed(assemble_store(signer, options, binding, label), options);
    CborValue next;
    if (bmff) {
      // C2PA §18.6 v3: ftyp and the C2PA uuid box are excluded whole, so only mdat counts:
      // its offset (8 bytes, big-endian), then its bytes.
      uint64_t mdat = embedded.carrier.start + embedded.carrier.length;
      Digester digester(HashAlgorithm::kSha256);
      uint8_t offset[8];
      for (int i = 0; i < 8; ++i) {
        offset[i] = static_cast<uint8_t>(mdat >> (56 - 8 * i));
      }
      digester.update(offset);
      digester.update(std::span<const uint8_t>(embedded.asset).subspan(mdat));
      next = bmff_hash(digester.finish());
    } else {
      next = data_hash(
          embedded.carrier,
          hash_excluding(embedded.asset, {embedded.carrier}, HashAlgorithm::kSha256).value());
    }
    if (next == binding) {
      return embedded.asset;
    }
    binding = std::move(next);
  }
  CC_CHECK(false);
  return {};
}

std::vector<uint8_t> build_manifest_store(const TestSigner& signer, const SampleOptions& options) {
  CborValue binding = data_hash({2, 100}, std::vector<uint8_t>(32, 0));
  return assemble_store(signer, options, binding, "c2pa.hash.data");
}

}  // namespace clearcut::c2pa::test_samples
