#include "clearcut/media/ffmpeg/internal/ffmpeg_common.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
}

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace clearcut::media::internal {
namespace {

using base::Error;
using base::ErrorCode;

thread_local LogCapture* t_capture = nullptr;
bool g_forward_log = false;

void log_callback(void* context, int level, const char* format, va_list args) {
  if (g_forward_log) {
    va_list copy;
    va_copy(copy, args);
    av_log_default_callback(context, level, format, copy);
    va_end(copy);
  }
  LogCapture* capture = t_capture;
  if (capture == nullptr || level > AV_LOG_WARNING) {
    return;
  }
  char line[512];
  int print_prefix = 0;
  av_log_format_line2(context, level, format, args, line, sizeof line, &print_prefix);
  std::string message(line);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  if (message.empty()) {
    return;
  }
  const AVClass* av_class =
      context != nullptr ? *static_cast<const AVClass* const*>(context) : nullptr;
  if (av_class != nullptr && av_class->item_name != nullptr) {
    message = std::string(av_class->item_name(context)) + ": " + message;
  }
  capture->record(context, std::move(message));
}

void install_log_callback() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_forward_log = std::getenv("CLEARCUT_FFMPEG_LOG") != nullptr;
    av_log_set_callback(log_callback);
  });
}

std::string with_detail(std::string message, const LogCapture& capture) {
  if (!capture.last_message().empty()) {
    message += " (" + capture.last_message() + ")";
  }
  return message;
}

}  // namespace

void FormatContextDeleter::operator()(AVFormatContext* p) const {
  avformat_close_input(&p);
}
void CodecContextDeleter::operator()(AVCodecContext* p) const {
  avcodec_free_context(&p);
}
void FrameDeleter::operator()(AVFrame* p) const {
  av_frame_free(&p);
}
void PacketDeleter::operator()(AVPacket* p) const {
  av_packet_free(&p);
}

void SwsContextDeleter::operator()(SwsContext* p) const {
  sws_freeContext(p);
}

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

LogCapture::LogCapture(const void* demuxer) : demuxer_(demuxer), previous_(t_capture) {
  install_log_callback();
  t_capture = this;
}

LogCapture::~LogCapture() {
  t_capture = previous_;
}

void LogCapture::record(const void* context, std::string message) {
  if (demuxer_ != nullptr && context == demuxer_) {
    demuxer_warned_ = true;
  }
  last_message_ = std::move(message);
}

base::Result<FormatContextPtr> open_input(const std::string& path, const AVInputFormat* format,
                                          AVDictionary** options, AVFormatContext* preallocated) {
  namespace fs = std::filesystem;
  FormatContextPtr owned(preallocated);  // freed on the early returns below
  if (format == nullptr) {               // image sequences are patterns, checked by their finder
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) {
      return Error(ErrorCode::kNotFound, path + ": no such file");
    }
    if (status.type() == fs::file_type::directory) {
      return Error(ErrorCode::kInvalidArgument, path + ": is a folder, not a media file");
    }
    if (ec) {
      return Error(ErrorCode::kUnavailable, path + ": " + ec.message());
    }
  }
  // Only local files: a path must not reach the network or FFmpeg's other protocols
  // (concat:, subfile:, ...), also not through a playlist inside the file. The "file:" prefix
  // keeps a ':' in a file name from reading as a protocol.
  av_dict_set(options, "protocol_whitelist", "file", 0);
  LogCapture capture;
  AVFormatContext* raw = owned.release();
  const std::string url = "file:" + path;
  int ret = avformat_open_input(&raw, url.c_str(), format, options);
  if (ret < 0) {
    ErrorCode code = ErrorCode::kUnsupported;
    if (ret == AVERROR(ENOENT)) {
      code = ErrorCode::kNotFound;
    } else if (ret == AVERROR(EACCES) || ret == AVERROR(EPERM)) {
      code = ErrorCode::kPermissionDenied;
    } else if (ret == AVERROR(EIO)) {
      code = ErrorCode::kUnavailable;
    }
    const std::string what = ret == AVERROR_INVALIDDATA
                                 ? "not a media file FFmpeg can read, or damaged"
                                 : av_error_text(ret);
    return Error(code, with_detail(path + ": cannot open: " + what, capture));
  }
  FormatContextPtr context(raw);
  ret = avformat_find_stream_info(context.get(), nullptr);
  if (ret < 0) {
    return Error(
        ErrorCode::kUnsupported,
        with_detail(path + ": cannot read stream information: " + av_error_text(ret), capture));
  }
  return context;
}

base::Result<int> find_video_stream(AVFormatContext* format, const std::string& path) {
  int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index >= 0 && (format->streams[index]->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
    index = -1;  // cover art; look for moving pictures
    for (unsigned i = 0; i < format->nb_streams; ++i) {
      const AVStream* s = format->streams[i];
      if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
          (s->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
        index = static_cast<int>(i);
        break;
      }
    }
  }
  if (index < 0) {
    return Error(
        ErrorCode::kUnsupported,
        path + ": no video stream (" + std::to_string(format->nb_streams) + " other stream(s))");
  }
  return index;
}

base::Result<CodecContextPtr> open_decoder(const AVStream* stream, int thread_count,
                                           const std::string& path) {
  const AVCodecParameters* par = stream->codecpar;
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (codec == nullptr) {
    return Error(ErrorCode::kUnsupported,
                 path + ": no decoder for codec '" + avcodec_get_name(par->codec_id) + "'");
  }
  CodecContextPtr context(avcodec_alloc_context3(codec));
  if (!context) {
    return Error(ErrorCode::kResourceExhausted, path + ": out of memory");
  }
  int ret = avcodec_parameters_to_context(context.get(), par);
  if (ret < 0) {
    return Error(ErrorCode::kUnsupported, path + ": bad codec parameters: " + av_error_text(ret));
  }
  context->pkt_timebase = stream->time_base;
  // A damaged or hostile header must not make the decoder allocate without bound: 2^27 pixels
  // is 16K x 8K, as media::decode_image allows.
  context->max_pixels = int64_t{1} << 27;
  context->thread_count = thread_count;
  context->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  LogCapture capture;
  ret = avcodec_open2(context.get(), codec, nullptr);
  if (ret < 0) {
    return Error(ErrorCode::kUnsupported, with_detail(path + ": cannot open the " + codec->name +
                                                          " decoder: " + av_error_text(ret),
                                                      capture));
  }
  return context;
}

}  // namespace clearcut::media::internal
