#include "clearcut/provenance/c2pa/test_samples.h"

#include "clearcut/crypto/signature.h"
#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/c2pa_writer.h"

namespace clearcut::c2pa::test_samples {

namespace {

// Signs like `keys` but writes ECDSA as a DER ECDSA-Sig-Value, which C2PA forbids. DER varies
// in length with r and s; only the longest form is returned, so every signature fits the
// space the writer reserved.
class DerEcdsaSigner final : public ClaimSigner {
 public:
  explicit DerEcdsaSigner(SigningKeys keys) : keys_(std::move(keys)) {}

  CoseAlgorithm algorithm() const override { return keys_.algorithm(); }
  const std::vector<std::vector<uint8_t>>& certificate_chain() const override {
    return keys_.certificate_chain();
  }
  size_t signature_size() const override { return 2 * (keys_.signature_size() / 2 + 3) + 2; }
  base::Result<std::vector<uint8_t>> sign(std::span<const uint8_t> message) const override {
    CC_CHECK(keys_.signature_size() <= 110);  // short-form DER lengths throughout
    while (true) {
      std::vector<uint8_t> raw = CC_TRY(keys_.sign(message));
      std::optional<std::vector<uint8_t>> der = crypto::ecdsa_signature_to_der(raw);
      CC_CHECK(der.has_value());
      if (der->size() == signature_size()) {
        return std::move(*der);
      }
    }
  }

 private:
  SigningKeys keys_;
};

void put_u16(std::vector<uint8_t>* out, size_t v) {
  out->push_back(static_cast<uint8_t>(v >> 8));
  out->push_back(static_cast<uint8_t>(v));
}

void put_u32(std::vector<uint8_t>* out, size_t v) {
  for (int i = 3; i >= 0; --i) {
    out->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
}

// Reserving first keeps GCC 12 at -O3 from seeing writes into an empty vector
// (-Wstringop-overflow false positives).
std::vector<uint8_t> png_chunk(std::string_view type, std::span<const uint8_t> data) {
  std::vector<uint8_t> out;
  out.reserve(data.size() + 12);
  put_u32(&out, data.size());
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  put_u32(&out, 0);  // CRC, unchecked by readers of C2PA
  return out;
}

std::vector<uint8_t> bmff_box(std::string_view type, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(payload.size() + 8);
  put_u32(&out, payload.size() + 8);
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

CertificateOptions certificate_options(CoseAlgorithm algorithm, const char* cn, int days) {
  CertificateOptions options;
  options.subject.common_name = cn;
  options.subject.organization = "clearcut tests";
  options.validity_days = days;
  options.algorithm = algorithm;
  return options;
}

}  // namespace

TrustAnchors TestSigner::anchors() const {
  return TrustAnchors::from_pem(root.certificate_chain_pem).value();
}

SigningKeys TestSigner::keys() const {
  return SigningKeys::from_pem(signer.private_key_pem, signer.certificate_chain_pem, algorithm)
      .value();
}

TestSigner make_signer(CoseAlgorithm algorithm) {
  TestSigner out;
  out.algorithm = algorithm;
  out.root = generate_root_ca(certificate_options(algorithm, "clearcut test root", 3650)).value();
  out.signer =
      issue_signer_certificate(certificate_options(algorithm, "clearcut test signer", 3650),
                               out.root.certificate_chain_pem, out.root.private_key_pem)
          .value();
  return out;
}

std::vector<uint8_t> build_unsigned_asset(const SampleOptions& options) {
  std::vector<uint8_t> out;
  switch (options.container) {
    case Container::kJpeg: {
      out = {0xFF, 0xD8, 0xFF, 0xFE};
      put_u16(&out, options.content.size() + 2);
      out.insert(out.end(), options.content.begin(), options.content.end());
      out.insert(out.end(), {0xFF, 0xD9});
      break;
    }
    case Container::kPng: {
      out = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
      for (const auto& chunk : {png_chunk("IHDR", std::vector<uint8_t>(13, 0)),
                                png_chunk("IDAT", options.content), png_chunk("IEND", {})}) {
        out.insert(out.end(), chunk.begin(), chunk.end());
      }
      break;
    }
    case Container::kBmff: {
      std::vector<uint8_t> brand = {'i', 's', 'o', 'm', 0, 0, 0, 0, 'i', 's', 'o', 'm'};
      out = bmff_box("ftyp", brand);
      std::vector<uint8_t> mdat = bmff_box("mdat", options.content);
      out.insert(out.end(), mdat.begin(), mdat.end());
      break;
    }
  }
  return out;
}

std::vector<uint8_t> build_signed_asset(const TestSigner& signer, const SampleOptions& options) {
  ManifestDefinition definition;
  definition.digital_source_type = parse_digital_source_type(options.digital_source_type);
  definition.software_agent = {"clearcut test generator", "0.1"};
  definition.claim_generator = {"clearcut tests", "0.1"};
  WriteOptions write_options;
  if (options.app11_payload_max != 0) {
    write_options.jpeg_segment_payload = options.app11_payload_max;
  }
  std::vector<uint8_t> asset = build_unsigned_asset(options);
  SigningKeys keys = signer.keys();
  DerEcdsaSigner der(keys);
  const ClaimSigner& claim_signer = options.der_ecdsa ? static_cast<const ClaimSigner&>(der) : keys;
  return write_c2pa(asset, claim_signer, definition, write_options).value().bytes;
}

std::vector<uint8_t> build_manifest_store(const TestSigner& signer, const SampleOptions& options) {
  std::vector<uint8_t> asset = build_signed_asset(signer, options);
  return find_manifest_store(asset).value().value().jumbf;
}

}  // namespace clearcut::c2pa::test_samples
