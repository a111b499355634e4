#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/provenance/watermark/watermark_key.h"
#include "clearcut/scan/registry.h"

namespace clearcut::scan {

// The verdict on one finding (docs/scan-report.md). All but kCleared fail the delivery.
enum class Verdict {
  kCleared,             // registered here, cleared, and an approval still clears it
  kProvisionalInFinal,  // registered here but never cleared
  kRejected,            // registered here and rejected by legal
  kExpiredApproval,     // cleared once, but no approval clears it now (expired or outdated)
  kUndeclaredAi,        // AI-labelled or watermarked, never registered or another production's
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
  int threads = 0;       // decoder threads (0: FFmpeg picks)
  int stride = 1;        // hash every Nth frame
  int radius = 31;       // PDQ Hamming radius
  int min_quality = 50;  // frames whose PDQ quality is lower are too flat to hash
  double watermark_interval_seconds = 1.0;  // video: one frame checked per interval
  // Video: when a checked frame shows no mark but some evidence of one (its sync score reaches
  // watermark_window_score), or the check before found one, that frame and the next
  // watermark_window_frames - 1 frames are averaged and searched as one window
  // (watermark::VideoWatermarkDetector), which reads marks that H.264 left too weak in single
  // P and B frames. Under 2: single frames only.
  int watermark_window_frames = 8;
  double watermark_window_score = 5.0;
  std::optional<watermark::WatermarkKey> watermark_key;
  std::string now;  // RFC 3339, when approvals are checked
  // Called from the scanning thread about every half second of media time, and once at the end
  // of each file. Optional.
  std::function<void(const ScanProgress&)> progress;
  // When set (from any thread) the scan stops at the next frame; the file reports the error
  // "the scan was stopped" and the remaining files are not scanned. Optional.
  const std::atomic<bool>* cancel = nullptr;
};

// One signal that found a finding.
struct Signal {
  std::string kind;    // "pdq", "watermark", "c2pa", "xmp"
  std::string detail;  // the manifest label, the source type URI, the payload (hex)
  int distance = -1;   // pdq: the smallest Hamming distance over the segment
  int64_t frames = 0;  // pdq and watermark: sampled frames that carried it
};

// A registered asset or an AI label found in one stretch of a file (the whole file for stills
// and file-level labels).
struct Finding {
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
  // Pictures for the report (add_thumbnails in thumbnails.h), base64 JPEGs within 160x160;
  // empty when there are none: the frame it was found in (video: the middle of the stretch, in
  // grey; stills: the image) and the registered asset's own thumbnail.
  std::string frame_thumbnail;
  std::string asset_thumbnail;
};

struct FrameRange {
  int64_t first_frame = 0;
  int64_t last_frame = 0;
  std::string start_timecode;
  std::string end_timecode;
};

struct FileReport {
  std::string path;
  std::string kind;   // "still", "video", "image_sequence"
  std::string error;  // set when the file could not be scanned (in full)
  std::string container;
  std::string codec;
  int width = 0;
  int height = 0;
  std::string frame_rate;  // "30000/1001"
  bool drop_frame = false;
  // Video and image sequences: the length the container states (add_thumbnails); 0 unknown.
  double duration_seconds = 0;
  int64_t frames_decoded = 0;
  int64_t frames_hashed = 0;
  int64_t frames_flat = 0;
  std::vector<FrameRange> flat_ranges;  // the first few stretches of frames too flat to hash
  int64_t watermark_checks = 0;         // frames checked on their own
  int64_t watermark_windows = 0;        // windows of frames checked together (ScanOptions)
  std::vector<std::string> unchecked;   // signals that could not be checked, and why
  std::vector<Finding> findings;
  bool passes() const;
};

struct ScanReport {
  std::string production_code;
  int64_t production_id = 0;
  std::string scanned_at;
  int registered_assets = 0;
  std::vector<FileReport> files;
  // Files that were scanned (at least in part): a scan with none is an error.
  int files_scanned() const;
  bool passes() const;
};

// Expands files and folders (recursively, sorted) into scan inputs: numbered image files of
// one pattern in one folder (two or more) become one image sequence.
struct ScanInput {
  std::string path;
  bool image_sequence = false;
};
std::vector<ScanInput> expand_inputs(const std::vector<std::string>& paths,
                                     std::vector<std::string>* missing);

// Scans one input against the registry. Never fails: errors go into FileReport::error.
FileReport scan_file(const ScanInput& input, const Registry& registry, const ScanOptions& options);

// Scans every input.
ScanReport scan(const std::vector<std::string>& paths, const Registry& registry,
                const ScanOptions& options);

// The report as JSON (docs/scan-report.md) and as a self-contained HTML page.
std::string report_json(const ScanReport& report);
std::string report_html(const ScanReport& report);

}  // namespace clearcut::scan
