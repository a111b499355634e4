#include "clearcut/provenance/c2pa/manifest.h"

#include <algorithm>
#include <cctype>

namespace clearcut::c2pa {

using base::Error;
using base::Result;

namespace {

constexpr std::string_view kUriPrefix = "self#jumbf=";

Error malformed(std::string message) {
  return base::invalid_argument(std::move(message));
}

std::optional<std::string> text_member(const CborValue& map, std::string_view key) {
  return map.find_text(key);
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

Result<std::vector<HashedUri>> hashed_uri_list(const CborValue& map, std::string_view key,
                                               bool required) {
  std::vector<HashedUri> out;
  const CborValue* list = map.find(key);
  if (list == nullptr || list->is_null()) {
    if (required) {
      return malformed("claim has no \"" + std::string(key) + "\" list");
    }
    return out;
  }
  if (!list->is_array()) {
    return malformed("claim \"" + std::string(key) + "\" is not an array");
  }
  for (const CborValue& item : list->items()) {
    HashedUri uri = CC_TRY(HashedUri::from_cbor(item));
    out.push_back(std::move(uri));
  }
  return out;
}

ClaimGeneratorInfo generator_info(const CborValue& map) {
  ClaimGeneratorInfo info;
  info.name = map.find_text("name").value_or("");
  info.version = map.find_text("version");
  return info;
}

void append_recorded(const CborValue* list, std::vector<RecordedStatus>* out) {
  if (list == nullptr || !list->is_array()) {
    return;
  }
  for (const CborValue& item : list->items()) {
    if (!item.is_map()) {
      continue;
    }
    RecordedStatus status;
    status.code = item.find_text("code").value_or("");
    status.url = item.find_text("url").value_or("");
    status.explanation = item.find_text("explanation").value_or("");
    if (!status.code.empty()) {
      out->push_back(std::move(status));
    }
  }
}

void append_status_codes(const CborValue* codes, std::vector<RecordedStatus>* out) {
  if (codes == nullptr || !codes->is_map()) {
    return;
  }
  append_recorded(codes->find("success"), out);
  append_recorded(codes->find("informational"), out);
  append_recorded(codes->find("failure"), out);
}

std::optional<HashedUri> optional_hashed_uri(const CborValue& map, std::string_view key) {
  const CborValue* value = map.find(key);
  if (value == nullptr || !value->is_map()) {
    return std::nullopt;
  }
  auto uri = HashedUri::from_cbor(*value);
  if (!uri.has_value()) {
    return std::nullopt;
  }
  return std::move(uri).value();
}

}  // namespace

Result<HashedUri> HashedUri::from_cbor(const CborValue& value) {
  if (!value.is_map()) {
    return malformed("hashed URI is not a map");
  }
  HashedUri uri;
  auto url = value.find_text("url");
  if (!url) {
    return malformed("hashed URI has no url");
  }
  uri.url = std::move(*url);
  uri.alg = value.find_text("alg");
  const CborValue* hash = value.find("hash");
  if (hash == nullptr) {
    return malformed("hashed URI " + uri.url + " has no hash");
  }
  if (hash->is_bytes()) {
    auto b = hash->bytes_value();
    uri.hash.assign(b.begin(), b.end());
  } else if (hash->is_array()) {
    for (const CborValue& byte : hash->items()) {
      auto v = byte.as_int();
      if (!v || *v < 0 || *v > 255) {
        return malformed("hashed URI " + uri.url + " has a bad hash");
      }
      uri.hash.push_back(static_cast<uint8_t>(*v));
    }
  } else {
    return malformed("hashed URI " + uri.url + " has a bad hash");
  }
  return uri;
}

CborValue HashedUri::to_cbor() const {
  CborValue map = CborValue::map();
  map.insert("url", CborValue::text(url));
  if (alg) {
    map.insert("alg", CborValue::text(*alg));
  }
  map.insert("hash", CborValue::bytes(hash));
  return map;
}

std::optional<JumbfUri> parse_jumbf_uri(std::string_view url) {
  if (url.substr(0, kUriPrefix.size()) != kUriPrefix) {
    return std::nullopt;
  }
  std::string_view rest = url.substr(kUriPrefix.size());
  bool absolute = !rest.empty() && rest.front() == '/';
  if (absolute) {
    rest.remove_prefix(1);
  }
  std::vector<std::string> segments = split_path(rest);
  if (segments.empty() || std::any_of(segments.begin(), segments.end(),
                                      [](const std::string& s) { return s.empty(); })) {
    return std::nullopt;
  }
  JumbfUri uri;
  // "c2pa/<manifest>/..." without the leading slash is written by some generators; the
  // store label "c2pa" cannot name a box inside a manifest, so it is read as absolute.
  if (absolute || (segments.front() == "c2pa" && segments.size() >= 2)) {
    if (segments.front() != "c2pa" || segments.size() < 2) {
      return std::nullopt;
    }
    uri.manifest = segments[1];
    uri.path.assign(segments.begin() + 2, segments.end());
    return uri;
  }
  uri.path = std::move(segments);
  return uri;
}

std::string absolute_jumbf_uri(std::string_view manifest, std::string_view path) {
  std::string out = std::string(kUriPrefix) + "/c2pa/" + std::string(manifest);
  if (!path.empty()) {
    out += "/" + std::string(path);
  }
  return out;
}

std::vector<const HashedUri*> Claim::assertion_refs() const {
  std::vector<const HashedUri*> refs;
  for (const HashedUri& uri : created_assertions) {
    refs.push_back(&uri);
  }
  for (const HashedUri& uri : gathered_assertions) {
    refs.push_back(&uri);
  }
  return refs;
}

Result<Claim> Claim::from_cbor(const CborValue& value, int version) {
  if (!value.is_map()) {
    return malformed("claim is not a CBOR map");
  }
  Claim claim;
  claim.version = version;
  claim.title = text_member(value, "dc:title");
  claim.format = text_member(value, "dc:format");
  claim.instance_id = text_member(value, "instanceID").value_or("");
  claim.claim_generator = text_member(value, "claim_generator");
  auto signature = text_member(value, "signature");
  if (!signature) {
    return malformed("claim has no signature reference");
  }
  claim.signature = std::move(*signature);
  claim.alg = text_member(value, "alg");
  if (const CborValue* info = value.find("claim_generator_info")) {
    if (info->is_map()) {
      claim.claim_generator_info.push_back(generator_info(*info));
    } else if (info->is_array()) {
      for (const CborValue& item : info->items()) {
        if (item.is_map()) {
          claim.claim_generator_info.push_back(generator_info(item));
        }
      }
    }
  }
  if (version == 1) {
    claim.created_assertions = CC_TRY(hashed_uri_list(value, "assertions", true));
  } else {
    claim.created_assertions = CC_TRY(hashed_uri_list(value, "created_assertions", true));
    claim.gathered_assertions = CC_TRY(hashed_uri_list(value, "gathered_assertions", false));
  }
  if (const CborValue* redacted = value.find("redacted_assertions");
      redacted != nullptr && redacted->is_array()) {
    for (const CborValue& item : redacted->items()) {
      if (item.is_text()) {
        claim.redacted_assertions.push_back(item.text_value());
      }
    }
  }
  return claim;
}

CborValue Claim::to_cbor() const {
  CborValue map = CborValue::map();
  if (title) {
    map.insert("dc:title", CborValue::text(*title));
  }
  if (version == 1 && format) {
    map.insert("dc:format", CborValue::text(*format));
  }
  map.insert("instanceID", CborValue::text(instance_id));
  if (claim_generator) {
    map.insert("claim_generator", CborValue::text(*claim_generator));
  }
  auto info_map = [](const ClaimGeneratorInfo& info) {
    CborValue m = CborValue::map();
    m.insert("name", CborValue::text(info.name));
    if (info.version) {
      m.insert("version", CborValue::text(*info.version));
    }
    return m;
  };
  if (version >= 2 && !claim_generator_info.empty()) {
    map.insert("claim_generator_info", info_map(claim_generator_info.front()));
  } else if (!claim_generator_info.empty()) {
    CborValue list = CborValue::array();
    for (const ClaimGeneratorInfo& info : claim_generator_info) {
      list.push_back(info_map(info));
    }
    map.insert("claim_generator_info", std::move(list));
  }
  map.insert("signature", CborValue::text(signature));
  auto uri_list = [](const std::vector<HashedUri>& uris) {
    CborValue list = CborValue::array();
    for (const HashedUri& uri : uris) {
      list.push_back(uri.to_cbor());
    }
    return list;
  };
  if (version == 1) {
    map.insert("assertions", uri_list(created_assertions));
  } else {
    map.insert("created_assertions", uri_list(created_assertions));
    if (!gathered_assertions.empty()) {
      map.insert("gathered_assertions", uri_list(gathered_assertions));
    }
  }
  if (!redacted_assertions.empty()) {
    CborValue list = CborValue::array();
    for (const std::string& uri : redacted_assertions) {
      list.push_back(CborValue::text(uri));
    }
    map.insert("redacted_assertions", std::move(list));
  }
  if (alg) {
    map.insert("alg", CborValue::text(*alg));
  }
  return map;
}

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

CborValue Action::to_cbor(int version) const {
  CborValue map = CborValue::map();
  map.insert("action", CborValue::text(action));
  if (when) {
    map.insert("when", CborValue::text(*when));
  }
  if (software_agent) {
    if (version >= 2) {
      CborValue agent = CborValue::map();
      agent.insert("name", CborValue::text(*software_agent));
      map.insert("softwareAgent", std::move(agent));
    } else {
      map.insert("softwareAgent", CborValue::text(*software_agent));
    }
  }
  if (digital_source_type) {
    map.insert("digitalSourceType", CborValue::text(*digital_source_type));
  }
  CborValue params = parameters.is_map() ? parameters : CborValue::map();
  if (!ingredients.empty() && params.find("ingredients") == nullptr) {
    CborValue list = CborValue::array();
    for (const HashedUri& uri : ingredients) {
      list.push_back(uri.to_cbor());
    }
    params.insert("ingredients", std::move(list));
  }
  if (params.size() > 0) {
    map.insert("parameters", std::move(params));
  }
  return map;
}

Result<ActionsAssertion> ActionsAssertion::from_cbor(const CborValue& value, int version) {
  const CborValue* list = value.is_map() ? value.find("actions") : nullptr;
  if (list == nullptr || !list->is_array()) {
    return malformed("actions assertion has no actions array");
  }
  ActionsAssertion out;
  out.version = version;
  for (const CborValue& item : list->items()) {
    if (!item.is_map()) {
      return malformed("action is not a map");
    }
    Action action;
    auto name = item.find_text("action");
    if (!name) {
      return malformed("action has no \"action\" label");
    }
    action.action = std::move(*name);
    action.when = item.find_text("when");
    if (const CborValue* agent = item.find("softwareAgent")) {
      if (agent->is_text()) {
        action.software_agent = agent->text_value();
      } else if (agent->is_map()) {
        action.software_agent = agent->find_text("name");
      }
    }
    action.digital_source_type = item.find_text("digitalSourceType");
    if (const CborValue* params = item.find("parameters"); params != nullptr && params->is_map()) {
      action.parameters = *params;
      if (!action.digital_source_type) {
        // Some writers put it among the parameters.
        action.digital_source_type = params->find_text("digitalSourceType");
      }
      if (const CborValue* list_of = params->find("ingredients");
          list_of != nullptr && list_of->is_array()) {
        for (const CborValue& uri : list_of->items()) {
          if (auto parsed = HashedUri::from_cbor(uri)) {
            action.ingredients.push_back(std::move(parsed).value());
          }
        }
      }
      if (auto single = optional_hashed_uri(*params, "ingredient")) {
        action.ingredients.push_back(std::move(*single));
      }
    }
    out.actions.push_back(std::move(action));
  }
  return out;
}

CborValue ActionsAssertion::to_cbor() const {
  CborValue list = CborValue::array();
  for (const Action& action : actions) {
    list.push_back(action.to_cbor(version));
  }
  CborValue map = CborValue::map();
  map.insert("actions", std::move(list));
  return map;
}

Result<Ingredient> Ingredient::from_cbor(const CborValue& value, int version) {
  if (!value.is_map()) {
    return malformed("ingredient is not a map");
  }
  Ingredient out;
  out.version = version;
  out.title = value.find_text("dc:title");
  out.format = value.find_text("dc:format");
  out.relationship = value.find_text("relationship").value_or("componentOf");
  out.instance_id = value.find_text("instanceID");
  if (!out.instance_id) {
    out.instance_id = value.find_text("instanceId");
  }
  out.document_id = value.find_text("documentID");
  out.manifest = optional_hashed_uri(value, "activeManifest");
  if (!out.manifest) {
    out.manifest = optional_hashed_uri(value, "c2pa_manifest");
  }
  out.claim_signature = optional_hashed_uri(value, "claimSignature");
  out.thumbnail = optional_hashed_uri(value, "thumbnail");
  append_recorded(value.find("validationStatus"), &out.recorded_statuses);
  if (const CborValue* results = value.find("validationResults");
      results != nullptr && results->is_map()) {
    append_status_codes(results->find("activeManifest"), &out.recorded_statuses);
    if (const CborValue* deltas = results->find("ingredientDeltas");
        deltas != nullptr && deltas->is_array()) {
      for (const CborValue& delta : deltas->items()) {
        if (delta.is_map()) {
          append_status_codes(delta.find("validationDeltas"), &out.recorded_statuses);
        }
      }
    }
  }
  return out;
}

const Assertion* Manifest::find_assertion(std::string_view wanted) const {
  for (const Assertion& assertion : assertions) {
    if (assertion.label == wanted) {
      return &assertion;
    }
  }
  return nullptr;
}

namespace {

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
