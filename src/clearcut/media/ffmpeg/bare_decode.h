#pragma once

#include <cstdint>
#include <string>

#include "clearcut/base/result.h"

namespace clearcut::media {

// Decodes every frame of a file's best video stream with plain FFmpeg calls and does nothing
// with them (no timestamps, no luma view, no conversion): the physical limit a scan is measured
// against (bench/video_bench.cc). Same demuxer and decoder settings as VideoReader (frame and
// slice threading on `thread_count` threads). Returns the number of frames; fails as
// VideoReader::open does, or with kDataLoss on a decode error.
base::Result<int64_t> bare_decode(const std::string& path, int thread_count);

}  // namespace clearcut::media
