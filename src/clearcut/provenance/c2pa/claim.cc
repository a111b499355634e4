#include "clearcut/provenance/c2pa/claim.h"

namespace clearcut::c2pa {

using base::Error;
using base::Result;

namespace {

Error malformed(std::string message) {
  return base::invalid_argument(std::move(message));
}

std::optional<std::string> text_member(const CborValue& map, std::string_view key) {
  return map.find_text(key);
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

}  // namespace

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

}  // namespace clearcut::c2pa
