#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/provenance/c2pa/cose.h"
#include "clearcut/provenance/c2pa/signing_keys.h"
#include "clearcut/provenance/c2pa/trust_anchors.h"

// Test support only: small signed C2PA assets made with the manifest writer and throw-away
// keys, so that tests and fuzz seeds do not depend on third-party fixtures. Not linked into
// the library.
namespace clearcut::c2pa::test_samples {

// A root CA and a leaf that fits the C2PA signer profile (CA:FALSE, digitalSignature,
// emailProtection and c2pa-kp-claimSigning, SKI/AKI), generated on the spot.
struct TestSigner {
  CoseAlgorithm algorithm = CoseAlgorithm::kEs256;
  PemCredentials root;
  PemCredentials signer;

  TrustAnchors anchors() const;
  SigningKeys keys() const;
};

TestSigner make_signer(CoseAlgorithm algorithm);

enum class Container { kJpeg, kPng, kBmff };

struct SampleOptions {
  Container container = Container::kJpeg;
  std::string digital_source_type =
      "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
  bool der_ecdsa = false;        // write ECDSA as DER, which validators must reject
  size_t app11_payload_max = 0;  // JPEG: split the store into APP11 segments of this size
  std::vector<uint8_t> content = {'p', 'i', 'x', 'e', 'l', 's'};
};

// The smallest container around `content` (JPEG: a comment segment; PNG: IDAT; BMFF: mdat),
// not a decodable picture.
std::vector<uint8_t> build_unsigned_asset(const SampleOptions& options);

// A signed asset whose manifest holds c2pa.actions.v2 (c2pa.created with the source type)
// and the hard binding for its container (c2pa.hash.data, or c2pa.hash.bmff.v3).
std::vector<uint8_t> build_signed_asset(const TestSigner& signer, const SampleOptions& options);

// Just the JUMBF manifest store of such an asset.
std::vector<uint8_t> build_manifest_store(const TestSigner& signer, const SampleOptions& options);

}  // namespace clearcut::c2pa::test_samples
