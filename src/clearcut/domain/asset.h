#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clearcut::domain {

// provisional until an approval that covers final use clears it (POLICY.md §5).
enum class AssetStatus : uint8_t { kProvisional, kCleared, kRejected };
std::string_view asset_status_name(AssetStatus status);
std::optional<AssetStatus> parse_asset_status(std::string_view name);

// A registered AI output: what `clearcut stamp` produced and what `clearcut scan` looks for.
struct Asset {
  int64_t id = 0;
  int64_t production_id = 0;
  int64_t use_case_id = 0;
  std::string file_name;
  std::string media_type;  // image/jpeg, image/png, video/mp4, audio/wav, audio/mpeg, ...
  std::string sha256;      // hex, of the stamped copy
  std::string pdq;         // hex, 64 digits; empty when the image was too flat to hash
  int pdq_quality = 0;
  int width = 0;
  int height = 0;
  int64_t duration_ms = 0;
  std::string manifest_id;  // C2PA manifest label
  uint64_t watermark_payload = 0;
  // A small preview for reviewers and scan reports: a JPEG of at most 160x160 px, base64
  // (RFC 4648); empty when none was made.
  std::string thumbnail;
  // Videos: the PDQ hashes (hex) of frames sampled through the clip, so that a scan finds any
  // part of it cut into a deliverable; at most kMaxFramePdq.
  std::vector<std::string> frame_pdq;
  // Outputs with sound (audio files, a video's audio track): the landmark fingerprint a scan
  // finds the sound by in a deliverable's mix, as audio/fingerprint_codec.h encodes it (base64
  // text, about 160 characters a second of audio); empty when there is none.
  std::string audio_fingerprint;
  AssetStatus status = AssetStatus::kProvisional;
  int64_t created_by = 0;
  std::string created_at;
};

inline constexpr size_t kMaxFramePdq = 3600;

}  // namespace clearcut::domain
