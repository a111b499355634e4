#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clearcut/audio/landmark_index.h"
#include "clearcut/base/result.h"
#include "clearcut/domain/account.h"
#include "clearcut/domain/asset.h"
#include "clearcut/domain/use_case.h"
#include "clearcut/match/match_index.h"
#include "clearcut/store/store.h"

namespace clearcut::scan {

// What a scan compares a delivery with: every registered asset of every production, the
// approvals of the production's own use cases, and lookups from each signal to an asset.
// Another production's assets are matched so that the scan can tell that production (scanner.h,
// ForeignMatch); the scanning production's report never names them.
struct Registry {
  domain::Production production;
  std::unordered_map<int64_t, domain::Asset> assets;                     // by id
  std::unordered_map<int64_t, domain::UseCase> use_cases;                // by id, the production's
  std::unordered_map<int64_t, std::vector<domain::Approval>> approvals;  // by use case id
  // The own use cases whose audience disclosure is planned but not confirmed as made.
  std::unordered_set<int64_t> disclosure_unconfirmed;
  std::unordered_map<uint64_t, int64_t> by_watermark;    // payload -> asset id
  std::unordered_map<std::string, int64_t> by_manifest;  // C2PA manifest label -> asset id
  // Every registered PDQ hash: an asset's own, and a video's frame hashes. The index's ids are
  // positions + 1 in code_asset, which names the asset each code belongs to (an asset may have
  // many codes; the index wants unique ids). Empty code_asset: the ids are asset ids.
  match::MatchIndex index;
  std::vector<int64_t> code_asset;
  int assets_with_pdq = 0;
  // Every registered output with sound (Asset::audio_fingerprint), by asset id as text: what a
  // deliverable's audio tracks are searched for. A stored fingerprint that does not decode (the
  // database is outside input) or is too short to match is left out and counted.
  audio::LandmarkIndex audio_index;
  int audio_fingerprints_left_out = 0;
  int own_assets = 0;  // of `production`: what its report says it was compared with

  int64_t asset_of(int64_t index_id) const {
    return code_asset.empty() ? index_id : code_asset[static_cast<size_t>(index_id - 1)];
  }
};

// Loads the registry for the production named by its code or its numeric id. kNotFound when
// there is no such production; store errors as they come. Assets come without their thumbnails
// (load_thumbnails reads those of the assets a scan found).
base::Result<Registry> load_registry(store::Store& store, const std::string& production);

// A registry kept between scans (a scan worker's, which runs one job at a time): the match
// material of every registered output (its PDQ codes, sound fingerprint, watermark payload and
// manifest label, in the indexes) is read once, and after that only for outputs registered
// since, since an output changes only in status; each refresh reads the statuses again (one
// light query), and the production, its use cases, approvals and checklists anew. What a
// scan costs to set up then grows with what was stamped since the last one, not with the
// registry (bench/README.md, "Registry refresh"). Not thread-safe.
class RegistryCache {
 public:
  explicit RegistryCache(store::Store& store) : store_(store) {}

  // The registry for the production named by its code or numeric id, as the store has it now.
  // Errors as load_registry's; after one, the next refresh reads everything again. The
  // registry stays valid until the next call.
  base::Result<Registry*> refresh(const std::string& production);

  // Outputs the last refresh read in full (all of them the first time, the new ones after).
  size_t read_last() const { return read_last_; }

  // The registry itself, for load_registry; the cache reads everything again after it.
  Registry take();

 private:
  base::Status read_new_outputs(store::Transaction& tx);
  base::Status read_statuses(store::Transaction& tx);

  store::Store& store_;
  Registry registry_;
  bool built_ = false;
  int64_t last_id_ = 0;
  size_t read_last_ = 0;
};

}  // namespace clearcut::scan
