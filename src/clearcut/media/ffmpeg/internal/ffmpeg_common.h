#pragma once

// Shared by the .cc files of media/ffmpeg (the only folder that includes libav* headers): owning
// pointers for FFmpeg objects, error text, and the log capture that turns FFmpeg's log lines into
// parts of error messages.

#include <memory>
#include <string>

#include "clearcut/base/result.h"

// FFmpeg's types, declared so that this header includes no libav* header (only .cc files do).
struct AVCodecContext;
struct AVDictionary;
struct AVFormatContext;
struct AVFrame;
struct AVInputFormat;
struct AVPacket;
struct AVStream;
struct SwsContext;

namespace clearcut::media::internal {

struct FormatContextDeleter {
  void operator()(AVFormatContext* p) const;
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* p) const;
};
struct FrameDeleter {
  void operator()(AVFrame* p) const;
};
struct PacketDeleter {
  void operator()(AVPacket* p) const;
};
using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
struct SwsContextDeleter {
  void operator()(SwsContext* p) const;
};
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextDeleter>;

// FFmpeg's text for an AVERROR code.
std::string av_error_text(int code);

// Collects the warnings and errors FFmpeg logs on this thread while it is in scope (FFmpeg logs
// through one process-wide callback; this module installs it on first use and otherwise keeps
// FFmpeg quiet, unless CLEARCUT_FFMPEG_LOG is set in the environment). Messages from worker
// threads (frame-threaded decoding) are not seen. Nests.
class LogCapture {
 public:
  // `demuxer` is the format context whose own messages are told apart (demuxer_warned()).
  explicit LogCapture(const void* demuxer = nullptr);
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // The last warning or error, "source: text", or "".
  const std::string& last_message() const { return last_message_; }
  bool demuxer_warned() const { return demuxer_warned_; }

  // A warning or error `context` logged (called by the log callback).
  void record(const void* context, std::string message);

 private:
  const void* demuxer_;
  LogCapture* previous_;
  std::string last_message_;
  bool demuxer_warned_ = false;
};

// Opens `path` (a local file; only FFmpeg's "file" protocol is allowed) with the given input
// format (nullptr: probe) and demuxer options, and reads its stream information. `context`,
// when given, is one the caller allocated (avformat_alloc_context) to set callbacks on
// (interrupt_callback, io_open); open_input owns it from the call on, also when it fails.
base::Result<FormatContextPtr> open_input(const std::string& path, const AVInputFormat* format,
                                          AVDictionary** options,
                                          AVFormatContext* context = nullptr);

// The video stream to decode: FFmpeg's best, skipping cover art. kUnsupported without one.
base::Result<int> find_video_stream(AVFormatContext* format, const std::string& path);

// A decoder for `stream`, opened with `thread_count` threads (0: one per core), frame and
// slice threading.
base::Result<CodecContextPtr> open_decoder(const AVStream* stream, int thread_count,
                                           const std::string& path);

}  // namespace clearcut::media::internal
