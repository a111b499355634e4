#include "clearcut/media/ffmpeg/audio_reader.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>

#include "clearcut/media/ffmpeg/internal/ffmpeg_common.h"

namespace clearcut::media {
namespace {

using base::Error;
using base::ErrorCode;
using internal::av_error_text;
using internal::FormatContextPtr;
using internal::LogCapture;

struct SwrDeleter {
  void operator()(SwrContext* p) const { swr_free(&p); }
};
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;

struct ChannelLayout {
  AVChannelLayout layout{};
  ChannelLayout() = default;
  ChannelLayout(const ChannelLayout&) = delete;
  ChannelLayout& operator=(const ChannelLayout&) = delete;
  ~ChannelLayout() { av_channel_layout_uninit(&layout); }
};

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", seconds);
  return text;
}

AudioStreamInfo info_of(const AVStream* stream, bool is_default) {
  AudioStreamInfo info;
  const AVCodecParameters* par = stream->codecpar;
  info.stream_index = stream->index;
  info.codec = avcodec_get_name(par->codec_id);
  info.sample_rate = par->sample_rate;
  info.channels = par->ch_layout.nb_channels;
  if (const AVDictionaryEntry* e = av_dict_get(stream->metadata, "language", nullptr, 0)) {
    info.language = e->value;
  }
  if (stream->duration > 0 && stream->duration != AV_NOPTS_VALUE) {
    info.duration_seconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
  }
  info.default_stream = is_default;
  return info;
}

AudioFileInfo file_info(const AVFormatContext* format, const std::string& path, int best) {
  AudioFileInfo info;
  info.path = path;
  info.container = format->iformat->name;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* s = format->streams[i];
    if (s->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
      info.streams.push_back(info_of(s, static_cast<int>(i) == best));
    } else if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
               (s->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
      ++info.video_streams;  // an MP3's or M4A's cover art is not picture to play
    }
    if (const AVDictionaryEntry* e = av_dict_get(s->metadata, "timecode", nullptr, 0);
        e != nullptr && info.timecode.empty()) {
      info.timecode = e->value;
    }
  }
  if (const AVDictionaryEntry* e = av_dict_get(format->metadata, "timecode", nullptr, 0)) {
    info.timecode = e->value;
  }
  // FFmpeg's WAV demuxer gives bext's TimeReference as decimal text.
  if (const AVDictionaryEntry* e = av_dict_get(format->metadata, "time_reference", nullptr, 0)) {
    const std::string_view text = e->value;
    uint64_t samples = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), samples);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
      info.time_reference = samples;
    }
  }
  return info;
}

int interrupt_hook(void* opaque) {
  const auto* interrupted = static_cast<const std::function<bool()>*>(opaque);
  return (*interrupted)() ? 1 : 0;
}

// `interrupted`, when set, must outlive the context.
base::Result<FormatContextPtr> open_file(const std::string& path,
                                         const std::function<bool()>* interrupted = nullptr) {
  AVDictionary* options = nullptr;
  AVFormatContext* context = nullptr;
  if (interrupted != nullptr && *interrupted) {
    context = avformat_alloc_context();
    if (context == nullptr) {
      return Error(ErrorCode::kResourceExhausted, path + ": out of memory");
    }
    context->interrupt_callback =
        AVIOInterruptCB{&interrupt_hook, const_cast<std::function<bool()>*>(interrupted)};
  }
  auto opened = internal::open_input(path, nullptr, &options, context);
  av_dict_free(&options);
  return opened;
}

int best_audio_stream(AVFormatContext* format) {
  const int index = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  return index >= 0 ? index : -1;
}

// Decoding state of one call: demuxer, decoder, resampler and the output.
class Decoder {
 public:
  Decoder(std::string path, const AudioDecodeOptions& options)
      : path_(std::move(path)), options_(options) {}

  base::Result<DecodedAudio> run();

 private:
  base::Status open();
  base::Status open_resampler(const AVFrame& frame);
  base::Status take(const AVFrame& frame);
  base::Status append_converted(int count);
  base::Status receive_all();
  base::Status flush_resampler();
  Error data_loss(const std::string& what) const;
  double time_reached() const;

  std::string path_;
  AudioDecodeOptions options_;
  FormatContextPtr format_;
  internal::CodecContextPtr decoder_;
  AVStream* stream_ = nullptr;
  SwrPtr swr_;
  int swr_rate_ = 0;
  int swr_format_ = -1;
  int channels_ = 0;
  std::vector<float*> planes_;
  std::vector<std::vector<float>> plane_storage_;
  int64_t origin_pts_ = AV_NOPTS_VALUE;  // the file's time 0, in the stream's time base
  bool started_ = false;
  int64_t max_samples_ = 0;
  DecodedAudio out_;
};

base::Status Decoder::open() {
  if (options_.sample_rate < 1000 || options_.sample_rate > 192000) {
    return base::invalid_argument("sample_rate: expected 1000 to 192000 Hz, got " +
                                  std::to_string(options_.sample_rate))
        .with_field("sample_rate");
  }
  if (!(options_.max_seconds > 0.0)) {
    return base::invalid_argument("max_seconds: expected a positive duration")
        .with_field("max_seconds");
  }
  format_ = CC_TRY(open_file(path_, &options_.interrupted));
  const int best = best_audio_stream(format_.get());
  int index = options_.stream_index;
  if (index < 0) {
    index = best;
  }
  if (index < 0 || index >= static_cast<int>(format_->nb_streams) ||
      format_->streams[index]->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) {
    const AudioFileInfo info = file_info(format_.get(), path_, best);
    std::string what = info.streams.empty() ? "no audio stream"
                                            : "stream " + std::to_string(options_.stream_index) +
                                                  " is not an audio stream";
    what += " (the file has " + std::to_string(info.streams.size()) + " audio, " +
            std::to_string(info.video_streams) + " video and " +
            std::to_string(format_->nb_streams - info.streams.size() -
                           static_cast<unsigned>(info.video_streams)) +
            " other stream(s))";
    return Error(ErrorCode::kUnsupported, path_ + ": " + what).with_field("stream_index");
  }
  stream_ = format_->streams[index];
  for (unsigned i = 0; i < format_->nb_streams; ++i) {
    if (static_cast<int>(i) != index) {
      format_->streams[i]->discard = AVDISCARD_ALL;
    }
  }
  decoder_ = CC_TRY(internal::open_decoder(stream_, 1, path_));
  out_.stream = info_of(stream_, index == best);
  out_.path = path_;
  out_.sample_rate = options_.sample_rate;
  max_samples_ = static_cast<int64_t>(options_.max_seconds * options_.sample_rate);
  // Time 0 is the start of the file, as pictures count it (the earliest stream's start).
  if (format_->start_time != AV_NOPTS_VALUE) {
    origin_pts_ =
        av_rescale_q(format_->start_time, AVRational{1, AV_TIME_BASE}, stream_->time_base);
  } else if (stream_->start_time != AV_NOPTS_VALUE) {
    origin_pts_ = stream_->start_time;
  }
  return {};
}

base::Status Decoder::open_resampler(const AVFrame& frame) {
  ChannelLayout in;
  if (frame.ch_layout.nb_channels <= 0) {
    return Error(ErrorCode::kDataLoss, path_ + ": a decoded frame has no channels");
  }
  if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    av_channel_layout_default(&in.layout, frame.ch_layout.nb_channels);
  } else if (av_channel_layout_copy(&in.layout, &frame.ch_layout) < 0) {
    return Error(ErrorCode::kResourceExhausted, path_ + ": out of memory");
  }
  channels_ = in.layout.nb_channels;
  SwrContext* raw = nullptr;
  // Each channel resampled as it is (planar float, same layout); the downmix is ours, a plain
  // average, so that the level does not depend on FFmpeg's rematrixing rules.
  int ret =
      swr_alloc_set_opts2(&raw, &in.layout, AV_SAMPLE_FMT_FLTP, options_.sample_rate, &in.layout,
                          static_cast<AVSampleFormat>(frame.format), frame.sample_rate, 0, nullptr);
  SwrPtr swr(raw);
  if (ret < 0 || !swr) {
    return Error(ErrorCode::kUnsupported,
                 path_ + ": cannot resample this audio: " + av_error_text(ret));
  }
  ret = swr_init(swr.get());
  if (ret < 0) {
    return Error(ErrorCode::kUnsupported,
                 path_ + ": cannot resample this audio: " + av_error_text(ret));
  }
  swr_ = std::move(swr);
  swr_rate_ = frame.sample_rate;
  swr_format_ = frame.format;
  return {};
}

double Decoder::time_reached() const {
  return out_.start_seconds +
         static_cast<double>(out_.samples.size()) / static_cast<double>(options_.sample_rate);
}

Error Decoder::data_loss(const std::string& what) const {
  return Error(ErrorCode::kDataLoss, path_ + ": audio stream " + std::to_string(stream_->index) +
                                         " at " + seconds_text(time_reached()) + ": " + what)
      .with_field("stream[" + std::to_string(stream_->index) + "]");
}

base::Status Decoder::append_converted(int count) {
  if (count <= 0) {
    return {};
  }
  const float scale = 1.0f / static_cast<float>(channels_);
  const size_t before = out_.samples.size();
  if (static_cast<int64_t>(before) + count > max_samples_) {
    return Error(ErrorCode::kResourceExhausted, path_ + ": audio longer than the " +
                                                    seconds_text(options_.max_seconds) +
                                                    " allowed (max_seconds)")
        .with_field("max_seconds");
  }
  out_.samples.resize(before + static_cast<size_t>(count));
  float* dst = out_.samples.data() + before;
  for (int i = 0; i < count; ++i) {
    float sum = 0.0f;
    for (int c = 0; c < channels_; ++c) {
      sum += planes_[static_cast<size_t>(c)][i];
    }
    dst[i] = sum * scale;
  }
  return {};
}

base::Status Decoder::take(const AVFrame& frame) {
  if (frame.sample_rate <= 0) {
    return data_loss("a decoded frame has no sample rate");
  }
  if (swr_ && (frame.sample_rate != swr_rate_ || frame.format != swr_format_ ||
               frame.ch_layout.nb_channels != channels_)) {
    // The stream changed its parameters (it may, between packets): drain and start anew.
    CC_TRY(flush_resampler());
    swr_.reset();
  }
  if (!swr_) {
    CC_TRY(open_resampler(frame));
  }
  const int64_t pts = frame.best_effort_timestamp;
  if (!started_) {
    started_ = true;
    if (pts != AV_NOPTS_VALUE) {
      const int64_t origin = origin_pts_ != AV_NOPTS_VALUE ? origin_pts_ : pts;
      out_.start_seconds = static_cast<double>(pts - origin) * av_q2d(stream_->time_base);
    }
    if (origin_pts_ == AV_NOPTS_VALUE) {
      origin_pts_ = pts;
    }
  } else if (pts != AV_NOPTS_VALUE && origin_pts_ != AV_NOPTS_VALUE) {
    // Where this frame belongs, against where the output (with what the resampler holds) ends:
    // a gap of more than 10 ms becomes silence. Overlaps are left alone (decoders' priming).
    const double at = static_cast<double>(pts - origin_pts_) * av_q2d(stream_->time_base);
    const int64_t expected = std::llround((at - out_.start_seconds) * options_.sample_rate);
    const int64_t written =
        static_cast<int64_t>(out_.samples.size()) + swr_get_delay(swr_.get(), options_.sample_rate);
    if (expected - written > options_.sample_rate / 100) {
      const int64_t gap = expected - written;
      if (static_cast<int64_t>(out_.samples.size()) + gap > max_samples_) {
        return Error(ErrorCode::kResourceExhausted, path_ + ": audio longer than the " +
                                                        seconds_text(options_.max_seconds) +
                                                        " allowed (max_seconds)")
            .with_field("max_seconds");
      }
      out_.samples.resize(out_.samples.size() + static_cast<size_t>(gap), 0.0f);
      out_.padded_samples += gap;
    }
  }
  const int capacity = swr_get_out_samples(swr_.get(), frame.nb_samples);
  if (capacity < 0) {
    return data_loss("cannot resample: " + av_error_text(capacity));
  }
  plane_storage_.resize(static_cast<size_t>(channels_));
  planes_.resize(static_cast<size_t>(channels_));
  for (int c = 0; c < channels_; ++c) {
    plane_storage_[static_cast<size_t>(c)].resize(static_cast<size_t>(capacity) + 16);
    planes_[static_cast<size_t>(c)] = plane_storage_[static_cast<size_t>(c)].data();
  }
  const int converted =
      swr_convert(swr_.get(), reinterpret_cast<uint8_t**>(planes_.data()), capacity + 16,
                  const_cast<const uint8_t**>(frame.extended_data), frame.nb_samples);
  if (converted < 0) {
    return data_loss("cannot resample: " + av_error_text(converted));
  }
  return append_converted(converted);
}

base::Status Decoder::flush_resampler() {
  if (!swr_) {
    return {};
  }
  for (;;) {
    const int capacity = std::max(swr_get_out_samples(swr_.get(), 0), 0) + 256;
    plane_storage_.resize(static_cast<size_t>(channels_));
    planes_.resize(static_cast<size_t>(channels_));
    for (int c = 0; c < channels_; ++c) {
      plane_storage_[static_cast<size_t>(c)].resize(static_cast<size_t>(capacity));
      planes_[static_cast<size_t>(c)] = plane_storage_[static_cast<size_t>(c)].data();
    }
    const int converted =
        swr_convert(swr_.get(), reinterpret_cast<uint8_t**>(planes_.data()), capacity, nullptr, 0);
    if (converted < 0) {
      return data_loss("cannot resample: " + av_error_text(converted));
    }
    if (converted == 0) {
      return {};
    }
    CC_TRY(append_converted(converted));
  }
}

base::Status Decoder::receive_all() {
  internal::FramePtr frame(av_frame_alloc());
  if (!frame) {
    return Error(ErrorCode::kResourceExhausted, path_ + ": out of memory");
  }
  for (;;) {
    int ret;
    std::string detail;
    {
      LogCapture capture;
      ret = avcodec_receive_frame(decoder_.get(), frame.get());
      detail = capture.last_message();
    }
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
      return {};
    }
    if (ret < 0) {
      return data_loss("decode error: " + av_error_text(ret) +
                       (detail.empty() ? "" : " (" + detail + ")"));
    }
    if ((frame->flags & AV_FRAME_FLAG_CORRUPT) != 0 || frame->decode_error_flags != 0) {
      return data_loss("the decoder reports a corrupt frame (damaged data)");
    }
    base::Status taken = take(*frame);
    av_frame_unref(frame.get());
    CC_TRY(std::move(taken));
  }
}

base::Result<DecodedAudio> Decoder::run() {
  CC_TRY(open());
  internal::PacketPtr packet(av_packet_alloc());
  if (!packet) {
    return Error(ErrorCode::kResourceExhausted, path_ + ": out of memory");
  }
  for (;;) {
    if (options_.interrupted && options_.interrupted()) {
      return Error(ErrorCode::kUnavailable, path_ + ": interrupted");
    }
    int ret;
    std::string failure;
    {
      LogCapture capture(format_.get());
      ret = av_read_frame(format_.get(), packet.get());
      if (ret < 0) {
        if (ret != AVERROR_EOF) {
          failure = "cannot read the file: " + av_error_text(ret);
        } else if (format_->pb != nullptr && format_->pb->error < 0) {
          failure = "read error: " + av_error_text(format_->pb->error);
        } else if (capture.demuxer_warned()) {
          failure = "the file ends early (truncated or damaged)";
        }
        if (!failure.empty() && !capture.last_message().empty()) {
          failure += " (" + capture.last_message() + ")";
        }
      }
    }
    if (ret < 0) {
      if (!failure.empty()) {
        return data_loss(failure);
      }
      break;
    }
    if (packet->stream_index != stream_->index) {
      av_packet_unref(packet.get());
      continue;
    }
    if ((packet->flags & AV_PKT_FLAG_CORRUPT) != 0) {
      av_packet_unref(packet.get());
      return data_loss("corrupt packet (truncated or damaged file)");
    }
    {
      LogCapture capture;
      ret = avcodec_send_packet(decoder_.get(), packet.get());
      av_packet_unref(packet.get());
      if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_INVALIDDATA) {
        return data_loss("decode error: " + av_error_text(ret));
      }
      if (ret == AVERROR_INVALIDDATA) {
        // One undecodable packet (an MP3 frame cut short): decoders resynchronise, but the
        // audio is damaged there.
        return data_loss(
            "undecodable packet (truncated or damaged file)" +
            (capture.last_message().empty() ? std::string() : " (" + capture.last_message() + ")"));
      }
    }
    CC_TRY(receive_all());
  }
  avcodec_send_packet(decoder_.get(), nullptr);
  CC_TRY(receive_all());
  CC_TRY(flush_resampler());
  if (!started_) {
    return Error(ErrorCode::kDataLoss, path_ + ": audio stream " + std::to_string(stream_->index) +
                                           " holds no decodable audio")
        .with_field("stream[" + std::to_string(stream_->index) + "]");
  }
  // A stream that ends well before the container says it should was cut short. Only a
  // duration the container states counts: one FFmpeg estimated from the bitrate (an MP3 without
  // a Xing header, VBR) may be seconds off either way.
  if (out_.stream.duration_seconds &&
      format_->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE) {
    const double expected_end = *out_.stream.duration_seconds;
    const double decoded = out_.duration_seconds();
    if (decoded + 0.5 < expected_end) {
      return data_loss("the stream ends after " + seconds_text(decoded) + " of the " +
                       seconds_text(expected_end) + " its container declares (truncated file)");
    }
  }
  return std::move(out_);
}

}  // namespace

base::Result<AudioFileInfo> probe_audio(const std::string& path) {
  FormatContextPtr format = CC_TRY(open_file(path));
  return file_info(format.get(), path, best_audio_stream(format.get()));
}

base::Result<DecodedAudio> decode_audio(const std::string& path,
                                        const AudioDecodeOptions& options) {
  Decoder decoder(path, options);
  return decoder.run();
}

}  // namespace clearcut::media
