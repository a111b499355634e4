#include "clearcut/scan/scanner.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <span>
#include <string_view>

#include "clearcut/audio/fingerprint.h"
#include "clearcut/audio/watermark.h"
#include "clearcut/base/base64.h"
#include "clearcut/media/ffmpeg/audio_reader.h"
#include "clearcut/media/ffmpeg/black_bar_detector.h"
#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/media/orientation.h"
#include "clearcut/media/thumbnail.h"
#include "clearcut/media/waveform.h"
#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/id3.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/watermark/video_watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/xmp/photo_metadata.h"
#include "clearcut/provenance/xmp/xmp_label.h"
#include "clearcut/provenance/xmp/xmp_packet.h"
#include "clearcut/scan/cut_detector.h"
#include "clearcut/scan/file_deadline.h"
#include "clearcut/scan/timecode.h"
#include "clearcut/scan/verdicts.h"

namespace clearcut::scan {

namespace fs = std::filesystem;

namespace {

std::string hex64(uint64_t v) {
  char text[24];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

std::string rational_text(media::Rational r) {
  return std::to_string(r.num) + "/" + std::to_string(r.den);
}

// Consecutive sampled frames that hit the same key (an asset, or an unknown watermark payload)
// merge into one segment; a gap of more than `max_gap` frames starts a new one.
struct Segment {
  std::string key;
  std::optional<int64_t> asset_id;
  int64_t first = 0;
  int64_t last = 0;
  // The last frame known to carry it: a window that read a mark averaged frames up to a second
  // past its first, some of which may lie past a cut; only its first frame is sure.
  int64_t sure_last = 0;
  int best_distance = -1;
  int64_t pdq_frames = 0;  // frames PDQ matched (a frame may match several of the asset's codes)
  int64_t last_pdq_frame = -1;
  int64_t watermark_frames = 0;
  std::optional<uint64_t> payload;
};

class SegmentBuilder {
 public:
  explicit SegmentBuilder(int64_t max_gap) : max_gap_(max_gap) {}
  void widen_gap(int64_t max_gap) { max_gap_ = std::max(max_gap_, max_gap); }

  // A hit on frames first..last: one sampled frame, or a window of `frames` frames that carried
  // a watermark payload together.
  void hit(const std::string& key, std::optional<int64_t> asset_id, int64_t first, int64_t last,
           int distance, std::optional<uint64_t> payload, int64_t frames = 1) {
    auto it = open_.find(key);
    if (it != open_.end() && first - it->second.last > max_gap_) {
      closed_.push_back(it->second);
      open_.erase(it);
      it = open_.end();
    }
    if (it == open_.end()) {
      Segment s;
      s.key = key;
      s.asset_id = asset_id;
      s.first = first;
      s.last = last;
      s.sure_last = first;
      it = open_.emplace(key, s).first;
    }
    Segment& s = it->second;
    s.first = std::min(s.first, first);
    s.last = std::max(s.last, last);
    s.sure_last = std::max(s.sure_last, frames > 1 ? first : last);
    if (distance >= 0) {
      if (s.last_pdq_frame != first) {
        ++s.pdq_frames;
        s.last_pdq_frame = first;
      }
      if (s.best_distance < 0 || distance < s.best_distance) {
        s.best_distance = distance;
      }
    }
    if (payload) {
      s.watermark_frames += frames;
      s.payload = payload;
    }
  }

  std::vector<Segment> finish() {
    for (auto& [key, s] : open_) {
      closed_.push_back(s);
    }
    open_.clear();
    std::sort(closed_.begin(), closed_.end(), [](const Segment& a, const Segment& b) {
      return a.first != b.first ? a.first < b.first : a.key < b.key;
    });
    return std::move(closed_);
  }

 private:
  int64_t max_gap_;
  std::map<std::string, Segment> open_;
  std::vector<Segment> closed_;
};

// A file-level label (C2PA, XMP) on its way into the findings.
struct FileSignal {
  std::optional<int64_t> asset_id;
  Signal signal;
};

// An audio finding's frames and timecodes: those of the picture frames its seconds play over,
// at `rate` (25 when unknown), counted from `origin` (the file's start timecode as a frame).
void place_on_frames(Finding& f, media::Rational rate, bool drop_frame, int64_t origin) {
  const double fps = rate.known() ? rate.to_double() : 25.0;
  f.first_frame = static_cast<int64_t>(std::floor(f.start_seconds * fps + 1e-6));
  f.last_frame =
      std::max(f.first_frame, static_cast<int64_t>(std::ceil(f.end_seconds * fps - 1e-6)) - 1);
  f.start_timecode = format_timecode(origin + f.first_frame, rate, drop_frame);
  f.end_timecode = format_timecode(origin + f.last_frame, rate, drop_frame);
}

// Where a file's timecode starts, as a frame number at its rate, and whether it counts
// drop-frame.
struct TimecodeOrigin {
  int64_t frame = 0;
  bool drop_frame = false;
};

// The start timecode a container states (`label`, as FFmpeg gives a MOV, MP4 or MXF timecode
// track or tag) at `rate`: drop-frame when its separator says so (29.97 and 59.94 only). Sets
// report.start_timecode and timecode_from; a label that is no timecode at `rate` is a note in
// unchecked, and timecodes count from 00:00:00:00.
std::optional<TimecodeOrigin> stated_origin(const std::string& label, media::Rational rate,
                                            FileReport& report) {
  if (label.empty()) {
    return std::nullopt;
  }
  std::optional<int64_t> frame = parse_timecode(label, rate);
  if (!frame) {
    report.unchecked.push_back("timecode: the file's start timecode \"" + label +
                               "\" is not one at " +
                               (rate.known() ? rational_text(rate) : std::string("25")) +
                               " fps, so timecodes count from 00:00:00:00");
    return std::nullopt;
  }
  const int fps = nominal_timecode_rate(rate);
  const bool drop = (fps == 30 || fps == 60) && label[8] != ':';
  report.start_timecode = format_timecode(*frame, rate, drop);
  report.timecode_from = "container";
  return TimecodeOrigin{*frame, drop};
}

// An audio file's origin at `rate`: the timecode its container states, else a Broadcast WAV's
// time reference (shown as the timecode of the frame it falls in), else none.
std::optional<TimecodeOrigin> audio_origin(FileReport& report, media::Rational rate,
                                           bool drop_frame) {
  report.start_timecode.clear();
  report.timecode_from.clear();
  if (!report.stated_timecode.empty()) {
    return stated_origin(report.stated_timecode, rate, report);
  }
  if (report.bext_seconds) {
    const double fps = rate.known() ? rate.to_double() : 25.0;
    const auto frame = static_cast<int64_t>(std::floor(*report.bext_seconds * fps + 1e-6));
    report.start_timecode = format_timecode(frame, rate, drop_frame);
    report.timecode_from = "bext";
    return TimecodeOrigin{frame, drop_frame};
  }
  return std::nullopt;
}

class FileScanner {
 public:
  FileScanner(FileReport& report, const Registry& registry, const ScanOptions& options)
      : report_(report),
        registry_(registry),
        options_(options),
        segments_(std::max<int64_t>(2 * std::max(options.stride, 1), 2)) {}

  void set_timing(media::Rational rate, bool drop_frame) {
    rate_ = rate;
    drop_frame_ = drop_frame;
    // The watermark is read once per interval: hits that far apart are one appearance.
    if (options_.watermark_key && rate.known()) {
      segments_.widen_gap(
          static_cast<int64_t>(std::ceil(options_.watermark_interval_seconds * rate.to_double())) +
          std::max(options_.stride, 1));
    }
    // A window's frames spread over the interval (24 fps, 8 frames: every third): frames further
    // apart differ more in content and codec noise, so averaging gains more (bench/README.md,
    // "Watermark windows in the scan"), and the window ends before the next interval's check.
    if (options_.watermark_window_frames >= 2) {
      const double fps = rate.known() ? rate.to_double() : 25.0;
      window_spacing_ =
          std::max<int64_t>(static_cast<int64_t>(options_.watermark_interval_seconds * fps /
                                                 options_.watermark_window_frames),
                            1);
    }
    report_.frame_rate = rational_text(rate);
    report_.drop_frame = drop_frame;
  }

  // The frame number of the file's first frame in its own timecode (start_timecode_of); the
  // report's timecodes count from it.
  void set_timecode_origin(int64_t frame) { origin_frame_ = frame; }

  // One sampled frame: black bars trimmed, hashed and matched, and (when asked) checked for a
  // watermark. Video frames are hashed from a box-averaged copy (hash_box_reduced: a few bits
  // from the exact hash registered assets carry, at a fraction of the cost, so that a scan keeps
  // up with decoding); stills exactly.
  void frame(const media::LumaView& luma, const media::Rect& picture, int64_t index,
             double time_seconds, bool check_watermark, bool video) {
    ++report_.frames_decoded;
    last_frame_ = std::max(last_frame_, index);
    note_time(index, time_seconds);
    media::LumaView view = luma.crop(picture);
    const provenance::PixelView pixels{view.data, view.width, view.height, 1, view.stride};
    provenance::PdqResult result =
        video ? hasher_.hash_box_reduced(pixels,
                                         provenance::box_reduction_factor(view.width, view.height))
              : hasher_.hash(pixels);
    if (result.quality < options_.min_quality) {
      ++report_.frames_flat;
      if (!flat_.empty() && index - flat_.back().last_frame <= std::max(options_.stride, 1)) {
        flat_.back().last_frame = index;
      } else {
        flat_.push_back(FrameRange{index, index, "", ""});
      }
    } else {
      ++report_.frames_hashed;
      search(result.hash, index);
    }
    // A picture shown between bars is hashed again without its bottom fifth, where burned-in
    // subtitles lie over it (match::kAboveSubtitlesPercent; the stamper registers the same part
    // of each framing). A full frame is not: subtitles cover too little of it to matter.
    if (picture.width < luma.width || picture.height < luma.height) {
      const media::LumaView above = view.crop(
          media::Rect{0, 0, view.width, view.height * match::kAboveSubtitlesPercent / 100});
      const provenance::PixelView top{above.data, above.width, above.height, 1, above.stride};
      provenance::PdqResult above_result =
          video ? hasher_.hash_box_reduced(
                      top, provenance::box_reduction_factor(above.width, above.height))
                : hasher_.hash(top);
      if (above_result.quality >= options_.min_quality) {
        search(above_result.hash, index);
      }
    }
    if (options_.watermark_key) {
      check_watermark_on(luma, index, check_watermark, video);
    }
  }

  // Every asset whose code lies within the radius of `hash` is hit at frame `index`.
  void search(const provenance::PdqHash& hash, int64_t index) {
    for (const match::Match& m :
         registry_.index.search(match::Code{hash.words()}, options_.radius)) {
      int64_t asset_id = registry_.asset_of(m.id);
      segments_.hit("a:" + std::to_string(asset_id), asset_id, index, index, m.distance,
                    std::nullopt);
    }
  }

  // Video: each frame, whole, before its bars are trimmed; true when it may begin a shot
  // (CutDetector::add), which resets the bar tracker.
  bool shot_change(const media::LumaView& luma, int64_t index) {
    const bool cut = cuts_.add(luma, index);
    cut_since_check_ = cut_since_check_ || cut;
    return cut;
  }

  // A registered output's sound found in audio stream `stream` (audio::LandmarkIndex::match,
  // seconds on the file's timeline): a finding of its own on the audio track, judged as a
  // picture finding is.
  void audio_hit(int stream, const audio::AudioMatch& m) {
    int64_t asset_id = 0;
    const char* end = m.output_id.data() + m.output_id.size();
    if (std::from_chars(m.output_id.data(), end, asset_id).ptr != end) {
      return;  // the registry names outputs by asset id
    }
    Finding f;
    f.track = "audio";
    f.audio_stream = stream;
    f.asset_id = asset_id;
    f.start_seconds = m.start_seconds;
    f.end_seconds = m.end_seconds;
    f.signals.push_back(Signal{"audio_fingerprint",
                               std::to_string(m.score) + " landmarks, " +
                                   std::to_string(std::lround(m.peak_match * 100)) + "% of peaks",
                               -1, 0});
    audio_findings_.push_back(std::move(f));
  }

  // A waveform of the sound each of `stream`'s findings so far covers, as its frame thumbnail
  // (media/waveform.h): what a reviewer looks at for sound. From the samples the scan decoded
  // (`samples` at `rate`, the first at `start_seconds` on the file's timeline), so nothing is
  // decoded again; the first kMaxThumbnailFindings sound findings of a file get one.
  void draw_sound(int stream, std::span<const float> samples, int rate, double start_seconds) {
    for (Finding& f : audio_findings_) {
      if (f.audio_stream != stream || !f.frame_thumbnail.empty() ||
          sound_pictures_ >= kMaxSoundPictures) {
        continue;
      }
      const auto sample_at = [&](double seconds) {
        const double at = std::round((seconds - start_seconds) * rate);
        return static_cast<size_t>(std::clamp(at, 0.0, static_cast<double>(samples.size())));
      };
      const size_t first = sample_at(f.start_seconds);
      const size_t last = sample_at(f.end_seconds);
      if (last <= first) {
        continue;
      }
      auto picture = media::waveform_image(samples.subspan(first, last - first));
      auto jpeg = picture ? media::encode_thumbnail(*picture)
                          : base::Result<std::vector<uint8_t>>(picture.error());
      if (jpeg) {
        f.frame_thumbnail = base::base64_encode(*jpeg);
        ++sound_pictures_;
      }
    }
  }

  // The audio watermark read in a window of audio stream `stream` (seconds on the file's
  // timeline): it joins the stream's finding of the same asset (or unknown payload) that it
  // overlaps or follows within a second, else starts one. A finding the fingerprint placed
  // keeps the fingerprint's span, exact to 16 ms; one the mark alone found spans its windows.
  void audio_mark(int stream, double start, double end, uint64_t payload) {
    auto asset = registry_.by_watermark.find(payload);
    const std::optional<int64_t> asset_id =
        asset != registry_.by_watermark.end() ? std::optional(asset->second) : std::nullopt;
    for (Finding& f : audio_findings_) {
      const bool same = asset_id ? f.asset_id == asset_id
                                 : !f.asset_id && !f.signals.empty() &&
                                       f.signals.front().detail == hex64(payload);
      if (!same || f.audio_stream != stream || start > f.end_seconds + 1.0 ||
          end < f.start_seconds - 1.0) {
        continue;
      }
      bool placed_by_fingerprint = false;
      Signal* mark = nullptr;
      for (Signal& s : f.signals) {
        placed_by_fingerprint |= s.kind == "audio_fingerprint";
        mark = s.kind == "watermark" ? &s : mark;
      }
      if (!placed_by_fingerprint) {
        f.start_seconds = std::min(f.start_seconds, start);
        f.end_seconds = std::max(f.end_seconds, end);
      }
      if (mark == nullptr) {
        f.signals.push_back(Signal{"watermark", hex64(payload), -1, 0});
        mark = &f.signals.back();
      }
      ++mark->frames;  // windows that read it
      return;
    }
    Finding f;
    f.track = "audio";
    f.audio_stream = stream;
    f.asset_id = asset_id;
    f.start_seconds = start;
    f.end_seconds = end;
    f.signals.push_back(Signal{"watermark", hex64(payload), -1, 1});
    audio_findings_.push_back(std::move(f));
  }

  void file_signal(std::optional<int64_t> asset_id, Signal signal) {
    file_signals_.push_back(FileSignal{asset_id, std::move(signal)});
  }

  void finish() {
    if (window_ && window_->frames() > 0) {
      close_window();  // the file ended (or the scan stopped) inside a window
    }
    std::vector<Segment> segments = join_within_shots(segments_.finish());
    for (Segment& s : segments) {
      snap_to_cuts(s);
    }
    for (const Segment& s : segments) {
      Finding f;
      f.asset_id = s.asset_id;
      f.first_frame = s.first;
      f.last_frame = s.last;
      if (s.pdq_frames > 0) {
        f.signals.push_back(Signal{"pdq", "", s.best_distance, s.pdq_frames});
      }
      if (s.payload) {
        f.signals.push_back(Signal{"watermark", hex64(*s.payload), -1, s.watermark_frames});
      }
      report_.findings.push_back(std::move(f));
    }
    for (Finding& f : audio_findings_) {
      report_.findings.push_back(std::move(f));
    }
    audio_findings_.clear();
    // File-level labels join every finding of their asset, else stand for the whole file. An
    // XMP label names no asset: on a file that is a registered asset (found by PDQ, watermark or
    // its manifest), it is that asset's own label (clearcut stamp writes one) and joins it.
    std::stable_partition(file_signals_.begin(), file_signals_.end(),
                          [](const FileSignal& s) { return s.asset_id.has_value(); });
    std::optional<size_t> unregistered;
    for (FileSignal& fs_signal : file_signals_) {
      bool joined = false;
      const bool xmp = fs_signal.signal.kind == "xmp";
      for (Finding& f : report_.findings) {
        if (fs_signal.asset_id ? f.asset_id == fs_signal.asset_id : xmp && f.asset_id) {
          f.signals.push_back(fs_signal.signal);
          joined = true;
        }
      }
      if (joined) {
        continue;
      }
      if (!fs_signal.asset_id && unregistered) {
        report_.findings[*unregistered].signals.push_back(fs_signal.signal);
        continue;
      }
      Finding f;
      f.asset_id = fs_signal.asset_id;
      f.first_frame = 0;
      f.last_frame = std::max<int64_t>(last_frame_, 0);
      f.signals.push_back(fs_signal.signal);
      if (!fs_signal.asset_id) {
        unregistered = report_.findings.size();
      }
      report_.findings.push_back(std::move(f));
    }
    report_.variable_frame_rate = variable_rate_;
    for (Finding& f : report_.findings) {
      if (f.track == "audio") {
        place_on_frames(f, rate_, drop_frame_, origin_frame_);
        judge(f, registry_, options_.now);
        continue;
      }
      f.start_seconds = time_of(f.first_frame);
      f.end_seconds = time_of(f.last_frame) + 1.0 / fps();
      f.start_timecode = timecode_at(f.start_seconds);
      f.end_timecode = timecode_at(time_of(f.last_frame));
      judge(f, registry_, options_.now);
    }
    std::stable_sort(
        report_.findings.begin(), report_.findings.end(),
        [](const Finding& a, const Finding& b) { return a.first_frame < b.first_frame; });
    constexpr size_t kMaxFlatRanges = 20;
    for (size_t i = 0; i < flat_.size() && i < kMaxFlatRanges; ++i) {
      FrameRange r = flat_[i];
      r.start_timecode = timecode_at(time_of(r.first_frame));
      r.end_timecode = timecode_at(time_of(r.last_frame));
      report_.flat_ranges.push_back(r);
    }
    if (report_.frames_flat > 0) {
      report_.unchecked.push_back("pdq: " + std::to_string(report_.frames_flat) +
                                  " frame(s) too flat to hash (quality under " +
                                  std::to_string(options_.min_quality) + ")");
    }
  }

 private:
  // Two stretches of one asset less than a second apart with no cut between them are one shot
  // in which PDQ lost the asset for a while (a push-in between two registered framings, a
  // subtitle over it): one finding, as an editor would list it. `segments` is sorted by first
  // frame.
  std::vector<Segment> join_within_shots(std::vector<Segment> segments) const {
    const auto max_gap = static_cast<int64_t>(std::ceil(fps()));
    std::vector<Segment> joined;
    std::map<std::string, size_t> latest;  // key -> its last segment in `joined`
    for (Segment& s : segments) {
      auto it = latest.find(s.key);
      if (it != latest.end()) {
        Segment& before = joined[it->second];
        if (s.first - before.last <= max_gap && !cuts_.first_cut_in(before.last, s.first)) {
          before.last = std::max(before.last, s.last);
          before.sure_last = std::max(before.sure_last, s.sure_last);
          before.pdq_frames += s.pdq_frames;
          before.watermark_frames += s.watermark_frames;
          if (s.best_distance >= 0 &&
              (before.best_distance < 0 || s.best_distance < before.best_distance)) {
            before.best_distance = s.best_distance;
          }
          before.payload = before.payload ? before.payload : s.payload;
          continue;
        }
      }
      latest[s.key] = joined.size();
      joined.push_back(std::move(s));
    }
    return joined;
  }

  // A stretch the watermark read is known only to within its checks, a second apart (issue #13,
  // item 4): its shot began after the last check before it that read no mark (or another), or at
  // that check's own frame (a check on a shot's first frame can miss a mark the next ones read),
  // and ends before the first such check after it. A hard cut in either gap is the shot's edge,
  // exact to the frame; without one (a dissolve, a fade) the edge stays where the checks put it.
  // PDQ locates each frame it matches, but lets go of a still pushed in past its registered
  // framings while the mark still reads, so stretches it found are snapped too (only outward:
  // the cuts searched lie outside what was matched).
  void snap_to_cuts(Segment& s) const {
    if (!s.payload) {
      return;
    }
    int64_t before = -1;  // the last check before the stretch that read something else
    int64_t after = last_frame_ + 1;
    for (const Check& check : checks_) {
      if (check.payload == s.payload) {
        continue;
      }
      if (check.index < s.first) {
        before = check.index;
      } else if (check.index > s.last) {
        after = check.index;
        break;
      }
    }
    if (auto cut = cuts_.last_cut_in(before - 1, s.first)) {
      s.first = *cut;
    }
    if (auto cut = cuts_.first_cut_in(s.sure_last, after)) {
      s.last = *cut - 1;
    } else if (after > last_frame_) {
      s.last = last_frame_;  // no check after it and no cut: the file ends with the shot
    }
  }

  double fps() const { return rate_.known() ? rate_.to_double() : 25.0; }

  // Timecodes and seconds come from the frames' presentation times, not their count: in a file
  // of variable frame rate the two part (a phone's footage, a conform that dropped frames).
  // A frame more than half a frame away from where the nominal rate puts it makes the file VFR.
  // Times count from the first frame, as an editor's timeline does.
  void note_time(int64_t index, double time_seconds) {
    if (!times_.empty() && index <= times_.back().first) {
      return;
    }
    if (times_.empty()) {
      time_origin_ = time_seconds - static_cast<double>(index) / fps();
    }
    time_seconds -= time_origin_;
    times_.emplace_back(index, time_seconds);
    const double expected = static_cast<double>(index) / fps();
    variable_rate_ = variable_rate_ || std::abs(time_seconds - expected) > 0.5 / fps();
  }

  // The presentation time of a sampled frame (between samples: from the one before, at the
  // nominal rate).
  double time_of(int64_t index) const {
    auto after = std::upper_bound(times_.begin(), times_.end(), index,
                                  [](int64_t i, const auto& t) { return i < t.first; });
    if (after == times_.begin()) {
      return static_cast<double>(index) / fps();
    }
    const auto& [known, seconds] = *std::prev(after);
    return seconds + static_cast<double>(index - known) / fps();
  }

  // The timecode of the frame shown at `seconds`, counted at the nominal rate from the file's
  // start timecode (00:00:00:00 when it states none).
  std::string timecode_at(double seconds) const {
    return format_timecode(origin_frame_ + std::llround(seconds * fps()), rate_, drop_frame_);
  }

  // The watermark, read once per interval from one frame (tens of ms at 1080p). A miss with
  // evidence of a mark (a sync score unmarked frames rarely reach), or right after a found one,
  // escalates: that frame and the next ones are averaged into a window and searched once when
  // it is full, so that a marked clip whose P and B frames keep too little of the mark for one
  // frame is still read, while unmarked footage pays for single frames nearly always. A window
  // that spans a cut averages two assets' marks into "no mark", never into a wrong payload (the
  // CRC). Frames of another size end the window early. The sync score of unmarked footage
  // depends on its content and the key (regular test patterns can score over 6 in most frames),
  // so a window that the score alone opened and that found nothing makes the score open none
  // for the next 1, 2, 4, ... 16 checks: such footage pays for one window in 17 seconds at most.
  void check_watermark_on(const media::LumaView& luma, int64_t index, bool check, bool video) {
    if (window_ && window_->frames() > 0) {
      if (index < window_next_) {
        return;  // between the window's frames
      }
      if (window_->add_frame(luma).has_value()) {
        window_last_ = index;
        window_next_ = index + window_spacing_;
        if (window_->frames() >= options_.watermark_window_frames) {
          close_window();
        }
        return;
      }
      close_window();  // the frame size changed: the window ends before this frame
    }
    if (!check || luma.width < watermark::kMinDetectSide ||
        luma.height < watermark::kMinDetectSide) {
      return;
    }
    if (video && skip_steady_check()) {
      return;
    }
    ++report_.watermark_checks;
    auto detection = watermark::detect(luma, *options_.watermark_key);
    if (!detection) {
      return;
    }
    if (video) {
      note_quiet(!detection->found && detection->sync_score < options_.watermark_window_score &&
                 !mark_seen_);
    }
    checks_.push_back(
        Check{index, detection->found ? std::optional(detection->payload) : std::nullopt});
    if (detection->found) {
      watermark_hit(*detection, index, index, 1);
      return;
    }
    const bool evidence =
        detection->sync_score >= options_.watermark_window_score && evidence_skip_ == 0;
    evidence_skip_ = std::max(evidence_skip_ - 1, 0);
    const bool escalate =
        video && options_.watermark_window_frames >= 2 && (mark_seen_ || evidence);
    window_on_evidence_ = !mark_seen_;
    mark_seen_ = false;
    if (!escalate) {
      return;
    }
    if (!window_) {
      window_.emplace(*options_.watermark_key);
    }
    if (window_->add_frame(luma).has_value()) {
      window_first_ = index;
      window_last_ = index;
      window_next_ = index + window_spacing_;
    }
  }

  // A check is due. Skips it while the picture is still the one the last checks saw and they
  // found neither a mark nor evidence of one (see ScanOptions::watermark_max_skips): a mark
  // comes with its asset's picture, after a cut or a change of picture (a dissolve, a move),
  // which ends the skipping. Otherwise the check is made and becomes the new reference.
  bool skip_steady_check() {
    const std::optional<double> change = cuts_.change_from_reference();
    const bool steady = !cut_since_check_ && change.has_value() && *change < kSteadyPictureChange;
    if (steady && skips_left_ > 0) {
      --skips_left_;
      return true;
    }
    if (!steady) {
      quiet_checks_ = 0;
    }
    skips_left_ = 0;
    cut_since_check_ = false;
    cuts_.set_reference();
    return false;
  }

  // After a check: `quiet` when it read no mark, showed no evidence and follows no hit. Each
  // quiet check in a row doubles the next interval (1, 2, 4 ... up to 1 + max skips).
  void note_quiet(bool quiet) {
    if (!quiet) {
      quiet_checks_ = 0;
      skips_left_ = 0;
      return;
    }
    ++quiet_checks_;
    skips_left_ = std::min((1 << std::min(quiet_checks_ - 1, 16)) - 1,
                           std::max(options_.watermark_max_skips, 0));
  }

  void close_window() {
    if (window_->frames() >= 2) {
      ++report_.watermark_windows;
      auto detection = window_->detect();
      if (detection && detection->found) {
        // The check that opened the window read what the window read.
        for (auto it = checks_.rbegin(); it != checks_.rend(); ++it) {
          if (it->index == window_first_) {
            it->payload = detection->payload;
            break;
          }
        }
        watermark_hit(*detection, window_first_, window_last_, window_->frames());
      } else if (window_on_evidence_) {
        evidence_skip_ = evidence_backoff_;
        evidence_backoff_ = std::min(2 * evidence_backoff_, kMaxEvidenceBackoff);
      }
    }
    window_->reset();
  }

  void watermark_hit(const watermark::WatermarkDetection& detection, int64_t first, int64_t last,
                     int64_t frames) {
    mark_seen_ = true;
    evidence_skip_ = 0;
    evidence_backoff_ = 1;
    auto asset = registry_.by_watermark.find(detection.payload);
    if (asset != registry_.by_watermark.end()) {
      segments_.hit("a:" + std::to_string(asset->second), asset->second, first, last, -1,
                    detection.payload, frames);
    } else {
      segments_.hit("w:" + hex64(detection.payload), std::nullopt, first, last, -1,
                    detection.payload, frames);
    }
  }

  FileReport& report_;
  const Registry& registry_;
  const ScanOptions& options_;
  SegmentBuilder segments_;
  provenance::PdqHasher hasher_;
  std::vector<FrameRange> flat_;
  std::vector<FileSignal> file_signals_;
  std::vector<Finding> audio_findings_;  // audio_hit's, until finish()
  static constexpr int kMaxSoundPictures = 200;
  int sound_pictures_ = 0;
  media::Rational rate_{25, 1};
  bool drop_frame_ = false;
  int64_t origin_frame_ = 0;
  int64_t last_frame_ = 0;
  // Watermark checks in order (a check that opened a window: what the window read), and the
  // file's cuts: where a finding the watermark read begins and ends (snap_to_cuts).
  struct Check {
    int64_t index = 0;
    std::optional<uint64_t> payload;  // nullopt: no mark
  };
  std::vector<Check> checks_;
  CutDetector cuts_;
  std::vector<std::pair<int64_t, double>> times_;  // sampled frames: index, presentation time
  double time_origin_ = 0;
  bool variable_rate_ = false;
  std::optional<watermark::VideoWatermarkDetector> window_;  // made on the first escalation
  int64_t window_first_ = 0;
  int64_t window_last_ = 0;
  int64_t window_next_ = 0;          // the next frame index to add to the window
  int64_t window_spacing_ = 1;       // frame indices between a window's frames
  bool mark_seen_ = false;           // the last watermark check (frame or window) found a mark
  bool window_on_evidence_ = false;  // the open window was opened by the sync score alone
  static constexpr int kMaxEvidenceBackoff = 16;
  int evidence_skip_ = 0;         // checks left whose sync score opens no window
  int evidence_backoff_ = 1;      // the next skip, doubled by every window opened in vain
  bool cut_since_check_ = false;  // a cut came since the last watermark check
  int quiet_checks_ = 0;          // checks in a row on a steady picture that saw nothing
  int skips_left_ = 0;            // due checks still to skip while the picture stays steady
};

// C2PA: a manifest whose label was registered names its asset; one that declares AI source
// types and was never registered is undeclared AI.
void check_c2pa(const c2pa::C2paReport& c2pa_report, const Registry& registry, FileScanner& scanner,
                FileReport& report) {
  if (!c2pa_report.has_manifest()) {
    if (c2pa_report.no_manifest_reason == c2pa::NoManifestReason::kUnsupportedFormat) {
      report.unchecked.push_back("c2pa: this format cannot carry a manifest");
    } else if (c2pa_report.no_manifest_reason == c2pa::NoManifestReason::kMalformed) {
      report.unchecked.push_back("c2pa: manifest store unreadable: " + c2pa_report.detail);
    }
    return;
  }
  auto asset = registry.by_manifest.find(c2pa_report.active_manifest);
  std::string terms;
  for (const std::string& t : c2pa_report.ai.terms()) {
    terms += (terms.empty() ? "" : ",") + t;
  }
  std::string detail = c2pa_report.active_manifest + " (" +
                       std::string(c2pa::verdict_name(c2pa_report.verdict)) + ")" +
                       (terms.empty() ? "" : " " + terms);
  if (asset != registry.by_manifest.end()) {
    scanner.file_signal(asset->second, Signal{"c2pa", detail, -1, 0});
  } else if (c2pa_report.ai.synthetic()) {
    scanner.file_signal(std::nullopt, Signal{"c2pa", detail, -1, 0});
  }
}

void scan_still(const std::vector<uint8_t>& bytes, FileReport& report, FileScanner& scanner,
                const Registry& registry, const ScanOptions& options) {
  report.kind = "still";
  auto c2pa_report = c2pa::read_c2pa(bytes);
  if (c2pa_report) {
    check_c2pa(*c2pa_report, registry, scanner, report);
  }
  auto label = xmp::read_xmp_label(bytes);
  if (!label) {
    report.unchecked.push_back("xmp: " + label.error().message());
  } else if (label->digital_source_type && xmp::names_ai(*label->digital_source_type)) {
    scanner.file_signal(std::nullopt, Signal{"xmp", *label->digital_source_type, -1, 0});
  } else if (label->source_type_unreadable) {
    // A label nobody can read never passes silently.
    scanner.file_signal(std::nullopt, Signal{"xmp", "unreadable: " + label->damage, -1, 0, true});
  } else if (!label->damage.empty()) {
    report.unchecked.push_back("xmp: the packet is damaged (" + label->damage +
                               "); it names no digital source type");
  }
  auto image = media::decode_image(bytes);
  if (!image) {
    report.error = "cannot decode the image: " + image.error().message();
    return;
  }
  // Judged as displayed, as `clearcut stamp` registers photos: turned as EXIF orientation says.
  if (auto metadata = xmp::read_photo_metadata(bytes); metadata && metadata->orientation != 1) {
    *image = media::apply_orientation(std::move(*image),
                                      media::orientation_from_tag(metadata->orientation));
  }
  report.width = image->width;
  report.height = image->height;
  std::vector<uint8_t> luma(static_cast<size_t>(image->width) * image->height);
  for (size_t i = 0; i < luma.size(); ++i) {
    if (image->channels >= 3) {
      const uint8_t* p = &image->pixels[i * image->channels];
      luma[i] = static_cast<uint8_t>(0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] + 0.5);
    } else {
      luma[i] = image->pixels[i * image->channels];
    }
  }
  media::LumaView view{luma.data(), image->width, image->height, image->width};
  media::BarDetection bars =
      media::detect_active_area(view, media::BlackBarOptions::for_range(true));
  scanner.set_timing({25, 1}, false);
  scanner.frame(view, bars.picture, 0, 0.0, true, false);
  if (!options.watermark_key) {
    report.unchecked.push_back("watermark: no key given");
  }
}

// An error message about the file as the gate opened it (/proc/self/fd/N) in the words of the
// path the user gave.
std::string in_input_words(std::string message, const std::string& open_path,
                           const std::string& path) {
  for (size_t at = message.find(open_path); at != std::string::npos && open_path != path;
       at = message.find(open_path, at + path.size())) {
    message.replace(at, open_path.size(), path);
  }
  return message;
}

// Content Credentials of a video or audio file: MP4, MOV and M4A (a C2PA `uuid` box), WAV (a
// `C2PA` chunk), MP3 (an ID3v2 GEOB frame). Read through the descriptor the gate opened and
// checked, not the path again.
void check_file_c2pa(const ScanInput& input, const OpenedFile& file, const std::string& container,
                     FileReport& report, FileScanner& scanner, const Registry& registry) {
  // Past an ID3v2 tag (cover art can make it megabytes), since what follows it says whether
  // this is an MP3 at all.
  constexpr size_t kHead = 64;
  constexpr size_t kMaxTag = size_t{16} << 20;
  auto head = file.read(kHead);
  if (head) {
    if (auto tag_end = c2pa::id3_tag_end(*head); tag_end && *tag_end + kHead > head->size()) {
      head = file.read(std::min(*tag_end + kHead, kMaxTag));
    }
  }
  const c2pa::AssetFormat format =
      head ? c2pa::detect_asset_format(*head) : c2pa::AssetFormat::kUnknown;
  if (format != c2pa::AssetFormat::kBmff && format != c2pa::AssetFormat::kRiff &&
      format != c2pa::AssetFormat::kMp3) {
    report.unchecked.push_back("c2pa: the " + container + " container cannot carry a manifest");
    return;
  }
  auto c2pa_report = c2pa::read_c2pa_file(file.proc_path());
  if (c2pa_report) {
    check_c2pa(*c2pa_report, registry, scanner, report);
    return;
  }
  report.unchecked.push_back(
      "c2pa: " + in_input_words(c2pa_report.error().message(), file.proc_path(), input.path));
}

void scan_video(const ScanInput& input, const OpenedFile* file, FileReport& report,
                FileScanner& scanner, const Registry& registry, const ScanOptions& options,
                const FileDeadline& deadline) {
  media::VideoReaderOptions reader_options = deadline.reader_options();
  reader_options.frame_stride = std::max(options.stride, 1);
  auto reader = input.image_sequence
                    ? media::VideoReader::open_image_sequence(input.path, reader_options)
                    : media::VideoReader::open(input.path, reader_options);
  if (!reader) {
    report.error = deadline.stopped_text().value_or(reader.error().message());
    return;
  }
  const media::VideoStreamInfo& info = reader->info();
  report.kind = info.image_sequence ? "image_sequence" : "video";
  report.container = info.container;
  report.codec = info.codec;
  report.width = info.width;
  report.height = info.height;
  report.stated_timecode = info.start_timecode;
  const std::optional<TimecodeOrigin> origin =
      stated_origin(info.start_timecode, info.frame_rate, report);
  scanner.set_timing(info.frame_rate, origin ? origin->drop_frame : info.drop_frame);
  scanner.set_timecode_origin(origin ? origin->frame : 0);
  if (file != nullptr) {
    check_file_c2pa(input, *file, info.container, report, scanner, registry);
    report.unchecked.push_back("xmp: not read from video containers");
  } else {
    report.unchecked.push_back("c2pa, xmp: not read from image sequence frames");
  }
  if (!options.watermark_key) {
    report.unchecked.push_back("watermark: no key given");
  }
  media::BlackBarTracker tracker(media::BlackBarOptions::for_range(info.full_range));
  double next_watermark = 0;
  double next_progress = 0;
  ScanProgress progress;
  progress.path = input.path;
  progress.duration_seconds = info.duration_seconds.value_or(0);
  for (;;) {
    if (auto stopped = deadline.stopped_text()) {
      report.error = *stopped;
      break;
    }
    auto frame = reader->next();
    if (!frame) {
      report.error = deadline.stopped_text().value_or(frame.error().message());
      break;
    }
    if (!frame->has_value()) {
      break;
    }
    const media::VideoFrame& f = **frame;
    if (scanner.shot_change(f.luma, f.index)) {
      tracker.reset();
    }
    media::Rect picture = tracker.update(f.luma);
    bool check_watermark = false;
    if (f.time_seconds + 1e-6 >= next_watermark) {
      check_watermark = true;
      next_watermark = f.time_seconds + options.watermark_interval_seconds;
    }
    scanner.frame(f.luma, picture, f.index, f.time_seconds, check_watermark, true);
    if (options.progress && f.time_seconds >= next_progress) {
      next_progress = f.time_seconds + 0.5;
      progress.seconds = f.time_seconds;
      progress.frames = report.frames_decoded;
      options.progress(progress);
    }
  }
}

// Codecs the audio watermark survives (src/clearcut/audio/README.md, "Watermark"): lossless
// ones and MP3, not AAC.
bool audio_mark_survives(std::string_view codec) {
  return codec.starts_with("pcm_") || codec == "flac" || codec == "alac" || codec == "wavpack" ||
         codec == "mp3" || codec == "mp3float";
}

// The audio streams of a file (`open_path`: the file as the gate opened it), each decoded to the
// analysis rate, fingerprinted and searched for registered outputs' sound. Registered outputs
// without sound leave nothing to search for: the audio is then not decoded, and the report says
// so. An audio stream that does not decode is noted as not checked; it does not fail the file.
void scan_audio(const std::string& open_path, const ScanInput& input, FileReport& report,
                FileScanner& scanner, const Registry& registry, const ScanOptions& scan_options,
                const std::vector<media::AudioStreamInfo>& streams, const FileDeadline& deadline) {
  if (streams.empty()) {
    return;
  }
  const bool fingerprints = registry.audio_index.outputs() > 0;
  if (!fingerprints && !scan_options.watermark_key) {
    report.unchecked.push_back(
        "audio: no registered output has sound and no watermark key was given, so the audio was "
        "not searched");
    return;
  }
  for (const media::AudioStreamInfo& stream : streams) {
    if (auto stopped = deadline.stopped_text()) {
      report.error = *stopped;
      return;
    }
    media::AudioDecodeOptions options;
    options.stream_index = stream.stream_index;
    options.interrupted = [&deadline] {
      return deadline.stopped_text().has_value();
    };
    auto decoded = media::decode_audio(open_path, options);
    if (auto stopped = deadline.stopped_text(); !decoded && stopped) {
      report.error = *stopped;
      return;
    }
    if (!decoded) {
      report.unchecked.push_back("audio stream " + std::to_string(stream.stream_index) + ": " +
                                 in_input_words(decoded.error().message(), open_path, input.path));
      continue;
    }
    report.audio.push_back(AudioTrackReport{stream.stream_index, stream.codec, stream.sample_rate,
                                            stream.channels, stream.language,
                                            decoded->duration_seconds()});
    const std::string where = "audio stream " + std::to_string(stream.stream_index) + ": ";
    if (fingerprints) {
      auto fp = audio::fingerprint(decoded->samples, audio::query_options());
      auto matches = fp ? registry.audio_index.match(*fp, decoded->start_seconds)
                        : base::Result<std::vector<audio::AudioMatch>>(fp.error());
      if (matches) {
        for (const audio::AudioMatch& m : *matches) {
          scanner.audio_hit(stream.stream_index, m);
        }
      } else {
        report.unchecked.push_back(where + matches.error().message());
      }
    }
    // The audio watermark, in 3 s windows every 3 s (a third of the detector's default hop: the
    // mark repeats every 1.66 s, so a window anywhere in a marked stretch holds it, and the scan
    // pays a third), in streams whose codec it survives: reading it costs a fifth of a light
    // 1080p scan (bench/README.md), which AAC, where it does not survive, would pay for nothing.
    // Under a second of sound holds no mark.
    if (scan_options.watermark_key && !audio_mark_survives(stream.codec)) {
      report.unchecked.push_back(where + "watermark: not read from " + stream.codec +
                                 ", which the audio watermark does not survive yet");
    } else if (scan_options.watermark_key && decoded->duration_seconds() >= 1.0) {
      auto marks = audio::scan_watermarks(decoded->samples, decoded->sample_rate,
                                          *scan_options.watermark_key, {3.0, 3.0});
      if (marks) {
        ++report.audio_watermark_streams;
        for (const audio::AudioWatermarkDetection& d : *marks) {
          scanner.audio_mark(stream.stream_index, decoded->start_seconds + d.start_seconds,
                             decoded->start_seconds + d.end_seconds, d.payload);
        }
      } else {
        report.unchecked.push_back(where + "watermark: " + marks.error().message());
      }
    }
    scanner.draw_sound(stream.stream_index, decoded->samples, decoded->sample_rate,
                       decoded->start_seconds);
    if (report.kind == "audio") {
      report.duration_seconds =
          std::max(report.duration_seconds, decoded->start_seconds + decoded->duration_seconds());
    }
  }
}

}  // namespace

FileReport scan_file(const ScanInput& input, const Registry& registry, const ScanOptions& options) {
  FileReport report;
  report.path = input.path;
  FileScanner scanner(report, registry, options);
  if (input.image_sequence) {
    FileDeadline deadline(options, input.bytes);
    scan_video(input, nullptr, report, scanner, registry, options, deadline);
  } else {
    auto file = options.files.open(input.path);
    if (!file) {
      report.error = file.error().message();
      return report;
    }
    FileDeadline deadline(options, file->size());
    auto head = file->read(64);
    if (!head) {
      report.error = head.error().message();
      return report;
    }
    if (media::sniff_image_format(*head) != media::ImageFormat::kUnknown) {
      constexpr size_t kMaxStill = size_t{1} << 30;
      auto bytes = file->read(kMaxStill);
      if (!bytes) {
        report.error = bytes.error().message();
        return report;
      }
      scan_still(*bytes, report, scanner, registry, options);
    } else {
      // Through the descriptor opened and checked above, not the path again.
      const std::string open_path = file->proc_path();
      auto audio = media::probe_audio(open_path);
      std::vector<media::AudioStreamInfo> streams;
      if (audio) {
        streams = audio->streams;
      }
      if (audio && audio->video_streams == 0 && !streams.empty()) {
        report.kind = "audio";
        report.container = audio->container;
        report.codec = streams.front().codec;
        // No picture: timecodes count at the rate the scan was given, else at 25 until the
        // delivery's picture says otherwise (align_audio_timecodes).
        const TimecodeRate timing = options.timecode_rate.value_or(TimecodeRate{{25, 1}, false});
        report.timecode_rate_from = options.timecode_rate ? "scan_option" : "default";
        report.stated_timecode = audio->timecode;
        if (audio->time_reference && streams.front().sample_rate > 0) {
          report.bext_seconds =
              static_cast<double>(*audio->time_reference) / streams.front().sample_rate;
        }
        const std::optional<TimecodeOrigin> origin =
            audio_origin(report, timing.rate, timing.drop_frame);
        scanner.set_timing(timing.rate, origin ? origin->drop_frame : timing.drop_frame);
        scanner.set_timecode_origin(origin ? origin->frame : 0);
        check_file_c2pa(input, *file, audio->container, report, scanner, registry);
        if (!options.watermark_key) {
          report.unchecked.push_back("watermark: no key given");
        }
      } else {
        scan_video(input, &*file, report, scanner, registry, options, deadline);
      }
      if (report.error.empty()) {
        scan_audio(open_path, input, report, scanner, registry, options, streams, deadline);
      }
    }
  }
  if (report.error.empty() || report.frames_decoded > 0 || report.kind == "audio") {
    scanner.finish();
  }
  return report;
}

// Sound delivered beside picture (stems beside a reel, a WAV beside an image sequence) plays
// against that picture: when the scan was given no timecode rate and every picture file of the
// delivery has one frame rate, audio files count their timecodes at it instead of 25.
void align_audio_timecodes(ScanReport& report) {
  std::optional<std::pair<std::string, bool>> picture;
  for (const FileReport& f : report.files) {
    if ((f.kind != "video" && f.kind != "image_sequence") || f.frame_rate.empty()) {
      continue;
    }
    if (picture && *picture != std::pair(f.frame_rate, f.drop_frame)) {
      return;  // picture at several rates: none is the delivery's
    }
    picture = std::pair(f.frame_rate, f.drop_frame);
  }
  if (!picture) {
    return;
  }
  const base::Result<TimecodeRate> parsed = parse_timecode_rate(picture->first);
  if (!parsed.has_value()) {
    return;  // a rate the probe wrote oddly: audio keeps its own
  }
  const media::Rational rate = parsed->rate;
  for (FileReport& f : report.files) {
    if (f.kind != "audio" || f.timecode_rate_from != "default") {
      continue;
    }
    // The note a label that did not fit 25 left, if any, is the old rate's.
    std::erase_if(f.unchecked, [](const std::string& u) { return u.starts_with("timecode: "); });
    const std::optional<TimecodeOrigin> origin = audio_origin(f, rate, picture->second);
    f.frame_rate = picture->first;
    f.drop_frame = origin ? origin->drop_frame : picture->second;
    f.timecode_rate_from = "delivery";
    for (Finding& finding : f.findings) {
      place_on_frames(finding, rate, f.drop_frame, origin ? origin->frame : 0);
    }
  }
}

ScanReport scan(const std::vector<std::string>& paths, const Registry& registry,
                const ScanOptions& options) {
  ScanReport report;
  report.production_code = registry.production.code;
  report.production_id = registry.production.id;
  report.scanned_at = options.now;
  report.registered_assets = registry.own_assets;
  if (!options.watermark_key) {
    report.not_checked.push_back(
        "invisible watermarks: no watermark key was given (--watermark-key or "
        "--watermark-passphrase), so stamped outputs were looked for by their labels and "
        "perceptual hashes only");
  }
  if (registry.audio_fingerprints_left_out > 0) {
    report.not_checked.push_back(
        "registered sound: " + std::to_string(registry.audio_fingerprints_left_out) +
        " registered output(s) have a stored audio fingerprint that could not be read or is too "
        "short to match, so their sound was not looked for");
  }
  if (registry.own_assets == 0) {
    report.not_checked.push_back(
        "registered outputs: production " + registry.production.code +
        " has none, so nothing was matched against a stamped output; only labels and marks of AI "
        "material were looked for");
  }
  std::vector<std::string> missing;
  std::vector<ScanInput> inputs = expand_inputs(paths, options.files, &missing, &report.skipped);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (options.cancel != nullptr && options.cancel->load()) {
      break;
    }
    ScanOptions file_options = options;
    ScanProgress last;
    last.path = inputs[i].path;
    if (options.progress) {
      file_options.progress = [&options, &last, i, total = inputs.size()](ScanProgress p) {
        p.file_index = static_cast<int>(i);
        p.files_total = static_cast<int>(total);
        last = p;
        options.progress(p);
      };
    }
    report.files.push_back(scan_file(inputs[i], registry, file_options));
    if (file_options.progress) {
      // The end of the file: everything decoded, the bar full when the duration is known.
      last.seconds = std::max(last.seconds, last.duration_seconds);
      last.frames = report.files.back().frames_decoded;
      last.file_finished = true;
      file_options.progress(last);
    }
  }
  align_audio_timecodes(report);
  for (const std::string& path : missing) {
    FileReport file;
    file.path = path;
    file.error = "no such file or folder";
    report.files.push_back(std::move(file));
  }
  return report;
}

}  // namespace clearcut::scan
