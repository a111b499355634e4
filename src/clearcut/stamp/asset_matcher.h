#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "clearcut/match/code.h"
#include "clearcut/provenance/pdq/pdq_hash.h"
#include "clearcut/stamp/stamper.h"

namespace clearcut::stamp {

// What a registered asset is recognised by: domain::Asset's fields of the same names.
struct AssetFingerprint {
  std::string sha256;              // hex
  uint64_t watermark_payload = 0;  // 0: none
  std::string pdq;                 // hex; empty: none
  int pdq_quality = 0;
};

enum class MatchedBy { kSha256, kWatermark, kPdq };

// "sha256", "watermark", "pdq".
std::string_view matched_by_name(MatchedBy by);

struct AssetMatch {
  MatchedBy by = MatchedBy::kSha256;
  int pdq_distance = 0;  // kPdq only
};

// Picks the registered asset a file belongs to among candidates offered one at a time: the one
// with the file's SHA-256 (the stamped copy itself), else the first whose watermark payload the
// file carries (a re-encoded copy), else the first nearest PDQ hash within match::kPdqRadius (a
// copy read without the watermark key, or one whose mark did not survive). Keeps a reference to
// `seen`. Not thread-safe.
class AssetMatcher {
 public:
  explicit AssetMatcher(const OutputInspection& seen);

  // True when `candidate` is now the best match; the caller keeps what it needs of it.
  bool offer(const AssetFingerprint& candidate);
  // True once the SHA-256 matched: nothing can beat it, the caller may stop looking.
  bool settled() const { return best_ && best_->by == MatchedBy::kSha256; }
  // How the best candidate so far matched; nullopt while none has.
  const std::optional<AssetMatch>& best() const { return best_; }

 private:
  const OutputInspection& seen_;
  std::optional<provenance::PdqHash> pdq_;  // unset when the file's hash is missing or weak
  std::optional<AssetMatch> best_;
};

}  // namespace clearcut::stamp
