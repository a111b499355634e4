#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/match/code.h"
#include "clearcut/provenance/watermark/watermark_key.h"
#include "clearcut/scan/file_gate.h"
#include "clearcut/scan/registry.h"
#include "clearcut/scan/timecode.h"

namespace clearcut::scan {

// How far (mean absolute difference of 8 x 8 grids of means, of 255) a video's picture may move
// from the last watermark check's and still count as the same picture: half the change of a
// hard cut (CutDetector::kMinChange). Grain and small motion stay well under it; a dissolve or
// a camera move past it brings the watermark checks back to one an interval.
inline constexpr double kSteadyPictureChange = 6.0;

// The verdict on one finding (docs/scan-report.md). All but kCleared fail the delivery.
enum class Verdict {
  kCleared,             // registered here, cleared, and an approval still clears it
  kProvisionalInFinal,  // registered here but never cleared
  kRejected,            // registered here and rejected by legal
  kExpiredApproval,     // cleared once, but no approval clears it now (expired or outdated)
  // cleared, but the audience disclosure its use case's approval required is not confirmed as
  // made (the checklist's audience_disclosure item has a plan and no confirmation)
  kDisclosureUnconfirmed,
  // AI-labelled or watermarked and never registered, or matching another production's asset
  // (Finding::elsewhere): not declared for this production either way.
  kUndeclaredAi,
};
std::string_view verdict_name(Verdict verdict);

// Where a scan is, for progress bars and heartbeats.
struct ScanProgress {
  std::string path;
  int file_index = 0;  // 0-based, of files_total
  int files_total = 1;
  double seconds = 0;           // media time reached in this file
  double duration_seconds = 0;  // of this file; 0 when unknown (stills, some containers)
  int64_t frames = 0;           // decoded so far in this file
  bool file_finished = false;   // the last call for this file
};

struct ScanOptions {
  int threads = 0;                          // decoder threads (0: FFmpeg picks)
  int stride = 1;                           // hash every Nth frame
  int radius = match::kPdqRadius;           // PDQ Hamming radius
  int min_quality = match::kPdqMinQuality;  // frames whose PDQ quality is lower are too flat
  double watermark_interval_seconds = 1.0;  // video: one frame checked per interval
  // Video: when a checked frame shows no mark but some evidence of one (its sync score reaches
  // watermark_window_score), or the check before found one, that frame and the next
  // watermark_window_frames - 1 frames are averaged and searched as one window
  // (watermark::VideoWatermarkDetector), which reads marks that H.264 left too weak in single
  // P and B frames. Under 2: single frames only.
  int watermark_window_frames = 8;
  double watermark_window_score = 5.0;
  // Video: while the picture stays what the last check saw (no cut, its 8 x 8 grid of means
  // within scan::kSteadyPictureChange of 255) and checks keep finding no mark and no evidence
  // of one, the interval between checks doubles, up to 1 + watermark_max_skips intervals; a
  // cut, a changed picture, a mark or evidence brings back one check an interval. 0: every
  // interval.
  int watermark_max_skips = 3;
  std::optional<watermark::WatermarkKey> watermark_key;
  std::string now;  // RFC 3339, when approvals are checked
  // Called from the scanning thread about every half second of media time, and once at the end
  // of each file. Optional.
  std::function<void(const ScanProgress&)> progress;
  // When set (from any thread) the scan stops at the next frame (or FFmpeg's next read); the
  // file reports the error "the scan was stopped" and the remaining files are not scanned.
  // Optional.
  const std::atomic<bool>* cancel = nullptr;
  // How files are opened: regular files only, and with a scan root only inside it (FileGate).
  FileGate files{};
  // Each file (an image sequence: all its frames) is abandoned with an error once its scan has
  // taken file_time_limit_seconds plus file_seconds_per_gib for each GiB of it: a file that
  // decodes slowly, or a read that blocks, cannot hold a worker for ever. 0: no limit.
  double file_time_limit_seconds = 600;
  double file_seconds_per_gib = 600;
  // The frame rate audio files (no picture of their own) count their timecodes at. Unset: the
  // rate of the delivery's picture files when they all share one, else 25.
  std::optional<TimecodeRate> timecode_rate;
};

// One signal that found a finding.
struct Signal {
  std::string kind;  // "pdq", "watermark", "c2pa", "xmp", "audio_fingerprint"
  // the manifest label, the source type URI, the payload (hex); audio_fingerprint: the
  // agreeing landmarks and the share of the output's peaks heard ("23 landmarks, 45% of peaks")
  std::string detail;
  int distance = -1;  // pdq: the smallest Hamming distance over the segment
  // pdq and watermark: sampled frames that carried it; an audio watermark: the 3 s windows
  int64_t frames = 0;
  // xmp: the packet names a digital source type that could not be read (detail: why). Such a
  // label fails the delivery unless the file is a registered asset it can belong to.
  bool unreadable = false;
};

// Who a finding's match belongs to when it is another production's registered asset. Kept for
// that production's legal and the admins (cross_production_hits); report_json and report_html
// never show it, so the scanning production learns only that the material is registered
// elsewhere.
struct ForeignMatch {
  int64_t asset_id = 0;
  int64_t production_id = 0;
  std::string asset_name;
  std::string asset_status;
  std::vector<Signal> signals;  // with their details (payloads, manifest labels)
  std::string asset_thumbnail;  // base64 JPEG (add_thumbnails); empty when none
};

// A registered asset or an AI label found in one stretch of a file (the whole file for stills
// and file-level labels). For another production's asset the asset fields stay empty, signal
// details are dropped, and `elsewhere` says whose it is.
struct Finding {
  // Where it was found: "picture" (frames, stills) or "audio" (an audio stream: audio_stream is
  // its index in the container). An audio finding's seconds are on the file's timeline and
  // exact to the fingerprint's 16 ms; its frames and timecodes are those of the picture frames
  // it plays over (25 fps in a file without picture).
  std::string track = "picture";
  int audio_stream = -1;
  std::optional<int64_t> asset_id;
  std::string asset_name;
  std::optional<int64_t> asset_production_id;
  std::string asset_status;
  std::vector<Signal> signals;
  int64_t first_frame = 0;
  int64_t last_frame = 0;
  std::string start_timecode;
  std::string end_timecode;
  double start_seconds = 0;
  double end_seconds = 0;
  Verdict verdict = Verdict::kUndeclaredAi;
  std::string reason;
  // A registered asset found by PDQ alone, with no watermark or label: the picture is the
  // asset's, but it may be the source the AI output was made from (an unstamped plate) rather
  // than the output itself. The reason says so too.
  bool pdq_only = false;
  // Pictures for the report (add_thumbnails in thumbnails.h), base64 JPEGs within 160x160;
  // empty when there are none: the frame it was found in (video: the middle of the stretch, in
  // grey; stills: the image) and the registered asset's own thumbnail.
  std::string frame_thumbnail;
  std::string asset_thumbnail;
  std::optional<ForeignMatch> elsewhere;
};

struct FrameRange {
  int64_t first_frame = 0;
  int64_t last_frame = 0;
  std::string start_timecode;
  std::string end_timecode;
};

// An audio stream of a scanned file, searched for registered outputs' sound.
struct AudioTrackReport {
  int stream = -1;  // in the container
  std::string codec;
  int sample_rate = 0;
  int channels = 0;
  std::string language;
  double seconds = 0;  // decoded
};

struct FileReport {
  std::string path;
  std::string kind;   // "still", "video", "image_sequence", "audio"
  std::string error;  // set when the file could not be scanned (in full)
  std::string container;
  std::string codec;
  int width = 0;
  int height = 0;
  std::string frame_rate;  // "30000/1001"; audio files: the rate their timecodes count at
  bool drop_frame = false;
  // The timecode of the file's first frame (audio files: first sample) as the file states it,
  // from which its findings' timecodes count: timecode_from is "container" (a MOV, MP4 or MXF
  // timecode track or tag) or "bext" (a Broadcast WAV's time reference, as the timecode of the
  // frame it falls in). Both empty when the file states none: timecodes count from 00:00:00:00.
  std::string start_timecode;
  std::string timecode_from;
  // Audio files: where frame_rate comes from: "scan_option" (ScanOptions::timecode_rate),
  // "delivery" (every picture file of the scan has that rate) or "default" (25).
  std::string timecode_rate_from;
  // What start_timecode is made from, kept to place an audio file's timecodes again at the
  // delivery's rate: the container's label as FFmpeg gives it, and bext's time reference in
  // seconds since midnight. Not in the JSON report.
  std::string stated_timecode;
  std::optional<double> bext_seconds;
  // Frames sit more than half a frame away from where frame_rate puts them: timecodes and
  // seconds come from presentation times, counted at frame_rate; frame indices count frames.
  bool variable_frame_rate = false;
  // Video and image sequences: the length the container states (add_thumbnails); 0 unknown.
  double duration_seconds = 0;
  int64_t frames_decoded = 0;
  int64_t frames_hashed = 0;
  int64_t frames_flat = 0;
  std::vector<FrameRange> flat_ranges;  // the first few stretches of frames too flat to hash
  int64_t watermark_checks = 0;         // frames checked on their own
  int64_t watermark_windows = 0;        // windows of frames checked together (ScanOptions)
  std::vector<AudioTrackReport> audio;  // the audio streams searched
  int64_t audio_watermark_streams = 0;  // of them, read for the audio watermark
  std::vector<std::string> unchecked;   // signals that could not be checked, and why
  std::vector<Finding> findings;
  bool passes() const;
};

// An entry of a scanned folder that was not read, and why (FileGate: "skipped: not a regular
// file", "skipped: symlink leaving the scan root", ...). A warning: it does not fail the scan.
struct SkippedEntry {
  std::string path;
  std::string reason;
};

struct ScanReport {
  std::string production_code;
  int64_t production_id = 0;
  std::string scanned_at;
  int registered_assets = 0;  // the scanning production's own
  std::vector<FileReport> files;
  std::vector<SkippedEntry> skipped;
  // What this scan could not look for, in words for the report's reader: no watermark key (marks
  // not read), no output registered by the production (nothing to match). A delivery can pass
  // with these; the report says it passed without them.
  std::vector<std::string> not_checked;
  // Files that were scanned (at least in part): a scan with none is an error.
  int files_scanned() const;
  // At least one file was scanned, and every file passes: a scan of nothing never passes.
  bool passes() const;
};

// Expands files and folders (recursively, sorted) into scan inputs: numbered frames of one
// pattern in one folder (two or more, in a frame format such as PNG, TIFF, DPX or EXR, their
// numbers running on without a gap) become one image sequence; numbered JPEGs (a camera's
// photos) and numbers with gaps stay stills. In folders only regular
// files (and symlinks to them that `gate` accepts) are taken; other entries go to `skipped`
// with the reason, and symlinked folders are not walked.
struct ScanInput {
  std::string path;
  bool image_sequence = false;
  uint64_t bytes = 0;  // image sequences: of all their frames; 0 for a file (its own size counts)
};
std::vector<ScanInput> expand_inputs(const std::vector<std::string>& paths, const FileGate& gate,
                                     std::vector<std::string>* missing,
                                     std::vector<SkippedEntry>* skipped);

// Scans one input against the registry. Never fails: errors go into FileReport::error.
FileReport scan_file(const ScanInput& input, const Registry& registry, const ScanOptions& options);

// Scans every input.
ScanReport scan(const std::vector<std::string>& paths, const Registry& registry,
                const ScanOptions& options);

// The report as JSON (docs/scan-report.md) and as a self-contained HTML page, for the scanning
// production: matches to other productions' assets show without names, ids, statuses, signal
// details or asset thumbnails.
std::string report_json(const ScanReport& report);
std::string report_html(const ScanReport& report);

// The findings that matched another production's asset, one per finding, as that production's
// legal sees them (docs/scan-report.md, "Matches to other productions").
struct CrossProductionHit {
  int64_t production_id = 0;  // the asset's
  int64_t asset_id = 0;
  std::string finding_json;
};
std::vector<CrossProductionHit> cross_production_hits(const ScanReport& report);

}  // namespace clearcut::scan
