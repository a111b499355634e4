#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "clearcut/base/result.h"
#include "clearcut/media/luma_view.h"

namespace clearcut::media {

// A ratio of integers, as FFmpeg keeps frame rates and time bases. {0, 1} when unknown.
struct Rational {
  int num = 0;
  int den = 1;

  double to_double() const { return den == 0 ? 0.0 : static_cast<double>(num) / den; }
  bool known() const { return num > 0 && den > 0; }

  friend bool operator==(const Rational&, const Rational&) = default;
};

// What the reader knows about the video stream it decodes, from the container and the codec
// parameters, before the first frame.
struct VideoStreamInfo {
  std::string path;          // as opened (an image sequence: its printf pattern)
  std::string container;     // FFmpeg's demuxer name: "mov,mp4,m4a,3gp,3g2,mj2", "mxf", ...
  std::string codec;         // "h264", "prores", "mpeg2video", "png", ...
  std::string pixel_format;  // the decoder's: "yuv420p", "yuv422p10le", "rgb24", ...
  int stream_index = -1;     // in the container
  int width = 0;             // of the decoded picture (after the codec's cropping)
  int height = 0;
  Rational sample_aspect_ratio;  // {0, 1} when the container and codec do not say
  Rational frame_rate;           // nominal; for an image sequence the rate it was opened with
  Rational time_base;            // of the frames' pts
  std::optional<double> duration_seconds;
  std::optional<int64_t> frame_count;  // from the container's index; absent when unknown
  // NTSC drop-frame rates (30000/1001, 60000/1001), whose SMPTE timecode drops frame numbers.
  bool drop_frame = false;
  std::string start_timecode;  // the container's "timecode" tag ("01:00:00;00"), if any
  // Luma levels: true for 0..255 (JPEG-range video, RGB and grey sources), false for the
  // broadcast 16..235 of most video. Delivered luma keeps the source's levels.
  bool full_range = false;
  int bit_depth = 8;  // of the source's luma; delivered luma is always 8-bit
  bool image_sequence = false;
};

// One decoded frame: its luma and where it sits in the stream. The view borrows the reader's
// (usually the decoder's own) buffers and is valid until the reader moves on.
struct VideoFrame {
  LumaView luma;
  int64_t index = 0;          // 0-based, in presentation order, counting every decoded frame
  int64_t pts = 0;            // in the stream's time base (extrapolated when the frame has none)
  double time_seconds = 0.0;  // from the stream's start
  bool key_frame = false;
};

struct VideoReaderOptions {
  // Decoder threads (frame and slice threading); 0 lets FFmpeg pick one per core.
  int thread_count = 0;
  // Hand out every Nth frame (index % N == 0). All frames are still decoded (inter-coded video
  // cannot skip), but skipped ones cost no conversion and no callback.
  int frame_stride = 1;
  // Image sequences only: the rate their frames are timed at.
  Rational sequence_frame_rate{24, 1};
  // Opens each file FFmpeg reads (the video; each frame of an image sequence) in its place and
  // returns a descriptor of it, which the reader closes once FFmpeg has opened the same file
  // through /proc/self/fd; an error refuses the file (opening or reading it then fails with the
  // error's message). For callers that must check what they read (no symlinks, regular files
  // only). Unset: FFmpeg opens the paths itself.
  std::function<base::Result<int>(const std::string& path)> open_file{};
  // Polled while FFmpeg opens, probes and reads (AVFormatContext.interrupt_callback): true makes
  // the blocking call give up and the reader fail, which bounds how long a read can take.
  // Unset: never.
  std::function<bool()> interrupted{};
};

// Reads one video stream of a media file (any container FFmpeg demuxes: MP4, MOV, MXF, MKV,
// ...) or a numbered image sequence and hands out every frame's luma as 8-bit, without an RGB
// conversion: a view of the decoder's Y plane when it is 8-bit (8-bit YUV, grey), else the Y
// plane rounded to 8 bits (10- to 16-bit YUV), else a swscale conversion to grey (RGB,
// palettes, packed YUV). Luma keeps the source's levels (see VideoStreamInfo::full_range).
//
// Failures are Errors, never crashes: a missing path (kNotFound), a folder (kInvalidArgument),
// a file FFmpeg cannot read or one without video (kUnsupported). A decode or demux error, a
// corrupt packet or frame, or a stream that ends before its index says it should (a truncated
// file) stops reading with kDataLoss naming the frame where it happened, after every frame
// decoded before it was handed out; the reader then keeps returning that error.
//
// Not thread-safe: one reader per thread (decoding itself runs on `thread_count` threads).
// Only local files are read (FFmpeg's protocol whitelist is "file").
class VideoReader {
 public:
  static base::Result<VideoReader> open(const std::string& path,
                                        const VideoReaderOptions& options = {});
  // A numbered image sequence (PNG, JPEG, TIFF, DPX, EXR, ... as FFmpeg's image2 demuxer reads
  // them), named by a printf pattern (shot_%04d.png), a hash pattern (frame.####.exr) or any
  // one of its files (frame.0001.exr; the last run of digits in the name is the number). The
  // folder is listed to find the first and last numbers; a missing number in between ends
  // reading with a kDataLoss error at that frame.
  static base::Result<VideoReader> open_image_sequence(const std::string& pattern,
                                                       const VideoReaderOptions& options = {});

  VideoReader(VideoReader&&) noexcept;
  VideoReader& operator=(VideoReader&&) noexcept;
  ~VideoReader();

  const VideoStreamInfo& info() const;

  // The next frame (with the stride applied), or nullopt after the last one. The frame's view
  // stays valid until the next call or the reader's destruction.
  base::Result<std::optional<VideoFrame>> next();

  // Seeks to frame `index` (numbered as next() numbers frames from the start, at the nominal
  // frame rate) and returns it: the demuxer seeks to the keyframe at or before its time, and the
  // frames from there are decoded (not handed out) up to it. nullopt when the stream ends before
  // it. Frames are then numbered by their timestamps, and next() goes on after this one (with
  // the stride); a failure met before is forgotten (the part before it may be readable). When
  // the container's index lands past the frame, the first frame after it comes back: check its
  // `index`. Errors: kInvalidArgument (a negative index), kUnsupported (no frame rate, a
  // container that cannot seek, frames without timestamps), and those of next().
  base::Result<std::optional<VideoFrame>> seek_to_frame(int64_t index);

  // Calls `on_frame` for each remaining frame; the frame is valid during the call. Stops at the
  // first error, the callback's or the reader's, and returns it.
  base::Status for_each(const std::function<base::Status(const VideoFrame&)>& on_frame);

  // Frames decoded so far, handed out or skipped by the stride.
  int64_t frames_decoded() const;
  // Whether luma came straight from the decoder's buffers (no conversion) for the last frame.
  bool last_frame_zero_copy() const;

 private:
  struct Impl;
  explicit VideoReader(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

// The frame rate's SMPTE drop-frame property: true for 30000/1001 and 60000/1001.
bool is_drop_frame_rate(Rational rate);

}  // namespace clearcut::media
