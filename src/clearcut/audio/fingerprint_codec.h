#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "clearcut/audio/fingerprint.h"
#include "clearcut/base/result.h"

namespace clearcut::audio {

// A registered output's fingerprint as it is stored (the assets row's audio_fingerprint) and
// sent to the server (the API's `audio_fingerprint`): base64 text of
//
//   "ccaf" 0x01                      magic and version
//   varint sample_rate, hop, frames  the analysis the peaks come from
//   varint n                         peaks, then n times:
//     varint frame - previous frame  (the first against 0; peaks in frame order)
//     u8 bin, u8 prominence x 4      (0..63.75 dB)
//
// about 3 bytes a peak, 120 bytes a second of audio. Only the peaks are kept: the landmarks are
// a function of them (pair_peaks, with the default FingerprintOptions), so a stored fingerprint
// is a twentieth of the landmarks' size and follows a change of the pairing.
inline constexpr std::size_t kMaxStoredPeaks = 500'000;  // 4.6 hours at 30 peaks a second
inline constexpr int32_t kMaxStoredFrames = 2'000'000;   // 8.9 hours at the 16 ms hop

// Encodes `fp`'s peaks (at most kMaxStoredPeaks, else kInvalidArgument). Deterministic.
base::Result<std::string> encode_fingerprint(const Fingerprint& fp);

// Decodes text made by encode_fingerprint and pairs its peaks into landmarks. The text is
// untrusted (it comes from the API and the database): anything but canonical base64 of the
// layout above (wrong magic or version, a rate, hop, frame or bin out of range, peaks out of
// frame order or past `frames`, more than kMaxStoredPeaks, truncation, bytes after the last
// peak) is kInvalidArgument saying what was expected, with field "audio_fingerprint".
base::Result<Fingerprint> decode_fingerprint(std::string_view text);

}  // namespace clearcut::audio
