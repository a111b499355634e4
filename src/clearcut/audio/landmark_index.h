#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "clearcut/audio/fingerprint.h"
#include "clearcut/base/result.h"

namespace clearcut::audio {

// Where a registered output's audio was found in a deliverable's.
struct AudioMatch {
  std::string output_id;
  double start_seconds = 0.0;  // in the deliverable: where the matched part of the output starts
  double end_seconds = 0.0;    // and ends
  double output_offset_seconds = 0.0;  // where in the output the matched part starts
  int score = 0;                       // landmarks that agree on the offset
  double coverage = 0.0;               // score / the output's landmarks (1.0: all of them found)
  // The share of the output's peaks within the matched part that reappear in the deliverable
  // at the match's offset (+-1 frame, +-1 bin).
  double peak_match = 0.0;
};

struct MatchOptions {
  // A match needs at least this many landmarks agreeing on one time offset (+-1 frame) and at
  // least min_coverage of the output's landmarks (README.md: how these were tuned).
  int min_score = 12;
  double min_coverage = 0.02;
  // ... and at least this share of the output's peaks within the matched part reappearing
  // (AudioMatch::peak_match): the votes checked on denser evidence than the landmarks.
  double min_peak_match = 0.2;
  // The matched part is where the output's peaks reappear at the match's offset (+-1 frame,
  // +-1 bin), grown from the agreeing landmarks over gaps of at most bridge_seconds to one such
  // peak, or long_bridge_seconds to two close together (a word the music masked); its ends snap
  // to the output's first and last sample when they come within snap_seconds of the output's
  // first and last peak (a line used whole).
  double bridge_seconds = 0.15;
  double long_bridge_seconds = 1.2;
  double snap_seconds = 0.35;
};

// Landmark fingerprints of registered outputs (AI lines, music), searched with a deliverable's
// fingerprint: each query landmark's hash is looked up, every hit votes for (output, time
// offset), and an offset where enough votes agree is a match. The same output can match at
// several offsets (a line used twice). Not thread-safe for add(); const members may run
// concurrently.
class LandmarkIndex {
 public:
  // Registers `fp` (made with the default FingerprintOptions) under `output_id`. Errors:
  // kAlreadyExists for an id already added, kInvalidArgument for an empty id or a fingerprint
  // without landmarks (silence, or audio shorter than a second) or one whose hop or rate
  // differs from the outputs already added.
  base::Status add(const std::string& output_id, const Fingerprint& fp);

  // Matches a deliverable's fingerprint (query_options()); `start_seconds` is the time of its
  // first sample (media::DecodedAudio::start_seconds). Matches sorted by start time. Errors:
  // kInvalidArgument for a fingerprint whose hop or rate differs from the outputs'.
  base::Result<std::vector<AudioMatch>> match(const Fingerprint& deliverable,
                                              double start_seconds = 0.0,
                                              const MatchOptions& options = {}) const;

  size_t outputs() const { return outputs_.size(); }
  size_t landmarks() const { return landmark_count_; }

 private:
  struct Output {
    std::string id;
    int32_t frames = 0;
    int32_t first_peak = 0;
    int32_t last_peak = 0;
    int landmarks = 0;
    std::vector<Peak> peaks;  // in frame order
  };
  struct Posting {
    uint32_t output = 0;
    int32_t frame = 0;
  };

  std::vector<Output> outputs_;
  std::unordered_map<std::string, uint32_t> ids_;
  std::unordered_map<uint32_t, std::vector<Posting>> postings_;
  size_t landmark_count_ = 0;
  int sample_rate_ = 0;
  int hop_ = 0;
};

}  // namespace clearcut::audio
