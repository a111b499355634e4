#include "clearcut/scan/registry.h"

#include <charconv>
#include <set>

#include "clearcut/audio/fingerprint_codec.h"
#include "clearcut/clearance/checklist.h"
#include "clearcut/provenance/pdq/pdq_hash.h"

namespace clearcut::scan {

base::Result<Registry> load_registry(store::Store& store, const std::string& production) {
  auto tx = CC_TRY(store.begin());
  Registry registry;
  std::optional<domain::Production> found =
      CC_TRY(tx->accounts().find_production_by_code(production));
  if (!found) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(production.data(), production.data() + production.size(), id);
    if (ec == std::errc{} && end == production.data() + production.size()) {
      auto by_id = tx->accounts().get_production(id);
      if (by_id) {
        found = *by_id;
      }
    }
  }
  if (!found) {
    return base::Error(base::ErrorCode::kNotFound, "no production '" + production + "'");
  }
  registry.production = *found;

  std::vector<match::Entry> entries;
  std::set<int64_t> own_use_cases;
  for (const domain::Production& p : CC_TRY(tx->accounts().list_productions())) {
    int64_t after = 0;
    for (;;) {
      std::vector<domain::Asset> page = CC_TRY(tx->assets().list(p.id, after, 500));
      if (page.empty()) {
        break;
      }
      for (domain::Asset& asset : page) {
        after = std::max(after, asset.id);
        if (!asset.pdq.empty()) {
          auto hash = provenance::PdqHash::from_hex(asset.pdq);
          if (hash) {
            registry.code_asset.push_back(asset.id);
            entries.push_back(match::Entry{static_cast<int64_t>(registry.code_asset.size()),
                                           match::Code{hash->words()}});
            ++registry.assets_with_pdq;
          }
        }
        for (const std::string& code : asset.frame_pdq) {
          auto hash = provenance::PdqHash::from_hex(code);
          if (hash) {
            registry.code_asset.push_back(asset.id);
            entries.push_back(match::Entry{static_cast<int64_t>(registry.code_asset.size()),
                                           match::Code{hash->words()}});
          }
        }
        if (!asset.audio_fingerprint.empty()) {
          auto fp = audio::decode_fingerprint(asset.audio_fingerprint);
          if (!fp || !registry.audio_index.add(std::to_string(asset.id), *fp)) {
            ++registry.audio_fingerprints_left_out;
          }
          asset.audio_fingerprint.clear();  // in the index now
        }
        if (asset.watermark_payload != 0) {
          registry.by_watermark[asset.watermark_payload] = asset.id;
        }
        if (!asset.manifest_id.empty()) {
          registry.by_manifest[asset.manifest_id] = asset.id;
        }
        if (asset.production_id == registry.production.id) {
          own_use_cases.insert(asset.use_case_id);
          ++registry.own_assets;
        }
        int64_t id = asset.id;
        registry.assets.emplace(id, std::move(asset));
      }
      if (page.size() < 500) {
        break;
      }
    }
  }
  for (int64_t use_case_id : own_use_cases) {
    auto use_case = tx->use_cases().get(use_case_id);
    if (use_case) {
      registry.use_cases.emplace(use_case_id, *use_case);
    }
    registry.approvals[use_case_id] = CC_TRY(tx->approvals().list_approvals(use_case_id));
    if (clearance::disclosure_unconfirmed(CC_TRY(tx->use_cases().list_checklist(use_case_id)))) {
      registry.disclosure_unconfirmed.insert(use_case_id);
    }
  }
  registry.index = CC_TRY(match::MatchIndex::build(entries));
  return registry;
}

}  // namespace clearcut::scan
