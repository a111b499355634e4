#include "clearcut/scan/registry.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "clearcut/audio/fingerprint_codec.h"
#include "clearcut/clearance/checklist.h"
#include "clearcut/provenance/pdq/pdq_hash.h"

namespace clearcut::scan {
namespace {

// Outputs read a page at a time.
constexpr int kPage = 2000;

base::Result<domain::Production> find_production(store::Transaction& tx,
                                                 const std::string& production) {
  std::optional<domain::Production> found =
      CC_TRY(tx.accounts().find_production_by_code(production));
  if (!found) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(production.data(), production.data() + production.size(), id);
    if (ec == std::errc{} && end == production.data() + production.size()) {
      auto by_id = tx.accounts().get_production(id);
      if (by_id) {
        found = *by_id;
      }
    }
  }
  if (!found) {
    return base::Error(base::ErrorCode::kNotFound, "no production '" + production + "'");
  }
  return *found;
}

// What a scan matches an output by, into the registry's lookups; `entries` collects PDQ codes
// for an index still to be built, else they go into the built one. The output keeps only what
// verdicts and reports name (the hashes live in the indexes).
base::Status index_output(domain::Asset asset, Registry& registry,
                          std::vector<match::Entry>* entries) {
  // Whether the code parsed: an output's own PDQ counts towards assets_with_pdq only then.
  auto add_code = [&](const std::string& hex) -> base::Result<bool> {
    auto hash = provenance::PdqHash::from_hex(hex);
    if (!hash) {
      return false;
    }
    registry.code_asset.push_back(asset.id);
    const match::Entry entry{static_cast<int64_t>(registry.code_asset.size()),
                             match::Code{hash->words()}};
    if (entries != nullptr) {
      entries->push_back(entry);
    } else {
      CC_TRY(registry.index.add(entry.id, entry.code));
    }
    return true;
  };
  if (!asset.pdq.empty() && CC_TRY(add_code(asset.pdq))) {
    ++registry.assets_with_pdq;
  }
  for (const std::string& code : asset.frame_pdq) {
    CC_TRY(add_code(code));
  }
  if (!asset.audio_fingerprint.empty()) {
    auto fp = audio::decode_fingerprint(asset.audio_fingerprint);
    if (!fp || !registry.audio_index.add(std::to_string(asset.id), *fp)) {
      ++registry.audio_fingerprints_left_out;
    }
  }
  if (asset.watermark_payload != 0) {
    registry.by_watermark[asset.watermark_payload] = asset.id;
  }
  if (!asset.manifest_id.empty()) {
    registry.by_manifest[asset.manifest_id] = asset.id;
  }
  asset.pdq.clear();
  asset.pdq.shrink_to_fit();
  asset.frame_pdq = {};
  asset.audio_fingerprint = {};
  const int64_t id = asset.id;
  registry.assets.insert_or_assign(id, std::move(asset));
  return {};
}

}  // namespace

base::Status RegistryCache::read_new_outputs(store::Transaction& tx) {
  std::vector<match::Entry> entries;
  read_last_ = 0;
  for (;;) {
    std::vector<domain::Asset> page = CC_TRY(tx.assets().list_registered(last_id_, kPage));
    for (domain::Asset& asset : page) {
      last_id_ = std::max(last_id_, asset.id);
      ++read_last_;
      CC_TRY(index_output(std::move(asset), registry_, built_ ? nullptr : &entries));
    }
    if (page.size() < static_cast<size_t>(kPage)) {
      break;
    }
  }
  if (!built_) {
    registry_.index = CC_TRY(match::MatchIndex::build(entries));
    built_ = true;
  }
  return {};
}

base::Status RegistryCache::read_statuses(store::Transaction& tx) {
  int64_t after = 0;
  for (;;) {
    std::vector<store::AssetStatusOf> page = CC_TRY(tx.assets().list_statuses(after, kPage));
    for (const store::AssetStatusOf& of : page) {
      after = of.id;
      auto asset = registry_.assets.find(of.id);
      if (asset != registry_.assets.end()) {
        asset->second.status = of.status;
      }
    }
    if (page.size() < static_cast<size_t>(kPage)) {
      return {};
    }
  }
}

base::Result<Registry*> RegistryCache::refresh(const std::string& production) {
  auto refreshed = [&]() -> base::Status {
    auto tx = CC_TRY(store_.begin());
    registry_.production = CC_TRY(find_production(*tx, production));
    const bool had_outputs = built_;
    CC_TRY(read_new_outputs(*tx));
    if (had_outputs) {
      CC_TRY(read_statuses(*tx));
    }
    // The production's own part, anew.
    registry_.use_cases.clear();
    registry_.approvals.clear();
    registry_.disclosure_unconfirmed.clear();
    registry_.own_assets = 0;
    std::set<int64_t> own_use_cases;
    for (const auto& [id, asset] : registry_.assets) {
      if (asset.production_id == registry_.production.id) {
        own_use_cases.insert(asset.use_case_id);
        ++registry_.own_assets;
      }
    }
    for (int64_t use_case_id : own_use_cases) {
      auto use_case = tx->use_cases().get(use_case_id);
      if (use_case) {
        registry_.use_cases.emplace(use_case_id, *use_case);
      }
      registry_.approvals[use_case_id] = CC_TRY(tx->approvals().list_approvals(use_case_id));
      if (clearance::disclosure_unconfirmed(CC_TRY(tx->use_cases().list_checklist(use_case_id)))) {
        registry_.disclosure_unconfirmed.insert(use_case_id);
      }
    }
    return {};
  }();
  if (!refreshed) {
    take();  // half-read: start again next time
    return std::move(refreshed).error();
  }
  return &registry_;
}

Registry RegistryCache::take() {
  Registry out = std::move(registry_);
  registry_ = Registry();
  built_ = false;
  last_id_ = 0;
  return out;
}

base::Result<Registry> load_registry(store::Store& store, const std::string& production) {
  RegistryCache cache(store);
  CC_TRY(cache.refresh(production));
  return cache.take();
}

}  // namespace clearcut::scan
