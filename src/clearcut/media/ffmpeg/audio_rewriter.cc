#include "clearcut/media/ffmpeg/audio_rewriter.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

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

// An MP3 without a stated bit rate is encoded at the rate issue #18 measured the mark through.
constexpr int64_t kDefaultMp3BitRate = 128000;
// Samples per frame given to an encoder that takes any number (FLAC).
constexpr int kVariableFrameSize = 4096;

struct OutputContextDeleter {
  void operator()(AVFormatContext* p) const {
    if (p->pb != nullptr && (p->oformat->flags & AVFMT_NOFILE) == 0) {
      avio_closep(&p->pb);
    }
    avformat_free_context(p);
  }
};
using OutputContextPtr = std::unique_ptr<AVFormatContext, OutputContextDeleter>;

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

// Decodes, edits and encodes one audio stream; see rewrite_audio. Owns every FFmpeg object.
class Rewriter {
 public:
  Rewriter(std::string input, std::string output, const SampleEditor& edit,
           const AudioRewriteOptions& options)
      : input_(std::move(input)), output_(std::move(output)), edit_(edit), options_(options) {}

  base::Result<AudioRewriteSummary> run();
  bool created() const { return created_; }

 private:
  base::Status open_input();
  base::Status decode_all();
  base::Status take(const AVFrame& frame);
  base::Status open_output();
  base::Status encode(std::span<const float> samples);
  base::Status drain(bool flush);
  Error input_error(const std::string& what) const {
    return Error(ErrorCode::kDataLoss, input_ + ": " + what);
  }
  Error output_error(const std::string& what, int code) const {
    return Error(ErrorCode::kUnavailable, output_ + ": " + what + ": " + av_error_text(code));
  }

  std::string input_;
  std::string output_;
  const SampleEditor& edit_;
  AudioRewriteOptions options_;
  FormatContextPtr in_;
  AVStream* stream_ = nullptr;
  CodecContextPtr decoder_;
  SwrPtr to_float_;
  ChannelLayout layout_;
  int sample_rate_ = 0;
  int channels_ = 0;
  std::vector<float> samples_;  // interleaved
  OutputContextPtr out_;
  AVStream* out_stream_ = nullptr;
  CodecContextPtr encoder_;
  PacketPtr packet_;
  bool created_ = false;
  AudioRewriteSummary summary_;
};

base::Status Rewriter::open_input() {
  AVDictionary* demuxer_options = nullptr;
  auto opened = internal::open_input(input_, nullptr, &demuxer_options);
  av_dict_free(&demuxer_options);
  in_ = CC_TRY(std::move(opened));
  for (unsigned i = 0; i < in_->nb_streams; ++i) {
    const AVStream* s = in_->streams[i];
    if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
        (s->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
      return Error(ErrorCode::kUnsupported,
                   input_ + ": has a video stream; only audio files are rewritten");
    }
  }
  const int index = av_find_best_stream(in_.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (index < 0) {
    return Error(ErrorCode::kUnsupported, input_ + ": no audio stream");
  }
  stream_ = in_->streams[index];
  const AVCodecID id = stream_->codecpar->codec_id;
  if (id != AV_CODEC_ID_MP3 && id != AV_CODEC_ID_FLAC) {
    return Error(ErrorCode::kUnsupported, input_ + ": the audio is " +
                                              std::string(avcodec_get_name(id)) +
                                              "; only MP3 and FLAC are rewritten");
  }
  for (unsigned i = 0; i < in_->nb_streams; ++i) {
    if (static_cast<int>(i) != index) {
      in_->streams[i]->discard = AVDISCARD_ALL;
    }
  }
  decoder_ = CC_TRY(internal::open_decoder(stream_, 1, input_));
  packet_.reset(av_packet_alloc());
  if (!packet_) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  return {};
}

base::Status Rewriter::take(const AVFrame& frame) {
  if (frame.sample_rate <= 0 || frame.ch_layout.nb_channels <= 0) {
    return input_error("a decoded frame has no sample rate or no channels");
  }
  if (!to_float_) {
    if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
      av_channel_layout_default(&layout_.layout, frame.ch_layout.nb_channels);
    } else if (av_channel_layout_copy(&layout_.layout, &frame.ch_layout) < 0) {
      return Error(ErrorCode::kResourceExhausted, "out of memory");
    }
    sample_rate_ = frame.sample_rate;
    channels_ = frame.ch_layout.nb_channels;
    SwrContext* raw = nullptr;
    // The stream's own rate and layout, only the sample format changes.
    int ret =
        swr_alloc_set_opts2(&raw, &layout_.layout, AV_SAMPLE_FMT_FLT, sample_rate_, &layout_.layout,
                            static_cast<AVSampleFormat>(frame.format), sample_rate_, 0, nullptr);
    to_float_.reset(raw);
    if (ret >= 0 && to_float_) {
      ret = swr_init(to_float_.get());
    }
    if (ret < 0 || !to_float_) {
      return Error(ErrorCode::kUnsupported,
                   input_ + ": cannot convert this audio: " + av_error_text(ret));
    }
  } else if (frame.sample_rate != sample_rate_ || frame.ch_layout.nb_channels != channels_) {
    return Error(ErrorCode::kUnsupported,
                 input_ + ": the stream changes its sample rate or channels part way");
  }
  const auto limit = static_cast<size_t>(options_.max_seconds * sample_rate_);
  const size_t frames = samples_.size() / static_cast<size_t>(channels_);
  if (frames + static_cast<size_t>(frame.nb_samples) > limit) {
    return Error(ErrorCode::kResourceExhausted, input_ + ": audio longer than the " +
                                                    std::to_string(options_.max_seconds) +
                                                    " s allowed (max_seconds)")
        .with_field("max_seconds");
  }
  samples_.resize((frames + static_cast<size_t>(frame.nb_samples)) *
                  static_cast<size_t>(channels_));
  uint8_t* out = reinterpret_cast<uint8_t*>(samples_.data() + frames * channels_);
  const int converted =
      swr_convert(to_float_.get(), &out, frame.nb_samples,
                  const_cast<const uint8_t**>(frame.extended_data), frame.nb_samples);
  if (converted < 0) {
    return input_error("cannot convert: " + av_error_text(converted));
  }
  samples_.resize((frames + static_cast<size_t>(converted)) * static_cast<size_t>(channels_));
  return {};
}

base::Status Rewriter::decode_all() {
  FramePtr frame(av_frame_alloc());
  if (!frame) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  auto receive = [&]() -> base::Status {
    for (;;) {
      const int ret = avcodec_receive_frame(decoder_.get(), frame.get());
      if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
        return {};
      }
      if (ret < 0) {
        return input_error("cannot decode: " + av_error_text(ret));
      }
      base::Status taken = take(*frame);
      av_frame_unref(frame.get());
      CC_TRY(std::move(taken));
    }
  };
  for (;;) {
    int ret;
    {
      LogCapture capture(in_.get());
      ret = av_read_frame(in_.get(), packet_.get());
    }
    if (ret == AVERROR_EOF) {
      break;
    }
    if (ret < 0) {
      return input_error("cannot read: " + av_error_text(ret));
    }
    if (packet_->stream_index == stream_->index) {
      ret = avcodec_send_packet(decoder_.get(), packet_.get());
      av_packet_unref(packet_.get());
      if (ret < 0 && ret != AVERROR(EAGAIN)) {
        return input_error("cannot decode: " + av_error_text(ret));
      }
      CC_TRY(receive());
    } else {
      av_packet_unref(packet_.get());
    }
  }
  avcodec_send_packet(decoder_.get(), nullptr);
  CC_TRY(receive());
  if (samples_.empty()) {
    return input_error("no audio decodes");
  }
  return {};
}

base::Status Rewriter::open_output() {
  const bool mp3 = stream_->codecpar->codec_id == AV_CODEC_ID_MP3;
  const AVCodec* codec =
      mp3 ? avcodec_find_encoder_by_name("libmp3lame") : avcodec_find_encoder(AV_CODEC_ID_FLAC);
  if (codec == nullptr) {
    return Error(ErrorCode::kUnsupported,
                 std::string("FFmpeg has no ") + (mp3 ? "libmp3lame" : "FLAC") + " encoder");
  }
  AVFormatContext* raw = nullptr;
  int ret = avformat_alloc_output_context2(&raw, nullptr, mp3 ? "mp3" : "flac", output_.c_str());
  if (ret < 0 || raw == nullptr) {
    return Error(ErrorCode::kUnsupported, "FFmpeg has no muxer for this audio");
  }
  out_.reset(raw);
  av_dict_copy(&out_->metadata, in_->metadata, 0);

  encoder_.reset(avcodec_alloc_context3(codec));
  if (!encoder_) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  AVCodecContext* enc = encoder_.get();
  enc->sample_rate = sample_rate_;
  if (av_channel_layout_copy(&enc->ch_layout, &layout_.layout) < 0) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  enc->time_base = AVRational{1, sample_rate_};
  if (mp3) {
    enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    enc->bit_rate = stream_->codecpar->bit_rate > 0 ? stream_->codecpar->bit_rate
                    : in_->bit_rate > 0             ? in_->bit_rate
                                                    : kDefaultMp3BitRate;
  } else {
    // FLAC keeps the source's depth: 16 bits, or 24 held in 32.
    const bool deep = stream_->codecpar->bits_per_raw_sample > 16;
    enc->sample_fmt = deep ? AV_SAMPLE_FMT_S32 : AV_SAMPLE_FMT_S16;
    enc->bits_per_raw_sample = deep ? 24 : 16;
  }
  if ((out_->oformat->flags & AVFMT_GLOBALHEADER) != 0) {
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  ret = avcodec_open2(enc, codec, nullptr);
  if (ret < 0) {
    return Error(ErrorCode::kUnsupported,
                 std::string("cannot open the ") + codec->name + " encoder: " + av_error_text(ret));
  }
  out_stream_ = avformat_new_stream(out_.get(), nullptr);
  if (out_stream_ == nullptr) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  ret = avcodec_parameters_from_context(out_stream_->codecpar, enc);
  if (ret < 0) {
    return Error(ErrorCode::kUnsupported, "cannot set the stream's parameters");
  }
  out_stream_->time_base = enc->time_base;
  av_dict_copy(&out_stream_->metadata, stream_->metadata, 0);
  ret = avio_open(&out_->pb, ("file:" + output_).c_str(), AVIO_FLAG_WRITE);
  if (ret < 0) {
    return output_error("cannot create", ret);
  }
  created_ = true;
  ret = avformat_write_header(out_.get(), nullptr);
  if (ret < 0) {
    return output_error("cannot write the header", ret);
  }
  summary_.codec = mp3 ? "mp3" : "flac";
  summary_.sample_rate = sample_rate_;
  summary_.channels = channels_;
  summary_.bit_rate = mp3 ? enc->bit_rate : 0;
  return {};
}

base::Status Rewriter::drain(bool flush) {
  if (flush) {
    avcodec_send_frame(encoder_.get(), nullptr);
  }
  for (;;) {
    int ret = avcodec_receive_packet(encoder_.get(), packet_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
      return {};
    }
    if (ret < 0) {
      return Error(ErrorCode::kInternal, "cannot encode: " + av_error_text(ret));
    }
    av_packet_rescale_ts(packet_.get(), encoder_->time_base, out_stream_->time_base);
    packet_->stream_index = out_stream_->index;
    ret = av_interleaved_write_frame(out_.get(), packet_.get());
    if (ret < 0) {
      return output_error("cannot write", ret);
    }
  }
}

base::Status Rewriter::encode(std::span<const float> samples) {
  AVCodecContext* enc = encoder_.get();
  SwrContext* raw = nullptr;
  int ret = swr_alloc_set_opts2(&raw, &enc->ch_layout, enc->sample_fmt, sample_rate_,
                                &layout_.layout, AV_SAMPLE_FMT_FLT, sample_rate_, 0, nullptr);
  SwrPtr to_encoder(raw);
  if (ret >= 0 && to_encoder) {
    ret = swr_init(to_encoder.get());
  }
  if (ret < 0 || !to_encoder) {
    return Error(ErrorCode::kUnsupported, "cannot convert for the encoder: " + av_error_text(ret));
  }
  const bool variable = (enc->codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0;
  const int frame_size = enc->frame_size > 0 && !variable ? enc->frame_size : kVariableFrameSize;
  const bool small_last = (enc->codec->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME) != 0;
  FramePtr frame(av_frame_alloc());
  if (!frame) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  frame->format = enc->sample_fmt;
  frame->sample_rate = sample_rate_;
  frame->nb_samples = frame_size;
  if (av_channel_layout_copy(&frame->ch_layout, &enc->ch_layout) < 0 ||
      av_frame_get_buffer(frame.get(), 0) < 0) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  const auto channels = static_cast<size_t>(channels_);
  const size_t total = samples.size() / channels;
  std::vector<float> padded;  // a short last frame for encoders that take none
  for (size_t at = 0; at < total; at += static_cast<size_t>(frame_size)) {
    int n = static_cast<int>(std::min(total - at, static_cast<size_t>(frame_size)));
    const float* from = samples.data() + at * channels;
    if (n < frame_size && !small_last) {
      padded.assign(from, from + static_cast<size_t>(n) * channels);
      padded.resize(static_cast<size_t>(frame_size) * channels, 0.0f);
      from = padded.data();
      n = frame_size;
    }
    ret = av_frame_make_writable(frame.get());
    if (ret < 0) {
      return Error(ErrorCode::kResourceExhausted, "out of memory");
    }
    frame->nb_samples = n;
    const auto* in = reinterpret_cast<const uint8_t*>(from);
    ret = swr_convert(to_encoder.get(), frame->extended_data, n, &in, n);
    if (ret < 0) {
      return Error(ErrorCode::kInternal, "cannot convert for the encoder: " + av_error_text(ret));
    }
    frame->pts = static_cast<int64_t>(at);
    ret = avcodec_send_frame(enc, frame.get());
    if (ret < 0) {
      return Error(ErrorCode::kInternal, "cannot encode: " + av_error_text(ret));
    }
    CC_TRY(drain(false));
  }
  return drain(true);
}

base::Result<AudioRewriteSummary> Rewriter::run() {
  if (!(options_.max_seconds > 0.0)) {
    return base::invalid_argument("max_seconds: expected a positive duration")
        .with_field("max_seconds");
  }
  CC_TRY(open_input());
  CC_TRY(decode_all());
  const std::vector<float> edited = CC_TRY(edit_(samples_, channels_, sample_rate_));
  if (edited.size() != samples_.size()) {
    return base::invalid_argument("the edit returned " + std::to_string(edited.size()) +
                                  " samples for " + std::to_string(samples_.size()));
  }
  summary_.frames = static_cast<int64_t>(samples_.size() / static_cast<size_t>(channels_));
  samples_.clear();
  samples_.shrink_to_fit();
  CC_TRY(open_output());
  CC_TRY(encode(edited));
  int ret = av_write_trailer(out_.get());
  if (ret < 0) {
    return output_error("cannot finish the file", ret);
  }
  ret = avio_closep(&out_->pb);
  if (ret < 0) {
    return output_error("cannot close", ret);
  }
  return summary_;
}

}  // namespace

base::Result<AudioRewriteSummary> rewrite_audio(const std::string& input, const std::string& output,
                                                const SampleEditor& edit,
                                                const AudioRewriteOptions& options) {
  auto rewriter = std::make_unique<Rewriter>(input, output, edit, options);
  base::Result<AudioRewriteSummary> result = rewriter->run();
  const bool created = rewriter->created();
  rewriter.reset();  // closes the output before it is removed
  if (!result.has_value() && created) {
    std::remove(output.c_str());
  }
  return result;
}

}  // namespace clearcut::media
