#include "clearcut/provenance/c2pa/hashed_uri.h"

#include <algorithm>

namespace clearcut::c2pa {

using base::Error;
using base::Result;

namespace {

Error malformed(std::string message) {
  return base::invalid_argument(std::move(message));
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

constexpr std::string_view kUriPrefix = "self#jumbf=";

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

std::optional<HashedUri> find_hashed_uri(const CborValue& map, std::string_view key) {
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

}  // namespace clearcut::c2pa
