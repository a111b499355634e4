#include "clearcut/media/ffmpeg/video_reader.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/imgutils.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <utility>

#include "clearcut/media/ffmpeg/image_sequence.h"
#include "clearcut/media/ffmpeg/internal/ffmpeg_common.h"

namespace clearcut::media {
namespace {

using base::Error;
using base::ErrorCode;
using internal::av_error_text;
using internal::CodecContextPtr;
using internal::FormatContextPtr;
using internal::FramePtr;
using internal::LogCapture;
using internal::PacketPtr;

struct AvFreeDeleter {
  void operator()(uint8_t* p) const { av_free(p); }
};

Rational to_rational(AVRational r) {
  return Rational{r.num, r.den};
}

// Whether plane 0 of `format` is 8-bit luma (or grey), one byte a pixel: the decoder's buffer can
// be handed out as it is.
bool has_direct_luma(AVPixelFormat format) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
  if (d == nullptr || d->nb_components < 1) {
    return false;
  }
  constexpr uint64_t kNotLuma = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL |
                                AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL |
                                AV_PIX_FMT_FLAG_FLOAT | AV_PIX_FMT_FLAG_BAYER;
  const AVComponentDescriptor& y = d->comp[0];
  return (d->flags & kNotLuma) == 0 && y.plane == 0 && y.step == 1 && y.offset == 0 &&
         y.shift == 0 && y.depth == 8;
}

// Whether plane 0 of `format` holds luma (or grey) of 9 to 16 bits in 16-bit words (planar
// yuv4xxp10/12, ProRes's yuv422p10, semi-planar P010): it reduces to 8 bits by a shift, which
// keeps the source's levels (swscale would stretch broadcast-range luma to 0..255 for a grey
// output).
bool has_wide_luma(AVPixelFormat format) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
  if (d == nullptr || d->nb_components < 1) {
    return false;
  }
  constexpr uint64_t kNotLuma = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL |
                                AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL |
                                AV_PIX_FMT_FLAG_FLOAT | AV_PIX_FMT_FLAG_BAYER;
  const AVComponentDescriptor& y = d->comp[0];
  return (d->flags & kNotLuma) == 0 && y.plane == 0 && y.step == 2 && y.offset == 0 &&
         y.depth > 8 && y.shift + y.depth <= 16;
}

// Rounds each sample of a wide luma plane to 8 bits.
void reduce_wide_luma(const AVFrame& frame, uint8_t* out, int out_stride) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame.format));
  const int shift = d->comp[0].shift;
  const int drop = d->comp[0].depth - 8;
  const unsigned half = 1u << (drop - 1);
  const bool big_endian = (d->flags & AV_PIX_FMT_FLAG_BE) != 0;
  for (int y = 0; y < frame.height; ++y) {
    const uint8_t* in = frame.data[0] + static_cast<ptrdiff_t>(y) * frame.linesize[0];
    uint8_t* row = out + static_cast<ptrdiff_t>(y) * out_stride;
    for (int x = 0; x < frame.width; ++x) {
      const unsigned word = big_endian ? (unsigned{in[2 * x]} << 8) | in[2 * x + 1]
                                       : (unsigned{in[2 * x + 1]} << 8) | in[2 * x];
      const unsigned v = ((word >> shift) + half) >> drop;
      row[x] = static_cast<uint8_t>(v > 255 ? 255 : v);
    }
  }
}

bool is_full_range(AVPixelFormat format, AVColorRange range) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
  if (d == nullptr) {
    return range == AVCOL_RANGE_JPEG;
  }
  // RGB and grey sources are full range; yuvj* formats say so by name.
  if ((d->flags & AV_PIX_FMT_FLAG_RGB) != 0 || d->nb_components <= 2) {
    return true;
  }
  switch (format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ411P:
      return true;
    default:
      return range == AVCOL_RANGE_JPEG;
  }
}

std::string timecode_of(const AVFormatContext* format, const AVStream* video) {
  if (const AVDictionaryEntry* e = av_dict_get(video->metadata, "timecode", nullptr, 0)) {
    return e->value;
  }
  if (const AVDictionaryEntry* e = av_dict_get(format->metadata, "timecode", nullptr, 0)) {
    return e->value;
  }
  for (unsigned i = 0; i < format->nb_streams; ++i) {  // a MOV tmcd track, an MXF timecode
    if (const AVDictionaryEntry* e =
            av_dict_get(format->streams[i]->metadata, "timecode", nullptr, 0)) {
      return e->value;
    }
  }
  return "";
}

// The standard rate a measured one stands for. Containers with a millisecond clock (Matroska)
// make FFmpeg estimate 59.94 fps as 19001/317; the drop-frame flag and frame times need the
// exact 60000/1001. Rates further than 100 ppm from every standard one stay as they are.
Rational snap_to_standard_rate(AVRational rate) {
  static constexpr Rational kStandard[] = {
      {24000, 1001}, {24, 1},       {25, 1}, {30000, 1001}, {30, 1},        {48000, 1001}, {48, 1},
      {50, 1},       {60000, 1001}, {60, 1}, {100, 1},      {120000, 1001}, {120, 1}};
  if (rate.num <= 0 || rate.den <= 0) {
    return Rational{};
  }
  const double value = av_q2d(rate);
  for (const Rational& standard : kStandard) {
    if (std::abs(value / standard.to_double() - 1.0) < 1e-4) {
      return standard;
    }
  }
  return to_rational(rate);
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", seconds);
  return text;
}

}  // namespace

bool is_drop_frame_rate(Rational rate) {
  return rate == Rational{30000, 1001} || rate == Rational{60000, 1001};
}

struct VideoReader::Impl {
  VideoReaderOptions options;
  VideoStreamInfo info;
  FormatContextPtr format;
  CodecContextPtr decoder;
  AVStream* stream = nullptr;
  PacketPtr packet{av_packet_alloc()};
  FramePtr frame{av_frame_alloc()};
  std::optional<ImageSequence> sequence;

  enum class Phase { kReading, kDraining, kDone, kFailed };
  Phase phase = Phase::kReading;
  // A failure met while reading, reported once the frames decoded before it are out.
  std::optional<std::string> pending_failure;
  std::optional<double> pending_failure_time;
  std::optional<Error> failure;  // reported, and reported again on every later call

  int64_t decoded = 0;
  // After a seek: the next frame's index comes from its timestamp, and frames before
  // `seek_target` are decoded but not handed out.
  bool renumber = false;
  int64_t seek_target = -1;
  int64_t origin_pts = AV_NOPTS_VALUE;  // pts of time 0
  int64_t next_pts = AV_NOPTS_VALUE;    // extrapolated for frames without one
  bool zero_copy = false;

  // Conversion to 8-bit grey, when the decoder's plane 0 is not that.
  internal::SwsContextPtr sws;
  int sws_width = 0;
  int sws_height = 0;
  AVPixelFormat sws_format = AV_PIX_FMT_NONE;
  AVColorRange sws_range = AVCOL_RANGE_UNSPECIFIED;
  std::unique_ptr<uint8_t, AvFreeDeleter> grey;
  size_t grey_size = 0;

  // FFmpeg's own io_open, which open_file_hook calls with the /proc path of options.open_file's
  // descriptor; and why options.open_file refused a file, for the error message.
  int (*ffmpeg_io_open)(AVFormatContext*, AVIOContext**, const char*, int,
                        AVDictionary**) = nullptr;
  std::string refusal;

  static int interrupt_hook(void* opaque);
  static int open_file_hook(AVFormatContext* s, AVIOContext** pb, const char* url, int flags,
                            AVDictionary** io_options);

  base::Status init(const std::string& path, const AVInputFormat* input_format,
                    AVDictionary** demuxer_options);
  base::Result<std::optional<VideoFrame>> next();
  base::Result<std::optional<VideoFrame>> seek_to_frame(int64_t target);
  // Reads a packet and sends it to the decoder; an error stops reading at once.
  base::Status feed();
  void start_draining(std::string failure, int64_t pts);
  base::Result<std::optional<VideoFrame>> finish();
  int64_t advance_timestamps();
  base::Result<VideoFrame> make_frame(int64_t index, int64_t pts);
  base::Result<LumaView> luma_of_frame();
  Error fail(Error error);
  Error failure_at(int64_t index, const std::string& what, std::optional<double> time) const;
  double seconds_of(int64_t pts) const;
};

base::Status VideoReader::Impl::init(const std::string& path, const AVInputFormat* input_format,
                                     AVDictionary** demuxer_options) {
  if (!packet || !frame) {
    return Error(ErrorCode::kResourceExhausted, path + ": out of memory");
  }
  if (options.frame_stride < 1) {
    return base::invalid_argument("frame_stride must be at least 1");
  }
  AVFormatContext* context = nullptr;
  if (options.open_file || options.interrupted) {
    context = avformat_alloc_context();
    if (context == nullptr) {
      return Error(ErrorCode::kResourceExhausted, path + ": out of memory");
    }
    context->opaque = this;  // Impl stays where it is: the reader holds it by pointer
    if (options.interrupted) {
      context->interrupt_callback = AVIOInterruptCB{&Impl::interrupt_hook, this};
    }
    if (options.open_file) {
      ffmpeg_io_open = context->io_open;
      context->io_open = &Impl::open_file_hook;
    }
  }
  auto opened = internal::open_input(path, input_format, demuxer_options, context);
  if (!opened.has_value()) {
    if (!refusal.empty()) {
      return Error(ErrorCode::kPermissionDenied, path + ": " + refusal);
    }
    return std::move(opened).error();
  }
  format = std::move(*opened);
  const int index = CC_TRY(internal::find_video_stream(format.get(), path));
  stream = format->streams[index];
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != index) {
      format->streams[i]->discard = AVDISCARD_ALL;  // the demuxer may skip them
    }
  }
  decoder = CC_TRY(internal::open_decoder(stream, options.thread_count, path));

  const AVCodecParameters* par = stream->codecpar;
  if (par->width <= 0 || par->height <= 0) {
    return Error(ErrorCode::kUnsupported, path + ": the video stream has no picture size");
  }
  info.path = path;
  info.container = format->iformat->name;
  info.codec = avcodec_get_name(par->codec_id);
  const auto pix_fmt = static_cast<AVPixelFormat>(par->format);
  const char* pix_fmt_name = av_get_pix_fmt_name(pix_fmt);
  info.pixel_format = pix_fmt_name != nullptr ? pix_fmt_name : "";
  if (const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(pix_fmt)) {
    info.bit_depth = d->comp[0].depth;
  }
  info.full_range = is_full_range(pix_fmt, par->color_range);
  info.stream_index = index;
  info.width = par->width;
  info.height = par->height;
  const AVRational sar = av_guess_sample_aspect_ratio(format.get(), stream, nullptr);
  info.sample_aspect_ratio = sar.num > 0 ? to_rational(sar) : Rational{};
  info.frame_rate = snap_to_standard_rate(av_guess_frame_rate(format.get(), stream, nullptr));
  info.time_base = to_rational(stream->time_base);
  if (stream->duration > 0 && stream->duration != AV_NOPTS_VALUE) {
    info.duration_seconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
  } else if (format->duration > 0) {
    info.duration_seconds = static_cast<double>(format->duration) / AV_TIME_BASE;
  }
  if (stream->nb_frames > 0) {
    info.frame_count = stream->nb_frames;
  } else if (stream->duration > 0 && stream->duration != AV_NOPTS_VALUE &&
             info.frame_rate.known() && stream->time_base.num == info.frame_rate.den &&
             stream->time_base.den == info.frame_rate.num) {
    info.frame_count = stream->duration;  // one tick a frame (MXF edit units)
  }
  info.drop_frame = is_drop_frame_rate(info.frame_rate);
  info.start_timecode = timecode_of(format.get(), stream);
  if (stream->start_time != AV_NOPTS_VALUE) {
    origin_pts = stream->start_time;
  }
  return {};
}

int VideoReader::Impl::interrupt_hook(void* opaque) {
  const Impl* impl = static_cast<const Impl*>(opaque);
  return impl->options.interrupted && impl->options.interrupted() ? 1 : 0;
}

int VideoReader::Impl::open_file_hook(AVFormatContext* s, AVIOContext** pb, const char* url,
                                      int flags, AVDictionary** io_options) {
  Impl* impl = static_cast<Impl*>(s->opaque);
  std::string path(url);
  if (path.rfind("file:", 0) == 0) {
    path.erase(0, 5);
  }
  if ((flags & AVIO_FLAG_WRITE) != 0) {
    impl->refusal = "the reader writes no files";
    return AVERROR(EPERM);
  }
  auto fd = impl->options.open_file(path);
  if (!fd.has_value()) {
    impl->refusal = fd.error().message();
    return AVERROR(EPERM);
  }
  // The same open file, whatever `path` names by now: FFmpeg opens it through the descriptor.
  const std::string proxy = "file:/proc/self/fd/" + std::to_string(*fd);
  const int ret = impl->ffmpeg_io_open(s, pb, proxy.c_str(), flags, io_options);
  ::close(*fd);
  return ret;
}

double VideoReader::Impl::seconds_of(int64_t pts) const {
  const int64_t origin = origin_pts == AV_NOPTS_VALUE ? 0 : origin_pts;
  return static_cast<double>(pts - origin) * av_q2d(stream->time_base);
}

Error VideoReader::Impl::fail(Error error) {
  phase = Phase::kFailed;
  failure = error;
  av_frame_unref(frame.get());
  return error;
}

Error VideoReader::Impl::failure_at(int64_t index, const std::string& what,
                                    std::optional<double> time) const {
  if (!time && info.frame_rate.known()) {
    time = static_cast<double>(index) / info.frame_rate.to_double();
  }
  std::string message = info.path + ": frame " + std::to_string(index);
  if (time) {
    message += " (" + seconds_text(*time) + ")";
  }
  message += ": " + what + "; " + std::to_string(index) + " frame(s) before it decoded";
  return Error(ErrorCode::kDataLoss, std::move(message))
      .with_field("frame[" + std::to_string(index) + "]");
}

void VideoReader::Impl::start_draining(std::string failure_text, int64_t pts) {
  if (!failure_text.empty() && !pending_failure) {
    pending_failure = std::move(failure_text);
    if (pts != AV_NOPTS_VALUE) {
      pending_failure_time = seconds_of(pts);
    }
  }
  // Flushing hands out the frames still inside the decoder (frame threads hold several).
  avcodec_send_packet(decoder.get(), nullptr);
  phase = Phase::kDraining;
}

base::Status VideoReader::Impl::feed() {
  for (;;) {
    LogCapture capture(format.get());
    int ret = av_read_frame(format.get(), packet.get());
    if (ret < 0) {
      std::string failure_text;
      if (ret != AVERROR_EOF) {
        failure_text = "cannot read the file: " + av_error_text(ret);
      } else if (format->pb != nullptr && format->pb->error < 0) {
        failure_text = "read error: " + av_error_text(format->pb->error);
      } else if (capture.demuxer_warned()) {
        // A demuxer that warns as it meets the end (Matroska's "File ended prematurely") has
        // found the file shorter than its own structure says: truncated.
        failure_text = "the file ends early (truncated or damaged)";
      }
      if (!failure_text.empty() && !capture.last_message().empty()) {
        failure_text += " (" + capture.last_message() + ")";
      }
      if (!refusal.empty()) {
        failure_text = refusal;  // an image sequence's frame that open_file refused
      }
      start_draining(std::move(failure_text), AV_NOPTS_VALUE);
      return {};
    }
    if (packet->stream_index != stream->index) {
      av_packet_unref(packet.get());
      continue;
    }
    const int64_t pts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
    if ((packet->flags & AV_PKT_FLAG_CORRUPT) != 0) {
      av_packet_unref(packet.get());
      std::string text = "corrupt packet (truncated or damaged file)";
      if (!capture.last_message().empty()) {
        text += " (" + capture.last_message() + ")";
      }
      start_draining(std::move(text), pts);
      return {};
    }
    ret = avcodec_send_packet(decoder.get(), packet.get());
    av_packet_unref(packet.get());
    if (ret < 0 && ret != AVERROR(EAGAIN)) {
      // No draining: with frame threading the error surfaces in decoding order, when the bad
      // frame's turn comes, and the frames still in flight come after it. Which frame failed
      // is then known only as the next one due (its packet's pts is not this packet's).
      std::string text = "decode error: " + av_error_text(ret);
      if (!capture.last_message().empty()) {
        text += " (" + capture.last_message() + ")";
      }
      return failure_at(decoded, text, std::nullopt);
    }
    return {};
  }
}

base::Result<std::optional<VideoFrame>> VideoReader::Impl::finish() {
  if (pending_failure) {
    return fail(failure_at(decoded, *pending_failure, pending_failure_time));
  }
  if (sequence && decoded < sequence->span()) {
    const int64_t number = sequence->first_number + decoded;
    return fail(failure_at(
        decoded,
        "image sequence file number " + std::to_string(number) + " is missing or unreadable",
        std::nullopt));
  }
  phase = Phase::kDone;
  return std::optional<VideoFrame>();
}

base::Result<std::optional<VideoFrame>> VideoReader::Impl::next() {
  av_frame_unref(frame.get());
  for (;;) {
    if (phase == Phase::kFailed) {
      return *failure;
    }
    if (phase == Phase::kDone) {
      return std::optional<VideoFrame>();
    }
    int ret;
    std::string detail;
    {
      LogCapture capture;
      ret = avcodec_receive_frame(decoder.get(), frame.get());
      detail = capture.last_message();
    }
    if (ret == 0) {
      if (renumber) {
        renumber = false;
        const int64_t pts = frame->best_effort_timestamp;
        if (pts == AV_NOPTS_VALUE) {
          return fail(Error(ErrorCode::kUnsupported,
                            info.path + ": frames without timestamps cannot be found by seeking"));
        }
        decoded = std::max<int64_t>(0, std::llround(seconds_of(pts) * info.frame_rate.to_double()));
      }
      const int64_t index = decoded++;
      if ((frame->flags & AV_FRAME_FLAG_CORRUPT) != 0 || frame->decode_error_flags != 0) {
        const int64_t pts = frame->best_effort_timestamp;
        return fail(failure_at(
            index, "the decoder reports a corrupt frame (damaged data)",
            pts != AV_NOPTS_VALUE ? std::optional<double>(seconds_of(pts)) : std::nullopt));
      }
      const int64_t pts = advance_timestamps();  // skipped frames count, too
      if (seek_target >= 0) {
        if (index < seek_target) {
          av_frame_unref(frame.get());
          continue;
        }
        seek_target = -1;  // the frame sought is handed out whatever the stride
      } else if (index % options.frame_stride != 0) {
        av_frame_unref(frame.get());
        continue;
      }
      auto made = make_frame(index, pts);
      if (!made.has_value()) {
        return fail(std::move(made).error());
      }
      return std::optional<VideoFrame>(*made);
    }
    if (ret == AVERROR_EOF) {
      return finish();
    }
    if (ret != AVERROR(EAGAIN)) {
      std::string text = "decode error: " + av_error_text(ret);
      if (!detail.empty()) {
        text += " (" + detail + ")";
      }
      return fail(failure_at(decoded, text, std::nullopt));
    }
    if (phase == Phase::kDraining) {  // a flushed decoder owes no more input; be safe
      return finish();
    }
    base::Status fed = feed();
    if (!fed.has_value()) {
      return fail(std::move(fed).error());
    }
  }
}

base::Result<std::optional<VideoFrame>> VideoReader::Impl::seek_to_frame(int64_t target) {
  if (target < 0) {
    return base::invalid_argument("cannot seek to frame " + std::to_string(target));
  }
  if (!info.frame_rate.known()) {
    return Error(ErrorCode::kUnsupported, info.path + ": no frame rate to seek by");
  }
  const AVRational rate{info.frame_rate.num, info.frame_rate.den};
  const int64_t origin = origin_pts != AV_NOPTS_VALUE ? origin_pts : 0;
  const int64_t target_pts = origin + av_rescale_q(target, av_inv_q(rate), stream->time_base);
  int ret;
  {
    LogCapture capture(format.get());
    ret = av_seek_frame(format.get(), stream->index, target_pts, AVSEEK_FLAG_BACKWARD);
  }
  if (ret < 0) {
    return Error(ErrorCode::kUnsupported, info.path + ": cannot seek to frame " +
                                              std::to_string(target) + ": " + av_error_text(ret));
  }
  // The decoder drops what it holds from before the seek; reading starts afresh.
  avcodec_flush_buffers(decoder.get());
  av_frame_unref(frame.get());
  phase = Phase::kReading;
  pending_failure.reset();
  pending_failure_time.reset();
  failure.reset();
  next_pts = AV_NOPTS_VALUE;
  renumber = true;
  seek_target = target;
  auto found = next();
  seek_target = -1;
  return found;
}

int64_t VideoReader::Impl::advance_timestamps() {
  int64_t pts = frame->best_effort_timestamp;
  if (pts == AV_NOPTS_VALUE) {
    pts = next_pts != AV_NOPTS_VALUE ? next_pts : 0;
  }
  if (origin_pts == AV_NOPTS_VALUE) {
    origin_pts = pts;
  }
  int64_t duration = frame->pkt_duration;
  if (duration <= 0 && info.frame_rate.known()) {
    duration = av_rescale_q(1, av_inv_q(AVRational{info.frame_rate.num, info.frame_rate.den}),
                            stream->time_base);
  }
  next_pts = pts + std::max<int64_t>(duration, 1);
  return pts;
}

base::Result<VideoFrame> VideoReader::Impl::make_frame(int64_t index, int64_t pts) {
  VideoFrame out;
  out.index = index;
  out.pts = pts;
  out.time_seconds = seconds_of(pts);
  out.key_frame = frame->key_frame != 0;
  out.luma = CC_TRY(luma_of_frame());
  return out;
}

base::Result<LumaView> VideoReader::Impl::luma_of_frame() {
  const auto format_id = static_cast<AVPixelFormat>(frame->format);
  if (frame->width <= 0 || frame->height <= 0 || frame->data[0] == nullptr) {
    return Error(ErrorCode::kDataLoss, info.path + ": the decoder returned an empty picture");
  }
  zero_copy = has_direct_luma(format_id) && frame->linesize[0] > 0;
  if (zero_copy) {
    return LumaView{frame->data[0], frame->width, frame->height, frame->linesize[0]};
  }
  // Our own grey buffer: 64-byte aligned rows, as swscale's SIMD likes them.
  const int stride = (frame->width + 63) & ~63;
  const size_t size = static_cast<size_t>(stride) * static_cast<size_t>(frame->height);
  if (!grey || grey_size < size) {
    grey.reset(static_cast<uint8_t*>(av_malloc(size)));
    grey_size = grey ? size : 0;
    if (!grey) {
      return Error(ErrorCode::kResourceExhausted, info.path + ": out of memory");
    }
  }
  if (has_direct_luma(format_id)) {  // a bottom-up plane: copy it the right way up
    av_image_copy_plane(grey.get(), stride, frame->data[0], frame->linesize[0], frame->width,
                        frame->height);
    return LumaView{grey.get(), frame->width, frame->height, stride};
  }
  if (has_wide_luma(format_id)) {
    reduce_wide_luma(*frame, grey.get(), stride);
    return LumaView{grey.get(), frame->width, frame->height, stride};
  }
  if (!sws || sws_width != frame->width || sws_height != frame->height || sws_format != format_id ||
      sws_range != frame->color_range) {
    // Same size, so no scaling filter runs: RGB becomes BT.601 luma (PDQ's), palettes and
    // packed YUV are unpacked.
    sws.reset(sws_getContext(frame->width, frame->height, format_id, frame->width, frame->height,
                             AV_PIX_FMT_GRAY8, SWS_POINT, nullptr, nullptr, nullptr));
    if (!sws) {
      return Error(ErrorCode::kUnsupported,
                   info.path + ": cannot convert pixel format " +
                       (av_get_pix_fmt_name(format_id) ? av_get_pix_fmt_name(format_id) : "?") +
                       " to grey");
    }
    // YUV sources keep their luma levels (packed 8-bit 16..235 stays 16..235, as a planar one
    // handed out directly does); swscale would stretch them for a grey output.
    const bool src_full = is_full_range(format_id, frame->color_range);
    const bool rgb = (av_pix_fmt_desc_get(format_id)->flags & AV_PIX_FMT_FLAG_RGB) != 0;
    const int* coefficients = sws_getCoefficients(SWS_CS_ITU601);
    sws_setColorspaceDetails(sws.get(), coefficients, src_full ? 1 : 0, coefficients,
                             rgb || src_full ? 1 : 0, 0, 1 << 16, 1 << 16);
    sws_width = frame->width;
    sws_height = frame->height;
    sws_format = format_id;
    sws_range = frame->color_range;
  }
  uint8_t* dst[4] = {grey.get(), nullptr, nullptr, nullptr};
  const int dst_stride[4] = {stride, 0, 0, 0};
  const int rows =
      sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
  if (rows != frame->height) {
    return Error(ErrorCode::kInternal,
                 info.path + ": converting to grey failed: " + av_error_text(rows));
  }
  return LumaView{grey.get(), frame->width, frame->height, stride};
}

VideoReader::VideoReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoReader::VideoReader(VideoReader&&) noexcept = default;
VideoReader& VideoReader::operator=(VideoReader&&) noexcept = default;
VideoReader::~VideoReader() = default;

base::Result<VideoReader> VideoReader::open(const std::string& path,
                                            const VideoReaderOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  AVDictionary* demuxer_options = nullptr;
  base::Status status = impl->init(path, nullptr, &demuxer_options);
  av_dict_free(&demuxer_options);
  if (!status.has_value()) {
    return std::move(status).error();
  }
  return VideoReader(std::move(impl));
}

base::Result<VideoReader> VideoReader::open_image_sequence(const std::string& pattern,
                                                           const VideoReaderOptions& options) {
  if (!options.sequence_frame_rate.known()) {
    return base::invalid_argument("image sequence '" + pattern + "': no frame rate");
  }
  ImageSequence sequence = CC_TRY(find_image_sequence(pattern));
  const AVInputFormat* image2 = av_find_input_format("image2");
  if (image2 == nullptr) {
    return Error(ErrorCode::kUnsupported, "FFmpeg has no image2 demuxer");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  AVDictionary* demuxer_options = nullptr;
  const std::string rate = std::to_string(options.sequence_frame_rate.num) + "/" +
                           std::to_string(options.sequence_frame_rate.den);
  av_dict_set(&demuxer_options, "framerate", rate.c_str(), 0);
  av_dict_set(&demuxer_options, "pattern_type", "sequence", 0);
  av_dict_set(&demuxer_options, "start_number", std::to_string(sequence.first_number).c_str(), 0);
  base::Status status = impl->init(sequence.pattern, image2, &demuxer_options);
  av_dict_free(&demuxer_options);
  if (!status.has_value()) {
    return std::move(status).error();
  }
  VideoStreamInfo& info = impl->info;
  info.image_sequence = true;
  info.frame_rate = options.sequence_frame_rate;
  info.drop_frame = is_drop_frame_rate(info.frame_rate);
  info.frame_count = sequence.span();
  info.duration_seconds =
      static_cast<double>(sequence.span()) / options.sequence_frame_rate.to_double();
  impl->sequence = std::move(sequence);
  return VideoReader(std::move(impl));
}

const VideoStreamInfo& VideoReader::info() const {
  return impl_->info;
}

base::Result<std::optional<VideoFrame>> VideoReader::next() {
  return impl_->next();
}

base::Result<std::optional<VideoFrame>> VideoReader::seek_to_frame(int64_t index) {
  return impl_->seek_to_frame(index);
}

base::Status VideoReader::for_each(const std::function<base::Status(const VideoFrame&)>& on_frame) {
  for (;;) {
    std::optional<VideoFrame> frame = CC_TRY(impl_->next());
    if (!frame) {
      return {};
    }
    CC_TRY(on_frame(*frame));
  }
}

int64_t VideoReader::frames_decoded() const {
  return impl_->decoded;
}

bool VideoReader::last_frame_zero_copy() const {
  return impl_->zero_copy;
}

}  // namespace clearcut::media
