#include "clearcut/provenance/c2pa/manifest_store.h"

#include <algorithm>
#include <cctype>

namespace clearcut::c2pa {

using base::Error;
using base::Result;

namespace {

Error malformed(std::string message) {
  return base::invalid_argument(std::move(message));
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

int claim_version_from_label(std::string_view label) {
  if (label == "c2pa.claim") {
    return 1;
  }
  if (label.substr(0, 12) == "c2pa.claim.v" && all_digits(label.substr(12)) && label.size() < 18) {
    return std::stoi(std::string(label.substr(12)));
  }
  return 0;
}

const JumbfBox* first_content(const JumbfBox& superbox) {
  for (const JumbfBox& child : superbox.children) {
    if (!child.is_superbox()) {
      return &child;
    }
  }
  return nullptr;
}

Result<Assertion> parse_assertion(const JumbfBox& box, std::span<const uint8_t> store) {
  Assertion assertion;
  assertion.label = box.label();
  assertion.superbox = box.box;
  assertion.contents = box.payload;
  const Uuid& type = box.description.type;
  if (type == jumbf_type_uuid("cbor")) {
    assertion.encoding = AssertionEncoding::kCbor;
  } else if (type == jumbf_type_uuid("json")) {
    assertion.encoding = AssertionEncoding::kJson;
  } else if (type == kEmbeddedFileUuid) {
    assertion.encoding = AssertionEncoding::kEmbeddedFile;
  } else if (type == jumbf_type_uuid("uuid")) {
    assertion.encoding = AssertionEncoding::kUuid;
  }
  if (const JumbfBox* content = first_content(box)) {
    assertion.content = content->payload;
    if (assertion.encoding == AssertionEncoding::kCbor && content->type_name() == "cbor") {
      auto decoded = decode_cbor(slice(store, content->payload));
      if (decoded.has_value()) {
        assertion.cbor = std::move(decoded).value();
      } else {
        assertion.cbor_error = decoded.error().message();
      }
    }
  }
  return assertion;
}

Result<Manifest> parse_manifest(const JumbfBox& box, std::span<const uint8_t> store) {
  Manifest manifest;
  manifest.label = box.label();
  manifest.superbox = box.box;
  manifest.contents = box.payload;
  manifest.kind = box.description.type == jumbf_type_uuid("c2um") ? ManifestKind::kUpdate
                                                                  : ManifestKind::kStandard;
  const JumbfBox* claim_box = nullptr;
  const JumbfBox* signature_box = nullptr;
  const JumbfBox* assertion_store = nullptr;
  for (const JumbfBox& child : box.children) {
    if (!child.is_superbox()) {
      continue;
    }
    const Uuid& type = child.description.type;
    if (type == jumbf_type_uuid("c2cl")) {
      if (claim_box != nullptr) {
        return malformed("manifest " + manifest.label +
                         " has more than one claim (claim.multiple)");
      }
      claim_box = &child;
    } else if (type == jumbf_type_uuid("c2cs") && signature_box == nullptr) {
      signature_box = &child;
    } else if (type == jumbf_type_uuid("c2as") && assertion_store == nullptr) {
      assertion_store = &child;
    }
  }
  if (claim_box == nullptr) {
    return malformed("manifest " + manifest.label + " has no claim (claim.missing)");
  }
  manifest.claim_label = claim_box->label();
  int version = claim_version_from_label(manifest.claim_label);
  if (version == 0) {
    return malformed("manifest " + manifest.label + " has a claim labelled \"" +
                     manifest.claim_label + "\"");
  }
  if (version > 2) {
    return Error(base::ErrorCode::kUnsupported,
                 "claim version " + std::to_string(version) + " is newer than supported");
  }
  const JumbfBox* claim_cbor = claim_box->find_content("cbor");
  if (claim_cbor == nullptr) {
    return malformed("claim of " + manifest.label + " has no CBOR box");
  }
  manifest.claim_cbor = claim_cbor->payload;
  auto claim_value = decode_cbor(slice(store, claim_cbor->payload));
  if (!claim_value.has_value()) {
    return malformed("claim of " + manifest.label +
                     " is not valid CBOR (claim.cbor.invalid): " + claim_value.error().message());
  }
  auto claim = Claim::from_cbor(*claim_value, version);
  if (!claim.has_value()) {
    return malformed("claim of " + manifest.label +
                     " is malformed (claim.malformed): " + claim.error().message());
  }
  manifest.claim = std::move(claim).value();
  // c2pa-rs: "the claim must have an algorithm to be able to process internal hashes".
  if (!manifest.claim.alg) {
    return Error(base::ErrorCode::kUnsupported,
                 "claim of " + manifest.label + " names no hash algorithm (algorithm.unsupported)")
        .with_field("alg");
  }
  if (signature_box == nullptr) {
    return malformed("manifest " + manifest.label + " has no claim signature box");
  }
  const JumbfBox* signature_cbor = signature_box->find_content("cbor");
  if (signature_cbor == nullptr) {
    return malformed("claim signature of " + manifest.label + " has no CBOR box");
  }
  manifest.signature_cbor = signature_cbor->payload;
  manifest.signature_contents = signature_box->payload;
  if (assertion_store == nullptr) {
    return malformed("manifest " + manifest.label + " has no assertion store");
  }
  for (const JumbfBox& child : assertion_store->children) {
    if (child.is_superbox()) {
      manifest.assertions.push_back(CC_TRY(parse_assertion(child, store)));
    }
  }
  return manifest;
}

}  // namespace

std::string Assertion::base_label() const {
  size_t marker = label.rfind("__");
  if (marker != std::string::npos && all_digits(std::string_view(label).substr(marker + 2))) {
    return label.substr(0, marker);
  }
  return label;
}

int Assertion::version() const {
  std::string base = base_label();
  size_t dot = base.rfind(".v");
  if (dot != std::string::npos) {
    std::string_view digits = std::string_view(base).substr(dot + 2);
    if (all_digits(digits) && digits.size() < 6) {
      return std::stoi(std::string(digits));
    }
  }
  return 1;
}

bool Assertion::is(std::string_view family) const {
  std::string base = base_label();
  if (base == family) {
    return true;
  }
  std::string prefix = std::string(family) + ".v";
  return base.size() > prefix.size() && base.compare(0, prefix.size(), prefix) == 0 &&
         all_digits(std::string_view(base).substr(prefix.size()));
}

const Assertion* Manifest::find_assertion(std::string_view wanted) const {
  for (const Assertion& assertion : assertions) {
    if (assertion.label == wanted) {
      return &assertion;
    }
  }
  return nullptr;
}

Result<ManifestStore> ManifestStore::parse(std::vector<uint8_t> jumbf) {
  ManifestStore store;
  store.bytes_ = std::move(jumbf);
  std::span<const uint8_t> bytes(store.bytes_);
  store.root_ = CC_TRY(parse_jumbf(bytes));
  if (store.root_.description.type != jumbf_type_uuid("c2pa")) {
    return malformed("JUMBF superbox is not a C2PA manifest store");
  }
  for (const JumbfBox& child : store.root_.children) {
    if (!child.is_superbox()) {
      continue;
    }
    const Uuid& type = child.description.type;
    // C2PA §11.2: standard (c2ma, also c2md) and update (c2um) manifests; compressed (c2cm)
    // and unknown boxes are skipped as the spec requires.
    if (type != jumbf_type_uuid("c2ma") && type != jumbf_type_uuid("c2md") &&
        type != jumbf_type_uuid("c2um")) {
      continue;
    }
    Manifest manifest = CC_TRY(parse_manifest(child, bytes));
    store.manifests_.push_back(std::move(manifest));
  }
  if (store.manifests_.empty()) {
    return malformed("manifest store holds no manifest");
  }
  return store;
}

std::span<const uint8_t> ManifestStore::bytes(ByteRange range) const {
  return slice(bytes_, range);
}

const Manifest* ManifestStore::active_manifest() const {
  return manifests_.empty() ? nullptr : &manifests_.back();
}

const Manifest* ManifestStore::find(std::string_view label) const {
  for (const Manifest& manifest : manifests_) {
    if (manifest.label == label) {
      return &manifest;
    }
  }
  return nullptr;
}

}  // namespace clearcut::c2pa
