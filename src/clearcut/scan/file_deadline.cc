#include "clearcut/scan/file_deadline.h"

#include <cstdio>

namespace clearcut::scan {

FileDeadline::FileDeadline(const ScanOptions& options, uint64_t bytes) : options_(options) {
  if (options.file_time_limit_seconds > 0) {
    limit_seconds_ = options.file_time_limit_seconds +
                     options.file_seconds_per_gib * static_cast<double>(bytes) / (1 << 30);
    end_ = std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(
               std::chrono::duration<double>(limit_seconds_));
  }
}

std::optional<std::string> FileDeadline::stopped_text() const {
  if (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed)) {
    return "the scan was stopped";
  }
  if (end_ && std::chrono::steady_clock::now() >= *end_) {
    char text[128];
    std::snprintf(text, sizeof text,
                  "abandoned: the file took longer than its time limit of %.0f s", limit_seconds_);
    return std::string(text);
  }
  return std::nullopt;
}

media::VideoReaderOptions FileDeadline::reader_options() const {
  media::VideoReaderOptions reader;
  reader.thread_count = options_.threads;
  const FileGate& gate = options_.files;
  reader.open_file = [&gate](const std::string& path) -> base::Result<int> {
    OpenedFile file = CC_TRY(gate.open(path));
    return file.release();
  };
  reader.interrupted = [this] {
    return stopped_text().has_value();
  };
  return reader;
}

}  // namespace clearcut::scan
