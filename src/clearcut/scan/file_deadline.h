#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/scan/scanner.h"

namespace clearcut::scan {

// When one file's scan must end (ScanOptions::file_time_limit_seconds and
// file_seconds_per_gib, from the moment it is made), and the reader options that make FFmpeg
// give up a blocking read once it has passed or the scan is stopped (ScanOptions::cancel).
// Not thread-safe to construct; stopped_text may be called from FFmpeg's threads.
class FileDeadline {
 public:
  FileDeadline(const ScanOptions& options, uint64_t bytes);

  // The error of a file whose scan was stopped ("the scan was stopped") or ran out of time
  // ("abandoned: ..."); nullopt while neither.
  std::optional<std::string> stopped_text() const;

  // Decoder threads from the options; files opened through options.files (FileGate), reads
  // given up by stopped_text. This deadline and the options must outlive the reader.
  media::VideoReaderOptions reader_options() const;

 private:
  const ScanOptions& options_;
  std::optional<std::chrono::steady_clock::time_point> end_;
  double limit_seconds_ = 0;
};

}  // namespace clearcut::scan
