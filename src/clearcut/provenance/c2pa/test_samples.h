#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/provenance/c2pa/cose.h"
#include "clearcut/provenance/c2pa/trust_anchors.h"

// Test support only: builds small signed C2PA assets from scratch with throw-away keys, so
// that tests and fuzz seeds do not depend on third-party fixtures. Not linked into the library.
namespace clearcut::c2pa::test_samples {

// A root CA and a leaf that fits the C2PA signer profile (CA:FALSE, digitalSignature,
// emailProtection, SKI/AKI), generated on the spot.
struct TestSigner {
  CoseAlgorithm algorithm = CoseAlgorithm::kEs256;
  std::string leaf_key_pem;
  std::vector<uint8_t> leaf_der;
  std::vector<uint8_t> root_der;

  TrustAnchors anchors() const;
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

// A signed asset whose manifest holds c2pa.actions.v2 (c2pa.created with the source type)
// and the hard binding for its container (c2pa.hash.data, or c2pa.hash.bmff.v3).
std::vector<uint8_t> build_signed_asset(const TestSigner& signer, const SampleOptions& options);

// Just the JUMBF manifest store of such an asset.
std::vector<uint8_t> build_manifest_store(const TestSigner& signer, const SampleOptions& options);

}  // namespace clearcut::c2pa::test_samples
