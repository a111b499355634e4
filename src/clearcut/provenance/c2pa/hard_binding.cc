#include "clearcut/provenance/c2pa/hard_binding.h"

#include <algorithm>

#include "clearcut/provenance/c2pa/bmff.h"

namespace clearcut::c2pa {

using base::Result;

namespace {

base::Error malformed(std::string message) {
  return base::invalid_argument(std::move(message));
}

std::optional<uint64_t> unsigned_member(const CborValue& map, std::string_view key) {
  const CborValue* v = map.find(key);
  if (v == nullptr || v->type() != CborValue::Type::kUnsigned) {
    return std::nullopt;
  }
  return v->argument();
}

std::optional<std::vector<uint8_t>> bytes_member(const CborValue& map, std::string_view key) {
  const CborValue* v = map.find(key);
  if (v == nullptr || !v->is_bytes()) {
    return std::nullopt;
  }
  auto b = v->bytes_value();
  return std::vector<uint8_t>(b.begin(), b.end());
}

// Sorted, merged ranges as [start, end) pairs.
std::vector<std::pair<uint64_t, uint64_t>> merge(std::vector<HashExclusion> exclusions) {
  std::sort(exclusions.begin(), exclusions.end(),
            [](const HashExclusion& a, const HashExclusion& b) { return a.start < b.start; });
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const HashExclusion& e : exclusions) {
    if (e.length == 0) {
      continue;
    }
    uint64_t end = e.start + e.length;
    if (!out.empty() && e.start <= out.back().second) {
      out.back().second = std::max(out.back().second, end);
    } else {
      out.emplace_back(e.start, end);
    }
  }
  return out;
}

// Feeds [begin, end) of `asset` minus the merged exclusions into `digester`.
void feed(Digester& digester, std::span<const uint8_t> asset, uint64_t begin, uint64_t end,
          const std::vector<std::pair<uint64_t, uint64_t>>& excluded) {
  uint64_t pos = begin;
  for (const auto& [start, stop] : excluded) {
    if (stop <= pos || start >= end) {
      continue;
    }
    if (start > pos) {
      digester.update(asset.subspan(pos, start - pos));
    }
    pos = std::max(pos, stop);
    if (pos >= end) {
      return;
    }
  }
  if (pos < end) {
    digester.update(asset.subspan(pos, end - pos));
  }
}

bool exclusion_fits(const HashExclusion& e, size_t size) {
  return e.start <= size && e.length <= size - e.start;
}

std::optional<HashAlgorithm> pick_algorithm(const std::optional<std::string>& own,
                                            HashAlgorithm fallback) {
  if (!own) {
    return fallback;
  }
  return hash_algorithm_from_name(*own);
}

// C2PA §18.6.3: the boxes the exclusions select are left out (whole, or their subsets); v2
// and v3 prefix each remaining top-level box with its file offset.
std::vector<uint8_t> bmff_hash_of(const BmffHash& binding, const std::vector<BmffBox>& boxes,
                                  std::span<const uint8_t> asset, HashAlgorithm algorithm) {
  std::vector<HashExclusion> excluded;
  std::vector<size_t> whole_top_level;  // offsets of top-level boxes excluded entirely
  for (const BmffExclusion& e : binding.exclusions) {
    for (const BmffBox* box : find_bmff_boxes(boxes, e.xpath)) {
      uint64_t box_length = box->box.length;
      if (e.length && *e.length != box_length) {
        continue;
      }
      if (e.version && box->version && *e.version != *box->version) {
        continue;
      }
      if (e.flags && box->flags) {
        bool exact = e.exact.value_or(true);
        if (exact ? *e.flags != *box->flags : (*e.flags | *box->flags) != *e.flags) {
          continue;
        }
      }
      bool data_matches = true;
      for (const BmffExclusion::Data& d : e.data) {
        if (d.offset > box_length || d.value.size() > box_length - d.offset ||
            !std::equal(d.value.begin(), d.value.end(),
                        asset.begin() + static_cast<std::ptrdiff_t>(box->box.offset + d.offset))) {
          data_matches = false;
          break;
        }
      }
      if (!data_matches) {
        continue;
      }
      if (!e.subset.empty()) {
        for (const BmffExclusion::Subset& s : e.subset) {
          if (s.offset > box_length) {
            continue;
          }
          uint64_t rest = box_length - s.offset;
          excluded.push_back(
              {box->box.offset + s.offset, s.length == 0 ? rest : std::min(s.length, rest)});
        }
      } else {
        excluded.push_back({box->box.offset, box_length});
        whole_top_level.push_back(box->box.offset);
      }
    }
  }

  auto merged = merge(excluded);
  Digester digester(algorithm);
  if (binding.version >= 2) {
    for (const BmffBox& box : boxes) {
      if (std::find(whole_top_level.begin(), whole_top_level.end(), box.box.offset) !=
          whole_top_level.end()) {
        continue;
      }
      uint8_t offset[8];
      for (int i = 0; i < 8; ++i) {
        offset[i] = static_cast<uint8_t>(static_cast<uint64_t>(box.box.offset) >> (56 - 8 * i));
      }
      digester.update(offset);
      feed(digester, asset, box.box.offset, box.box.end(), merged);
    }
  } else {
    feed(digester, asset, 0, asset.size(), merged);
  }
  return digester.finish();
}

}  // namespace

Result<DataHash> DataHash::from_cbor(const CborValue& value) {
  if (!value.is_map()) {
    return malformed("data hash is not a map");
  }
  DataHash out;
  out.alg = value.find_text("alg");
  out.name = value.find_text("name");
  out.url = value.find_text("url");
  auto hash = bytes_member(value, "hash");
  if (!hash) {
    return malformed("data hash has no hash");
  }
  out.hash = std::move(*hash);
  if (auto pad = bytes_member(value, "pad")) {
    out.pad = std::move(*pad);
  }
  if (const CborValue* list = value.find("exclusions"); list != nullptr && !list->is_null()) {
    if (!list->is_array()) {
      return malformed("data hash exclusions is not an array");
    }
    for (const CborValue& item : list->items()) {
      auto start = item.is_map() ? unsigned_member(item, "start") : std::nullopt;
      auto length = item.is_map() ? unsigned_member(item, "length") : std::nullopt;
      if (!start || !length) {
        return malformed("data hash exclusion needs an unsigned start and length");
      }
      out.exclusions.push_back({*start, *length});
    }
  }
  return out;
}

CborValue DataHash::to_cbor() const {
  CborValue map = CborValue::map();
  CborValue list = CborValue::array();
  for (const HashExclusion& e : exclusions) {
    CborValue range = CborValue::map();
    range.insert("start", CborValue::unsigned_int(e.start));
    range.insert("length", CborValue::unsigned_int(e.length));
    list.push_back(std::move(range));
  }
  map.insert("exclusions", std::move(list));
  if (name) {
    map.insert("name", CborValue::text(*name));
  }
  if (alg) {
    map.insert("alg", CborValue::text(*alg));
  }
  map.insert("hash", CborValue::bytes(hash));
  map.insert("pad", CborValue::bytes(pad));
  return map;
}

Result<BmffHash> BmffHash::from_cbor(const CborValue& value, int version) {
  if (!value.is_map()) {
    return malformed("BMFF hash is not a map");
  }
  BmffHash out;
  out.version = version;
  out.alg = value.find_text("alg");
  out.name = value.find_text("name");
  out.hash = bytes_member(value, "hash");
  if (const CborValue* list = value.find("exclusions"); list != nullptr && list->is_array()) {
    for (const CborValue& item : list->items()) {
      if (!item.is_map()) {
        return malformed("BMFF exclusion is not a map");
      }
      BmffExclusion e;
      auto xpath = item.find_text("xpath");
      if (!xpath) {
        return malformed("BMFF exclusion has no xpath");
      }
      e.xpath = std::move(*xpath);
      e.length = unsigned_member(item, "length");
      if (auto version_value = unsigned_member(item, "version")) {
        if (*version_value > 255) {
          return malformed("BMFF exclusion version out of range");
        }
        e.version = static_cast<uint8_t>(*version_value);
      }
      if (auto flags = bytes_member(item, "flags")) {
        if (flags->size() != 3) {
          return malformed("BMFF exclusion flags must be 3 bytes");
        }
        e.flags = (uint32_t{(*flags)[0]} << 16) | (uint32_t{(*flags)[1]} << 8) | (*flags)[2];
      }
      if (const CborValue* exact = item.find("exact");
          exact != nullptr && exact->type() == CborValue::Type::kBool) {
        e.exact = exact->as_bool();
      }
      if (const CborValue* data = item.find("data"); data != nullptr && data->is_array()) {
        for (const CborValue& d : data->items()) {
          auto offset = d.is_map() ? unsigned_member(d, "offset") : std::nullopt;
          auto bytes = d.is_map() ? bytes_member(d, "value") : std::nullopt;
          if (!offset || !bytes) {
            return malformed("BMFF exclusion data needs an offset and a value");
          }
          e.data.push_back({*offset, std::move(*bytes)});
        }
      }
      if (const CborValue* subset = item.find("subset"); subset != nullptr && subset->is_array()) {
        for (const CborValue& s : subset->items()) {
          auto offset = s.is_map() ? unsigned_member(s, "offset") : std::nullopt;
          auto length = s.is_map() ? unsigned_member(s, "length") : std::nullopt;
          if (!offset || !length) {
            return malformed("BMFF exclusion subset needs an offset and a length");
          }
          e.subset.push_back({*offset, *length});
        }
      }
      out.exclusions.push_back(std::move(e));
    }
  }
  if (const CborValue* list = value.find("merkle"); list != nullptr && list->is_array()) {
    for (const CborValue& item : list->items()) {
      if (!item.is_map()) {
        return malformed("BMFF Merkle map is not a map");
      }
      BmffMerkleMap m;
      m.unique_id = unsigned_member(item, "uniqueId").value_or(0);
      m.local_id = unsigned_member(item, "localId").value_or(0);
      m.count = unsigned_member(item, "count").value_or(0);
      m.alg = item.find_text("alg");
      m.init_hash = bytes_member(item, "initHash");
      if (const CborValue* hashes = item.find("hashes"); hashes != nullptr && hashes->is_array()) {
        for (const CborValue& h : hashes->items()) {
          auto b = h.bytes_value();
          m.hashes.emplace_back(b.begin(), b.end());
        }
      }
      m.has_block_sizes =
          item.find("fixedBlockSize") != nullptr || item.find("variableBlockSizes") != nullptr;
      out.merkle.push_back(std::move(m));
    }
  }
  return out;
}

CborValue BmffHash::to_cbor() const {
  CborValue list = CborValue::array();
  for (const BmffExclusion& e : exclusions) {
    CborValue item = CborValue::map();
    item.insert("xpath", CborValue::text(e.xpath));
    if (e.length) {
      item.insert("length", CborValue::unsigned_int(*e.length));
    }
    if (!e.data.empty()) {
      CborValue data = CborValue::array();
      for (const BmffExclusion::Data& d : e.data) {
        CborValue entry = CborValue::map();
        entry.insert("offset", CborValue::unsigned_int(d.offset));
        entry.insert("value", CborValue::bytes(d.value));
        data.push_back(std::move(entry));
      }
      item.insert("data", std::move(data));
    }
    if (!e.subset.empty()) {
      CborValue subsets = CborValue::array();
      for (const BmffExclusion::Subset& sub : e.subset) {
        CborValue entry = CborValue::map();
        entry.insert("offset", CborValue::unsigned_int(sub.offset));
        entry.insert("length", CborValue::unsigned_int(sub.length));
        subsets.push_back(std::move(entry));
      }
      item.insert("subset", std::move(subsets));
    }
    if (e.version) {
      item.insert("version", CborValue::unsigned_int(*e.version));
    }
    if (e.flags) {
      std::vector<uint8_t> flags = {static_cast<uint8_t>(*e.flags >> 16),
                                    static_cast<uint8_t>(*e.flags >> 8),
                                    static_cast<uint8_t>(*e.flags)};
      item.insert("flags", CborValue::bytes(std::move(flags)));
    }
    if (e.exact) {
      item.insert("exact", CborValue::boolean(*e.exact));
    }
    list.push_back(std::move(item));
  }
  CborValue map = CborValue::map();
  map.insert("exclusions", std::move(list));
  if (alg) {
    map.insert("alg", CborValue::text(*alg));
  }
  if (hash) {
    map.insert("hash", CborValue::bytes(*hash));
  }
  if (name) {
    map.insert("name", CborValue::text(*name));
  }
  return map;
}

Result<std::vector<uint8_t>> hash_excluding(std::span<const uint8_t> asset,
                                            std::vector<HashExclusion> exclusions,
                                            HashAlgorithm algorithm) {
  for (const HashExclusion& e : exclusions) {
    if (!exclusion_fits(e, asset.size())) {
      return malformed("exclusion " + std::to_string(e.start) + "+" + std::to_string(e.length) +
                       " reaches past the end of the asset (" + std::to_string(asset.size()) +
                       " bytes)");
    }
  }
  Digester digester(algorithm);
  feed(digester, asset, 0, asset.size(), merge(std::move(exclusions)));
  return digester.finish();
}

BindingCheck verify_data_hash(const DataHash& binding, std::span<const uint8_t> asset,
                              HashAlgorithm claim_algorithm) {
  using Outcome = BindingCheck::Outcome;
  if (binding.url) {
    return {Outcome::kMismatch, "remote data hashes are not supported"};
  }
  auto algorithm = pick_algorithm(binding.alg, claim_algorithm);
  if (!algorithm) {
    return {Outcome::kMalformed, "unsupported hash algorithm " + *binding.alg};
  }
  auto computed = hash_excluding(asset, binding.exclusions, *algorithm);
  if (!computed.has_value()) {
    return {Outcome::kMismatch, computed.error().message()};
  }
  if (*computed != binding.hash) {
    return {Outcome::kMismatch, "asset hash differs from the data hash assertion"};
  }
  return {Outcome::kMatch, "data hash valid"};
}

Result<std::vector<uint8_t>> compute_bmff_hash(const BmffHash& binding,
                                               std::span<const uint8_t> asset,
                                               HashAlgorithm algorithm) {
  std::vector<BmffBox> boxes = CC_TRY(parse_bmff(asset));
  return bmff_hash_of(binding, boxes, asset, algorithm);
}

BindingCheck verify_bmff_hash(const BmffHash& binding, std::span<const uint8_t> asset,
                              HashAlgorithm claim_algorithm) {
  using Outcome = BindingCheck::Outcome;
  // C2PA §18.6.2: exclusions are required; subsets ordered by offset and not overlapping.
  if (binding.exclusions.empty()) {
    return {Outcome::kMalformed, "BMFF hash has no exclusions"};
  }
  for (const BmffExclusion& e : binding.exclusions) {
    for (size_t i = 1; i < e.subset.size(); ++i) {
      const auto& prev = e.subset[i - 1];
      if (prev.offset > e.subset[i].offset || prev.length > e.subset[i].offset - prev.offset) {
        return {Outcome::kMalformed, "BMFF exclusion subsets overlap or are out of order"};
      }
    }
  }
  auto algorithm = pick_algorithm(binding.alg, claim_algorithm);
  if (!algorithm) {
    return {Outcome::kMalformed, "unsupported hash algorithm " + *binding.alg};
  }
  auto boxes = parse_bmff(asset);
  if (!boxes.has_value()) {
    return {Outcome::kMismatch, boxes.error().message()};
  }
  if (binding.hash && bmff_hash_of(binding, *boxes, asset, *algorithm) != *binding.hash) {
    return {Outcome::kMismatch, "BMFF file hash differs from the assertion"};
  }

  if (!binding.merkle.empty()) {
    bool fragmented = std::any_of(boxes->begin(), boxes->end(),
                                  [](const BmffBox& b) { return b.type_name() == "moof"; });
    for (const BmffMerkleMap& m : binding.merkle) {
      if (m.init_hash && !fragmented) {
        return {Outcome::kMismatch,
                "BMFF Merkle initHash present but the file has no fragments (an init segment "
                "cannot be validated alone)"};
      }
    }
    return {Outcome::kUnsupported,
            "BMFF Merkle tree validation (fragments, timed media, block sizes) is not supported"};
  }
  if (!binding.hash) {
    return {Outcome::kMalformed, "BMFF hash has neither a hash nor a Merkle map"};
  }
  return {Outcome::kMatch, "BMFF hash valid"};
}

}  // namespace clearcut::c2pa
