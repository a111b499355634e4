#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "clearcut/base/result.h"

namespace clearcut::media {

// One decoded frame handed to a LumaEditor: its 8-bit luma, writable in place.
struct RewriteFrame {
  uint8_t* luma = nullptr;
  int width = 0;
  int height = 0;
  ptrdiff_t stride = 0;
  int64_t index = 0;          // 0-based, in presentation order
  double time_seconds = 0.0;  // from the stream's start
  bool full_range = false;    // luma levels 0..255 (else 16..235)
};

// Changes a frame's luma; an error stops the rewrite and is returned by rewrite_video.
using LumaEditor = std::function<base::Status(const RewriteFrame&)>;

struct VideoRewriteOptions {
  // libx264's constant rate factor. 16 keeps generated footage visually unchanged and keeps
  // the small changes an editor makes (a watermark) through the encode.
  int crf = 16;
  std::string preset = "medium";  // libx264's speed/size trade-off
  int thread_count = 0;           // decoder and encoder threads; 0: FFmpeg picks
};

struct VideoRewriteSummary {
  int64_t frames = 0;
  int width = 0;
  int height = 0;
  std::string pixel_format;   // what was encoded: "yuv420p", "yuv444p", ...
  int streams_copied = 0;     // audio and subtitle streams carried over packet for packet
  int streams_reencoded = 0;  // sound MP4 cannot hold as it is (PCM), carried as lossless ALAC
  int streams_dropped = 0;    // data, attachment and cover-art streams, subtitles MP4 cannot hold
};

// Writes a new MP4 at `output` whose video is `input`'s video stream decoded, passed frame by
// frame (in presentation order) to `edit`, and encoded again with libx264 (H.264). Audio and
// subtitle streams are copied packet for packet, except sound MP4 cannot hold as it is (PCM from
// a MOV, MXF or AVI), which is decoded and encoded again as ALAC, losslessly. Timestamps, frame
// rate, sample aspect ratio, colour properties and container and stream metadata are kept.
// 8-bit planar YUV (4:2:0, 4:2:2, 4:4:4, full or limited range) keeps its layout; deeper or
// packed sources become 8-bit at their chroma resolution (10-bit 4:2:2 as 4:2:2, 4:4:4 and RGB
// as 4:4:4), grey and the rest 8-bit 4:2:0. A frame whose size or format differs from the
// stream's is converted to the stream's.
//
// Errors: kNotFound, kInvalidArgument and kUnsupported as VideoReader::open gives them (no
// file, a folder, no video), kUnsupported (FFmpeg built without libx264), kDataLoss (a decode
// error in the input), kUnavailable (the output cannot be written), and `edit`'s own. On any
// error the output file is removed. Only local files are read. Thread-safe across calls.
base::Result<VideoRewriteSummary> rewrite_video(const std::string& input, const std::string& output,
                                                const VideoRewriteOptions& options,
                                                const LumaEditor& edit);

}  // namespace clearcut::media
