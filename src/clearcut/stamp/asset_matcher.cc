#include "clearcut/stamp/asset_matcher.h"

namespace clearcut::stamp {

std::string_view matched_by_name(MatchedBy by) {
  switch (by) {
    case MatchedBy::kSha256:
      return "sha256";
    case MatchedBy::kWatermark:
      return "watermark";
    case MatchedBy::kPdq:
      return "pdq";
  }
  return "pdq";
}

AssetMatcher::AssetMatcher(const OutputInspection& seen) : seen_(seen) {
  if (!seen.pdq.empty() && seen.pdq_quality >= match::kPdqMinQuality) {
    auto parsed = provenance::PdqHash::from_hex(seen.pdq);
    if (parsed.has_value()) {
      pdq_ = *parsed;
    }
  }
}

bool AssetMatcher::offer(const AssetFingerprint& candidate) {
  if (candidate.sha256 == seen_.sha256) {
    best_ = AssetMatch{MatchedBy::kSha256, 0};
    return true;
  }
  if (best_ && best_->by != MatchedBy::kPdq) {
    return false;
  }
  if (seen_.mark && seen_.mark->found && candidate.watermark_payload != 0 &&
      candidate.watermark_payload == seen_.mark->payload) {
    best_ = AssetMatch{MatchedBy::kWatermark, 0};
    return true;
  }
  if (!pdq_ || candidate.pdq.empty() || candidate.pdq_quality < match::kPdqMinQuality) {
    return false;
  }
  auto theirs = provenance::PdqHash::from_hex(candidate.pdq);
  if (!theirs.has_value()) {
    return false;
  }
  const int distance = match::hamming_distance(pdq_->words(), theirs->words());
  if (distance <= match::kPdqRadius && (!best_ || distance < best_->pdq_distance)) {
    best_ = AssetMatch{MatchedBy::kPdq, distance};
    return true;
  }
  return false;
}

}  // namespace clearcut::stamp
