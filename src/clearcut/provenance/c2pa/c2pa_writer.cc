#include "clearcut/provenance/c2pa/c2pa_writer.h"

#include <algorithm>
#include <array>
#include <set>

#include "clearcut/base/hex.h"
#include "clearcut/crypto/random.h"
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
constexpr std::string_view kIngredientLabel = "c2pa.ingredient.v3";
constexpr std::string_view kDataHashLabel = "c2pa.hash.data";
constexpr std::string_view kBmffHashLabel = "c2pa.hash.bmff.v3";
constexpr HashAlgorithm kHash = HashAlgorithm::kSha256;
constexpr size_t kHashSize = 32;

base::Error bad_definition(std::string message) {
  return base::invalid_argument("manifest definition: " + std::move(message));
}

Result<std::vector<uint8_t>> random_bytes(size_t n) {
  std::vector<uint8_t> out(n);
  if (!crypto::random_bytes(out).has_value()) {
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
  if (definition.parent && definition.parent->bytes.empty()) {
    return bad_definition("the parent asset is empty");
  }
  std::set<std::string> labels = {std::string(kActionsLabel), std::string(kDataHashLabel),
                                  std::string(kBmffHashLabel), std::string(kIngredientLabel)};
  if (definition.registration) {
    labels.insert(std::string(kRegistrationLabel));
  }
  for (const CustomAssertion& a : definition.assertions) {
    if (!valid_label(a.label)) {
      return bad_definition("assertion label \"" + a.label + "\" is not a valid JUMBF label");
    }
    if (a.label.rfind("c2pa.hash.", 0) == 0 || a.label.rfind("c2pa.actions", 0) == 0 ||
        a.label.rfind("c2pa.ingredient", 0) == 0 || !labels.insert(a.label).second) {
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

// C2PA §18.15.4: the first action is c2pa.created, or c2pa.opened naming the parentOf
// ingredient; with a parent the source type goes on the edit that follows.
CborValue actions_cbor(const ManifestDefinition& definition,
                       const std::optional<HashedUri>& parent_ingredient) {
  ActionsAssertion actions;
  actions.version = 2;
  if (parent_ingredient) {
    Action opened;
    opened.action = "c2pa.opened";
    opened.ingredients.push_back(*parent_ingredient);
    actions.actions.push_back(std::move(opened));
  }
  Action action;
  action.action = parent_ingredient ? "c2pa.edited" : "c2pa.created";
  action.digital_source_type = digital_source_type_uri(definition.digital_source_type);
  action.software_agent = definition.software_agent.name;
  action.software_agent_version = definition.software_agent.version;
  actions.actions.push_back(std::move(action));
  return actions.to_cbor();
}

std::string media_type_of(AssetFormat format) {
  switch (format) {
    case AssetFormat::kJpeg:
      return "image/jpeg";
    case AssetFormat::kPng:
      return "image/png";
    case AssetFormat::kBmff:
      return "video/mp4";
    case AssetFormat::kRiff:
      return "audio/wav";
    case AssetFormat::kMp3:
      return "audio/mpeg";
    case AssetFormat::kUnknown:
      break;
  }
  return "application/octet-stream";
}

// C2PA §15.2.2 status-codes-map: {success, informational, failure}, each a list of
// {code, url, explanation}.
CborValue status_codes_cbor(const std::vector<const ValidationStatus*>& statuses) {
  CborValue success = CborValue::array();
  CborValue informational = CborValue::array();
  CborValue failure = CborValue::array();
  for (const ValidationStatus* s : statuses) {
    CborValue entry = CborValue::map();
    entry.insert("code", CborValue::text(s->code));
    if (!s->url.empty()) {
      entry.insert("url", CborValue::text(s->url));
    }
    if (!s->explanation.empty()) {
      entry.insert("explanation", CborValue::text(s->explanation));
    }
    switch (s->kind) {
      case StatusKind::kSuccess:
        success.push_back(std::move(entry));
        break;
      case StatusKind::kInformational:
        informational.push_back(std::move(entry));
        break;
      case StatusKind::kFailure:
        failure.push_back(std::move(entry));
        break;
    }
  }
  CborValue map = CborValue::map();
  map.insert("success", std::move(success));
  map.insert("informational", std::move(informational));
  map.insert("failure", std::move(failure));
  return map;
}

// C2PA §15.2.2 validation-results-map of what the reader reported for the parent: the codes of
// its active manifest, and per ingredient of its own the codes that ingredient had not
// already recorded (the reader has dropped those).
CborValue validation_results_cbor(const C2paReport& report) {
  std::vector<const ValidationStatus*> active;
  std::vector<std::pair<std::string, std::vector<const ValidationStatus*>>> deltas;
  for (const ValidationStatus& s : report.statuses) {
    if (s.ingredient_uri.empty()) {
      active.push_back(&s);
      continue;
    }
    auto it = std::find_if(deltas.begin(), deltas.end(),
                           [&](const auto& d) { return d.first == s.ingredient_uri; });
    if (it == deltas.end()) {
      deltas.emplace_back(s.ingredient_uri, std::vector<const ValidationStatus*>());
      it = deltas.end() - 1;
    }
    it->second.push_back(&s);
  }
  CborValue map = CborValue::map();
  map.insert("activeManifest", status_codes_cbor(active));
  if (!deltas.empty()) {
    CborValue list = CborValue::array();
    for (const auto& [uri, statuses] : deltas) {
      CborValue delta = CborValue::map();
      delta.insert("ingredientAssertionURI", CborValue::text(uri));
      delta.insert("validationDeltas", status_codes_cbor(statuses));
      list.push_back(std::move(delta));
    }
    map.insert("ingredientDeltas", std::move(list));
  }
  return map;
}

// The parent as read: its store's boxes to copy, and the c2pa.ingredient.v3 that names it.
struct ParentIngredient {
  CborValue ingredient;
  std::vector<std::vector<uint8_t>> store_boxes;
  std::string active_manifest;
  Verdict verdict = Verdict::kNoManifest;
};

Result<ParentIngredient> read_parent(const ParentAsset& parent) {
  auto refuse = [](std::string message) {
    return base::invalid_argument("parent asset: " + std::move(message));
  };
  AssetFormat format = detect_asset_format(parent.bytes);
  if (format == AssetFormat::kUnknown) {
    return refuse("not a JPEG, PNG, MP4, WAV or MP3");
  }
  C2paReport report = CC_TRY(read_c2pa(parent.bytes, parent.validation));
  if (!report.has_manifest() && report.no_manifest_reason != NoManifestReason::kJumbfNotFound) {
    return refuse("its Content Credentials cannot be read (" +
                  std::string(no_manifest_reason_name(report.no_manifest_reason)) +
                  "): " + report.detail);
  }

  ParentIngredient out;
  out.verdict = report.verdict;
  CborValue& map = out.ingredient = CborValue::map();
  map.insert("relationship", CborValue::text("parentOf"));
  const Manifest* active = report.has_manifest() ? report.store->active_manifest() : nullptr;
  std::optional<std::string> title;
  if (!parent.title.empty()) {
    title = parent.title;
  } else if (active != nullptr) {
    title = active->claim.title;
  }
  if (title) {
    map.insert("dc:title", CborValue::text(*title));
  }
  map.insert("dc:format", CborValue::text(parent.media_type.empty() ? media_type_of(format)
                                                                    : parent.media_type));
  std::string instance_id = parent.instance_id;
  if (instance_id.empty() && active != nullptr) {
    instance_id = active->claim.instance_id;
  }
  if (!instance_id.empty()) {
    map.insert("instanceID", CborValue::text(instance_id));
  }
  if (active == nullptr) {
    return out;  // no provenance: activeManifest and validationResults go together (§18.16)
  }

  const ManifestStore& store = *report.store;
  out.active_manifest = active->label;
  // C2PA §8.4.2.3: hashed URIs cover a superbox after its header, with the claim's algorithm.
  std::string alg_name = active->claim.alg.value_or(std::string(hash_algorithm_name(kHash)));
  HashAlgorithm alg = hash_algorithm_from_name(alg_name).value_or(kHash);
  HashedUri manifest_uri;
  manifest_uri.url = absolute_jumbf_uri(active->label);
  manifest_uri.alg = std::string(hash_algorithm_name(alg));
  manifest_uri.hash = digest(alg, store.bytes(active->contents));
  HashedUri signature_uri;
  signature_uri.url = absolute_jumbf_uri(active->label, "c2pa.signature");
  signature_uri.alg = manifest_uri.alg;
  signature_uri.hash = digest(alg, store.bytes(active->signature_contents));
  map.insert("activeManifest", manifest_uri.to_cbor());
  map.insert("claimSignature", signature_uri.to_cbor());
  map.insert("validationResults", validation_results_cbor(report));

  // Every box of the parent's store after its description, unchanged, so that the hashes
  // above and the parent's own ingredient references still hold.
  for (const JumbfBox& child : store.root().children) {
    std::span<const uint8_t> box = store.bytes(child.box);
    out.store_boxes.emplace_back(box.begin(), box.end());
  }
  return out;
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
  std::vector<std::vector<uint8_t>> salts;         // one per assertion, the binding's last
  std::vector<std::vector<uint8_t>> parent_boxes;  // the parent's store, ahead of the manifest
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
  std::vector<std::vector<uint8_t>> store_boxes = parts.parent_boxes;
  store_boxes.push_back(std::move(manifest));  // C2PA §15.5: the active manifest is the last
  out.store = encode_jumbf_superbox(jumbf_type_uuid("c2pa"), "c2pa", store_boxes);
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
                       "the asset to sign already carries Content Credentials; sign bytes "
                       "without them and pass the original as the parent asset");
  }
  std::optional<ParentIngredient> parent;
  if (definition.parent) {
    parent = CC_TRY(read_parent(*definition.parent));
  }
  StoreEmbedding plan = CC_TRY(StoreEmbedding::plan(asset, options.jpeg_segment_payload));
  bool bmff = plan.format() == AssetFormat::kBmff;
  std::string_view binding_label = bmff ? kBmffHashLabel : kDataHashLabel;

  ManifestParts parts;
  parts.label = "urn:c2pa:" + CC_TRY(random_uuid()) + ":clearcut";
  parts.instance_id =
      definition.instance_id.empty() ? "xmp:iid:" + CC_TRY(random_uuid()) : definition.instance_id;
  auto add_payload = [&](std::string_view label, std::vector<uint8_t> cbor) -> base::Status {
    parts.assertion_payloads.emplace_back(label, std::move(cbor));
    parts.salts.push_back(options.salt_assertions ? CC_TRY(random_bytes(16))
                                                  : std::vector<uint8_t>());
    return {};
  };
  std::optional<HashedUri> ingredient_uri;
  if (parent) {
    // The ingredient first: c2pa.opened refers to it by the hash of its box.
    std::vector<uint8_t> cbor = encode(parent->ingredient);
    CC_TRY(add_payload(kIngredientLabel, cbor));
    std::vector<uint8_t> box = assertion_box(kIngredientLabel, cbor, parts.salts.back());
    ingredient_uri =
        HashedUri{"self#jumbf=c2pa.assertions/" + std::string(kIngredientLabel), std::nullopt,
                  digest(kHash, std::span<const uint8_t>(box).subspan(8))};
    parts.parent_boxes = std::move(parent->store_boxes);
  }
  CC_TRY(add_payload(kActionsLabel, encode(actions_cbor(definition, ingredient_uri))));
  if (definition.registration) {
    CC_TRY(add_payload(kRegistrationLabel, encode(registration_cbor(*definition.registration))));
  }
  for (const CustomAssertion& a : definition.assertions) {
    CC_TRY(add_payload(a.label, encode(a.data)));
  }
  parts.salts.push_back(options.salt_assertions ? CC_TRY(random_bytes(16))
                                                : std::vector<uint8_t>());  // the binding's

  // Pass 1, sizes: placeholders as long as the real hash and signature. Only the data hash's
  // exclusion length depends on the store's size; settle it (CBOR integers only grow, so
  // this ends within a few rounds).
  const std::vector<uint8_t> no_signature(signer.signature_size(), 0);
  const std::vector<uint8_t> no_hash(kHashSize, 0);
  auto binding_cbor = [&](std::vector<uint8_t> hash, uint64_t length) {
    return encode(bmff ? bmff_hash(std::move(hash)).to_cbor()
                       : data_hash_cbor(plan.excluded_offset(), length, std::move(hash)));
  };
  uint64_t carrier_length = 0;  // what the data hash excludes (StoreEmbedding::excluded_size)
  StoreBytes placeholder;
  for (int round = 0;; ++round) {
    CC_CHECK(round < 8);
    placeholder = assemble(parts, signer, binding_label, binding_cbor(no_hash, carrier_length),
                           definition, no_signature);
    uint64_t needed = plan.excluded_size(placeholder.store.size());
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
    hash = CC_TRY(hash_excluding(out, {{plan.excluded_offset(), carrier_length}}, kHash));
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
  CC_CHECK(carrier.size() == plan.carrier_size(final_store.store.size()));
  std::copy(carrier.begin(), carrier.end(),
            out.begin() + static_cast<std::ptrdiff_t>(plan.offset()));

  SignedAsset signed_asset;
  signed_asset.bytes = std::move(out);
  signed_asset.format = plan.format();
  signed_asset.manifest_label = std::move(parts.label);
  signed_asset.instance_id = std::move(parts.instance_id);
  signed_asset.carrier = {plan.excluded_offset(), carrier_length};
  if (parent) {
    signed_asset.parent_manifest = std::move(parent->active_manifest);
    signed_asset.parent_verdict = parent->verdict;
  }
  return signed_asset;
}

}  // namespace clearcut::c2pa
