#include "clearcut/provenance/c2pa/c2pa_writer.h"

#include <algorithm>
#include <array>
#include <set>

#include <openssl/rand.h>

#include "clearcut/base/hex.h"
#include "clearcut/provenance/c2pa/actions_assertion.h"
#include "clearcut/provenance/c2pa/cose.h"
#include "clearcut/provenance/c2pa/digest.h"
#include "clearcut/provenance/c2pa/hard_binding.h"
#include "clearcut/provenance/c2pa/jumbf.h"
#include "clearcut/provenance/c2pa/store_embedding.h"

namespace clearcut::c2pa {

using base::Result;

namespace {

constexpr Uuid kC2paBmffUuid = {0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};
constexpr std::string_view kActionsLabel = "c2pa.actions.v2";
constexpr std::string_view kDataHashLabel = "c2pa.hash.data";
constexpr std::string_view kBmffHashLabel = "c2pa.hash.bmff.v3";
constexpr HashAlgorithm kHash = HashAlgorithm::kSha256;
constexpr size_t kHashSize = 32;

base::Error bad_definition(std::string message) {
  return base::invalid_argument("manifest definition: " + std::move(message));
}

Result<std::vector<uint8_t>> random_bytes(size_t n) {
  std::vector<uint8_t> out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    return base::internal_error("no random bytes");
  }
  return out;
}

// RFC 9562 §5.4: a random (version 4) UUID in its lower-case text form.
Result<std::string> random_uuid() {
  std::vector<uint8_t> b = CC_TRY(random_bytes(16));
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);
  std::string hex = base::to_hex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

// C2PA §11.1.4.1 / ISO 19566-5: a label is UTF-8 without control characters or the
// characters JUMBF URIs use as separators.
bool valid_label(std::string_view label) {
  if (label.empty()) {
    return false;
  }
  return std::none_of(label.begin(), label.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F || c == '/' || c == ';' || c == '?' || c == '#';
  });
}

base::Status check_definition(const ManifestDefinition& definition) {
  if (definition.digital_source_type == DigitalSourceType::kUnknown) {
    return bad_definition("a digital source type from the IPTC vocabulary is required");
  }
  if (definition.software_agent.name.empty()) {
    return bad_definition("the software agent (the generating tool) needs a name");
  }
  if (definition.claim_generator.name.empty()) {
    return bad_definition("the claim generator needs a name (C2PA §10.2.2)");
  }
  std::set<std::string> labels = {std::string(kActionsLabel), std::string(kDataHashLabel),
                                  std::string(kBmffHashLabel)};
  if (definition.registration) {
    labels.insert(std::string(kRegistrationLabel));
  }
  for (const CustomAssertion& a : definition.assertions) {
    if (!valid_label(a.label)) {
      return bad_definition("assertion label \"" + a.label + "\" is not a valid JUMBF label");
    }
    if (a.label.rfind("c2pa.hash.", 0) == 0 || a.label.rfind("c2pa.actions", 0) == 0 ||
        !labels.insert(a.label).second) {
      return bad_definition("assertion label \"" + a.label +
                            "\" is written by the writer or given twice");
    }
  }
  return {};
}

// RFC 8949 §4.2.1 core deterministic encoding: map keys in the bytewise order of their
// encodings, at every depth (the encoder already writes the shortest arguments).
CborValue deterministic(const CborValue& value) {
  if (value.is_array()) {
    CborValue out = CborValue::array();
    for (const CborValue& item : value.items()) {
      out.push_back(deterministic(item));
    }
    return out;
  }
  if (value.type() == CborValue::Type::kTag) {
    return CborValue::tag(value.argument(), deterministic(value.tag_content()));
  }
  if (!value.is_map()) {
    return value;
  }
  std::vector<std::pair<std::vector<uint8_t>, size_t>> keys;
  for (size_t i = 0; i < value.size(); ++i) {
    keys.emplace_back(encode_cbor(value.key_at(i)), i);
  }
  // Bytewise, by hand: std::vector's operator< trips GCC 12's -Wstringop-overread at -O3.
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    size_t n = std::min(a.first.size(), b.first.size());
    for (size_t i = 0; i < n; ++i) {
      if (a.first[i] != b.first[i]) {
        return a.first[i] < b.first[i];
      }
    }
    return a.first.size() < b.first.size();
  });
  CborValue out = CborValue::map();
  for (const auto& [encoded, i] : keys) {
    out.insert(value.key_at(i), deterministic(value.value_at(i)));
  }
  return out;
}

std::vector<uint8_t> encode(const CborValue& value) {
  return encode_cbor(deterministic(value));
}

CborValue actions_cbor(const ManifestDefinition& definition) {
  Action created;
  created.action = "c2pa.created";
  created.digital_source_type = digital_source_type_uri(definition.digital_source_type);
  created.software_agent = definition.software_agent.name;
  created.software_agent_version = definition.software_agent.version;
  ActionsAssertion actions;
  actions.version = 2;
  actions.actions.push_back(std::move(created));
  return actions.to_cbor();
}

CborValue registration_cbor(const Registration& registration) {
  CborValue map = CborValue::map();
  auto add = [&](std::string key, const std::string& value) {
    if (!value.empty()) {
      map.insert(std::move(key), CborValue::text(value));
    }
  };
  add("use_case_id", registration.use_case_id);
  add("production", registration.production);
  add("asset_id", registration.asset_id);
  return map;
}

CborValue data_hash_cbor(uint64_t start, uint64_t length, std::vector<uint8_t> hash) {
  DataHash binding;
  // C2PA §18.5.3: one range covering every byte of the store's carrier.
  binding.exclusions.push_back({start, length});
  binding.name = "jumbf manifest";
  binding.alg = std::string(hash_algorithm_name(kHash));
  binding.hash = std::move(hash);
  return binding.to_cbor();  // `pad` stays empty: sizes are exact, nothing to fill later
}

BmffHash bmff_hash(std::vector<uint8_t> hash) {
  BmffHash binding;
  binding.version = 3;
  // C2PA §A.5.6: the mandatory exclusions, the C2PA uuid box recognised by its usertype.
  BmffExclusion uuid;
  uuid.xpath = "/uuid";
  uuid.data.push_back({8, std::vector<uint8_t>(kC2paBmffUuid.begin(), kC2paBmffUuid.end())});
  BmffExclusion ftyp;
  ftyp.xpath = "/ftyp";
  BmffExclusion mfra;
  mfra.xpath = "/mfra";
  binding.exclusions = {uuid, ftyp, mfra};
  binding.alg = std::string(hash_algorithm_name(kHash));
  binding.hash = std::move(hash);
  binding.name = "jumbf manifest";
  return binding;
}

// The parts of the manifest that stay fixed while the layout is worked out.
struct ManifestParts {
  std::string label;
  std::string instance_id;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> assertion_payloads;  // label, CBOR
  std::vector<std::vector<uint8_t>> salts;  // one per assertion, the binding's last
};

std::vector<uint8_t> assertion_box(std::string_view label, std::span<const uint8_t> cbor,
                                   std::span<const uint8_t> salt) {
  return encode_jumbf_superbox(jumbf_type_uuid("cbor"), label, {encode_jumbf_box("cbor", cbor)},
                               salt);
}

struct StoreBytes {
  std::vector<uint8_t> store;
  std::vector<uint8_t> claim;  // the claim's CBOR, what the signature covers
  std::vector<uint8_t> protected_header;
};

// C2PA §11.1: store > manifest > {assertion store, claim, signature}.
StoreBytes assemble(const ManifestParts& parts, const ClaimSigner& signer,
                    std::string_view binding_label, std::span<const uint8_t> binding_cbor,
                    const ManifestDefinition& definition, std::span<const uint8_t> signature) {
  std::vector<std::vector<uint8_t>> boxes;
  Claim claim;
  claim.version = 2;
  claim.title = definition.title;
  claim.instance_id = parts.instance_id;
  claim.claim_generator_info.push_back(definition.claim_generator);
  claim.signature = "self#jumbf=c2pa.signature";
  claim.alg = std::string(hash_algorithm_name(kHash));
  auto add = [&](std::string_view label, std::span<const uint8_t> cbor, size_t index) {
    std::vector<uint8_t> box = assertion_box(label, cbor, parts.salts[index]);
    HashedUri uri;
    uri.url = "self#jumbf=c2pa.assertions/" + std::string(label);
    // C2PA §8.4.2.3: the hash covers the superbox after its own 8-byte header.
    uri.hash = digest(kHash, std::span<const uint8_t>(box).subspan(8));
    claim.created_assertions.push_back(std::move(uri));
    boxes.push_back(std::move(box));
  };
  for (size_t i = 0; i < parts.assertion_payloads.size(); ++i) {
    add(parts.assertion_payloads[i].first, parts.assertion_payloads[i].second, i);
  }
  add(binding_label, binding_cbor, parts.assertion_payloads.size());

  StoreBytes out;
  out.claim = encode(claim.to_cbor());

  // C2PA §13.2.2: alg and x5chain in the protected header; RFC 9360 §2: one certificate is a
  // byte string, several an array, leaf first.
  CborValue protected_header = CborValue::map();
  protected_header.insert(CborValue::integer(kCoseHeaderAlg),
                          CborValue::integer(cose_algorithm_id(signer.algorithm())));
  const auto& chain = signer.certificate_chain();
  if (chain.size() == 1) {
    protected_header.insert(CborValue::integer(kCoseHeaderX5Chain), CborValue::bytes(chain[0]));
  } else {
    CborValue certs = CborValue::array();
    for (const std::vector<uint8_t>& der : chain) {
      certs.push_back(CborValue::bytes(der));
    }
    protected_header.insert(CborValue::integer(kCoseHeaderX5Chain), std::move(certs));
  }
  CoseSign1 sign1;
  sign1.protected_bytes = encode(protected_header);
  sign1.unprotected_header = CborValue::map();
  sign1.signature.assign(signature.begin(), signature.end());
  out.protected_header = sign1.protected_bytes;

  std::vector<uint8_t> assertion_store =
      encode_jumbf_superbox(jumbf_type_uuid("c2as"), "c2pa.assertions", boxes);
  std::vector<uint8_t> claim_box = encode_jumbf_superbox(jumbf_type_uuid("c2cl"), "c2pa.claim.v2",
                                                         {encode_jumbf_box("cbor", out.claim)});
  std::vector<uint8_t> signature_box =
      encode_jumbf_superbox(jumbf_type_uuid("c2cs"), "c2pa.signature",
                            {encode_jumbf_box("cbor", encode_cbor(sign1.to_cbor()))});
  std::vector<uint8_t> manifest = encode_jumbf_superbox(
      jumbf_type_uuid("c2ma"), parts.label, {assertion_store, claim_box, signature_box});
  out.store = encode_jumbf_superbox(jumbf_type_uuid("c2pa"), "c2pa", {manifest});
  return out;
}

}  // namespace

Result<SignedAsset> write_c2pa(std::span<const uint8_t> asset, const ClaimSigner& signer,
                               const ManifestDefinition& definition, const WriteOptions& options) {
  CC_TRY(check_definition(definition));
  if (signer.certificate_chain().empty() || signer.signature_size() == 0) {
    return base::invalid_argument("the signer has no certificate");
  }
  auto existing = find_manifest_store(asset);
  if (!existing.has_value()) {
    return std::move(existing).error();
  }
  if (existing->has_value()) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "the asset already carries Content Credentials; signing over them (as "
                       "an ingredient) is not supported");
  }
  StoreEmbedding plan = CC_TRY(StoreEmbedding::plan(asset, options.jpeg_segment_payload));
  bool bmff = plan.format() == AssetFormat::kBmff;
  std::string_view binding_label = bmff ? kBmffHashLabel : kDataHashLabel;

  ManifestParts parts;
  parts.label = "urn:c2pa:" + CC_TRY(random_uuid()) + ":clearcut";
  parts.instance_id =
      definition.instance_id.empty() ? "xmp:iid:" + CC_TRY(random_uuid()) : definition.instance_id;
  parts.assertion_payloads.emplace_back(kActionsLabel, encode(actions_cbor(definition)));
  if (definition.registration) {
    parts.assertion_payloads.emplace_back(kRegistrationLabel,
                                          encode(registration_cbor(*definition.registration)));
  }
  for (const CustomAssertion& a : definition.assertions) {
    parts.assertion_payloads.emplace_back(a.label, encode(a.data));
  }
  for (size_t i = 0; i <= parts.assertion_payloads.size(); ++i) {
    parts.salts.push_back(options.salt_assertions ? CC_TRY(random_bytes(16))
                                                  : std::vector<uint8_t>());
  }

  // Pass 1, sizes: placeholders as long as the real hash and signature. Only the data hash's
  // exclusion length depends on the store's size; settle it (CBOR integers only grow, so
  // this ends within a few rounds).
  const std::vector<uint8_t> no_signature(signer.signature_size(), 0);
  const std::vector<uint8_t> no_hash(kHashSize, 0);
  auto binding_cbor = [&](std::vector<uint8_t> hash, uint64_t length) {
    return encode(bmff ? bmff_hash(std::move(hash)).to_cbor()
                       : data_hash_cbor(plan.offset(), length, std::move(hash)));
  };
  uint64_t carrier_length = 0;
  StoreBytes placeholder;
  for (int round = 0;; ++round) {
    CC_CHECK(round < 8);
    placeholder = assemble(parts, signer, binding_label, binding_cbor(no_hash, carrier_length),
                           definition, no_signature);
    uint64_t needed = plan.carrier_size(placeholder.store.size());
    if (bmff || needed == carrier_length) {
      carrier_length = needed;
      break;
    }
    carrier_length = needed;
  }
  std::vector<uint8_t> out = CC_TRY(plan.embed(asset, plan.carrier(placeholder.store)));

  // Pass 2, the binding over the final layout, then the claim and its signature.
  std::vector<uint8_t> hash;
  if (bmff) {
    hash = CC_TRY(compute_bmff_hash(bmff_hash({}), out, kHash));
  } else {
    hash = CC_TRY(hash_excluding(out, {{plan.offset(), carrier_length}}, kHash));
  }
  std::vector<uint8_t> binding = binding_cbor(std::move(hash), carrier_length);
  StoreBytes unsigned_store =
      assemble(parts, signer, binding_label, binding, definition, no_signature);
  std::vector<uint8_t> signature = CC_TRY(signer.sign(
      cose_sig_structure("Signature1", unsigned_store.protected_header, unsigned_store.claim)));
  if (signature.size() != signer.signature_size()) {
    return base::internal_error("the signer returned " + std::to_string(signature.size()) +
                                " bytes where " + std::to_string(signer.signature_size()) +
                                " were reserved");
  }
  StoreBytes final_store = assemble(parts, signer, binding_label, binding, definition, signature);
  CC_CHECK(final_store.store.size() == placeholder.store.size());
  std::vector<uint8_t> carrier = plan.carrier(final_store.store);
  CC_CHECK(carrier.size() == carrier_length);
  std::copy(carrier.begin(), carrier.end(),
            out.begin() + static_cast<std::ptrdiff_t>(plan.offset()));

  SignedAsset signed_asset;
  signed_asset.bytes = std::move(out);
  signed_asset.format = plan.format();
  signed_asset.manifest_label = std::move(parts.label);
  signed_asset.instance_id = std::move(parts.instance_id);
  signed_asset.carrier = {plan.offset(), carrier_length};
  return signed_asset;
}

}  // namespace clearcut::c2pa
