#include "clearcut/audio/landmark_index.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace clearcut::audio {
namespace {

using base::Error;
using base::ErrorCode;

// Offsets within this many frames of an accepted match's are the same placement (the +-1 frame
// its votes were merged over, and their neighbours).
constexpr int32_t kSamePlacementFrames = 4;
// Two reappearing peaks this close (0.25 s at the default hop) carry a span across a long gap.
// (A music peak lands on a given output peak's frame +-1 and bin +-1 by chance about once in
// 100 at the query density: a lone one is evidence only close to the span.)
constexpr int32_t kClusterFrames = 16;

uint64_t vote_key(uint32_t output, int32_t offset) {
  return (static_cast<uint64_t>(output) << 32) | static_cast<uint32_t>(offset);
}

struct Candidate {
  uint32_t output = 0;
  int32_t offset = 0;
  int votes = 0;  // at offset-1, offset and offset+1
  double fine_offset = 0.0;
  int32_t first_frame = INT32_MAX;  // of the agreeing landmarks, in the output's frames
  int32_t last_frame = INT32_MIN;
};

}  // namespace

base::Status LandmarkIndex::add(const std::string& output_id, const Fingerprint& fp) {
  if (output_id.empty()) {
    return base::invalid_argument("output_id: expected a non-empty id").with_field("output_id");
  }
  if (ids_.contains(output_id)) {
    return Error(ErrorCode::kAlreadyExists, "output " + output_id + " is already registered")
        .with_field("output_id");
  }
  if (fp.landmarks.empty() || fp.peaks.empty()) {
    return base::invalid_argument("output " + output_id +
                                  ": no landmarks (silence, or audio too short to fingerprint)")
        .with_field("fingerprint");
  }
  if (sample_rate_ != 0 && (fp.sample_rate != sample_rate_ || fp.hop != hop_)) {
    return base::invalid_argument("output " + output_id + ": fingerprint at " +
                                  std::to_string(fp.sample_rate) + " Hz, hop " +
                                  std::to_string(fp.hop) + "; the index holds " +
                                  std::to_string(sample_rate_) + " Hz, hop " + std::to_string(hop_))
        .with_field("fingerprint");
  }
  sample_rate_ = fp.sample_rate;
  hop_ = fp.hop;
  const auto index = static_cast<uint32_t>(outputs_.size());
  Output out;
  out.id = output_id;
  out.frames = fp.frames;
  out.first_peak = fp.peaks.front().frame;
  out.last_peak = fp.peaks.back().frame;
  out.landmarks = static_cast<int>(fp.landmarks.size());
  out.peaks = fp.peaks;
  outputs_.push_back(std::move(out));
  ids_.emplace(output_id, index);
  for (const Landmark& l : fp.landmarks) {
    postings_[l.hash].push_back(Posting{index, l.frame});
  }
  landmark_count_ += fp.landmarks.size();
  return {};
}

base::Result<std::vector<AudioMatch>> LandmarkIndex::match(const Fingerprint& deliverable,
                                                           double start_seconds,
                                                           const MatchOptions& options) const {
  std::vector<AudioMatch> matches;
  if (outputs_.empty() || deliverable.landmarks.empty()) {
    return matches;
  }
  if (deliverable.sample_rate != sample_rate_ || deliverable.hop != hop_) {
    return base::invalid_argument("deliverable fingerprint at " +
                                  std::to_string(deliverable.sample_rate) + " Hz, hop " +
                                  std::to_string(deliverable.hop) + "; the index holds " +
                                  std::to_string(sample_rate_) + " Hz, hop " + std::to_string(hop_))
        .with_field("fingerprint");
  }
  // Pass 1: every hit votes for (output, deliverable frame - output frame).
  std::unordered_map<uint64_t, int> votes;
  for (const Landmark& l : deliverable.landmarks) {
    const auto it = postings_.find(l.hash);
    if (it == postings_.end()) {
      continue;
    }
    for (const Posting& p : it->second) {
      ++votes[vote_key(p.output, l.frame - p.frame)];
    }
  }
  auto count = [&votes](uint32_t output, int32_t offset) {
    const auto it = votes.find(vote_key(output, offset));
    return it == votes.end() ? 0 : it->second;
  };
  std::vector<Candidate> candidates;
  for (const auto& [key, n] : votes) {
    const auto output = static_cast<uint32_t>(key >> 32);
    const auto offset = static_cast<int32_t>(static_cast<uint32_t>(key));
    const int before = count(output, offset - 1);
    const int after = count(output, offset + 1);
    if (n < before || n < after) {
      continue;  // the neighbour with more votes stands for this placement
    }
    const int merged = n + before + after;
    const Output& out = outputs_[output];
    if (merged < options.min_score ||
        merged < options.min_coverage * static_cast<double>(out.landmarks)) {
      continue;
    }
    Candidate c;
    c.output = output;
    c.offset = offset;
    c.votes = merged;
    // The vote-weighted mean of the three offsets: placement finer than a frame.
    c.fine_offset = offset + static_cast<double>(after - before) / merged;
    candidates.push_back(c);
  }
  // Strongest first; a weaker candidate near an accepted one is the same placement.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.votes != b.votes) {
      return a.votes > b.votes;
    }
    return a.output != b.output ? a.output < b.output : a.offset < b.offset;
  });
  std::vector<Candidate> accepted;
  std::unordered_map<uint32_t, std::vector<size_t>> by_output;
  for (const Candidate& c : candidates) {
    std::vector<size_t>& mine = by_output[c.output];
    const bool near = std::any_of(mine.begin(), mine.end(), [&](size_t i) {
      return std::abs(accepted[i].offset - c.offset) <= kSamePlacementFrames;
    });
    if (!near) {
      mine.push_back(accepted.size());
      accepted.push_back(c);
    }
  }
  if (accepted.empty()) {
    return matches;
  }
  // Pass 2: where in the output the agreeing landmarks lie.
  for (const Landmark& l : deliverable.landmarks) {
    const auto it = postings_.find(l.hash);
    if (it == postings_.end()) {
      continue;
    }
    for (const Posting& p : it->second) {
      const auto mine = by_output.find(p.output);
      if (mine == by_output.end()) {
        continue;
      }
      const int32_t offset = l.frame - p.frame;
      for (size_t i : mine->second) {
        Candidate& c = accepted[i];
        if (std::abs(offset - c.offset) <= 1) {
          // The inner ends of the pairs: a pair whose anchor is a music peak that happens to
          // sit on an output peak (before a cut) must not stretch the span; the span grows
          // from here over the output's peaks below.
          c.first_frame = std::min(c.first_frame, p.frame + landmark_dt(it->first));
          c.last_frame = std::max(c.last_frame, p.frame);
        }
      }
    }
  }
  const double fs = static_cast<double>(hop_) / sample_rate_;
  const double deliverable_end = start_seconds + deliverable.frames * fs;
  // The deliverable's peaks by frame: first_peak_at[f] .. first_peak_at[f + 1].
  std::vector<uint32_t> first_peak_at(static_cast<size_t>(deliverable.frames) + 2, 0);
  for (const Peak& p : deliverable.peaks) {
    if (p.frame >= 0 && p.frame < deliverable.frames) {
      ++first_peak_at[static_cast<size_t>(p.frame) + 1];
    }
  }
  for (size_t f = 1; f < first_peak_at.size(); ++f) {
    first_peak_at[f] += first_peak_at[f - 1];
  }
  auto reappears = [&](const Peak& p, int32_t offset) {
    for (int32_t f = p.frame + offset - 1; f <= p.frame + offset + 1; ++f) {
      if (f < 0 || f >= deliverable.frames) {
        continue;
      }
      for (uint32_t i = first_peak_at[static_cast<size_t>(f)];
           i < first_peak_at[static_cast<size_t>(f) + 1]; ++i) {
        if (std::abs(deliverable.peaks[i].bin - p.bin) <= 1) {
          return true;
        }
      }
    }
    return false;
  };
  const auto bridge = static_cast<int32_t>(std::lround(options.bridge_seconds / fs));
  const auto snap = static_cast<int32_t>(std::lround(options.snap_seconds / fs));
  const auto long_bridge = static_cast<int32_t>(std::lround(options.long_bridge_seconds / fs));
  for (const Candidate& c : accepted) {
    const Output& out = outputs_[c.output];
    if (c.first_frame == INT32_MAX || c.last_frame == INT32_MIN) {
      continue;  // pass 2 sees every vote of pass 1; kept for safety
    }
    // Pairs that all overlap (a short burst of evidence) can leave the inner ends crossed.
    const int32_t core_first = std::min(c.first_frame, c.last_frame);
    const int32_t core_last = std::max(c.first_frame, c.last_frame);
    // Grow the span of the agreeing landmarks over the output's peaks that reappear: across a
    // gap of up to `bridge` frames to one such peak, up to `long_bridge` to two within
    // kClusterFrames (a word masked by the music, then the next); then snap to the output's ends.
    std::vector<int32_t> back, ahead;  // reappearing peaks' frames before and after, outwards
    for (auto it = out.peaks.rbegin(); it != out.peaks.rend(); ++it) {
      if (it->frame < core_first && (back.empty() || back.back() != it->frame) &&
          reappears(*it, c.offset)) {
        back.push_back(it->frame);
      }
    }
    for (const Peak& p : out.peaks) {
      if (p.frame > core_last && (ahead.empty() || ahead.back() != p.frame) &&
          reappears(p, c.offset)) {
        ahead.push_back(p.frame);
      }
    }
    auto grow = [&](const std::vector<int32_t>& frames, int32_t edge) {
      for (size_t i = 0; i < frames.size(); ++i) {
        const int32_t gap = std::abs(frames[i] - edge);
        if (gap <= bridge) {
          edge = frames[i];
        } else if (gap <= long_bridge && i + 1 < frames.size() &&
                   std::abs(frames[i + 1] - frames[i]) <= kClusterFrames) {
          edge = frames[++i];
        } else {
          break;
        }
      }
      return edge;
    };
    const int32_t first = grow(back, core_first);
    const int32_t last = grow(ahead, core_last);
    double from = first * fs;
    double to = (last + 1) * fs;
    if (first - out.first_peak <= snap) {
      from = 0.0;
    }
    if (out.last_peak - last <= snap) {
      to = out.frames * fs;
    }
    // Verification: the share of the output's peaks inside the span that reappear. A line
    // under music at 0 dB keeps about half of them; chance votes leave a span where few do.
    int inside = 0;
    int again = 0;
    for (const Peak& p : out.peaks) {
      if (p.frame >= first && p.frame <= last) {
        ++inside;
        again += reappears(p, c.offset) ? 1 : 0;
      }
    }
    const double peak_match = inside == 0 ? 0.0 : static_cast<double>(again) / inside;
    if (peak_match < options.min_peak_match) {
      continue;
    }
    const double origin = start_seconds + c.fine_offset * fs;  // the output's first sample
    AudioMatch m;
    m.peak_match = peak_match;
    m.output_id = out.id;
    m.start_seconds = std::max(start_seconds, origin + from);
    m.end_seconds = std::min(deliverable_end, origin + to);
    m.output_offset_seconds = m.start_seconds - origin;
    m.score = c.votes;
    m.coverage = static_cast<double>(c.votes) / out.landmarks;
    matches.push_back(std::move(m));
  }
  std::sort(matches.begin(), matches.end(), [](const AudioMatch& a, const AudioMatch& b) {
    return a.start_seconds != b.start_seconds ? a.start_seconds < b.start_seconds
                                              : a.output_id < b.output_id;
  });
  return matches;
}

}  // namespace clearcut::audio
