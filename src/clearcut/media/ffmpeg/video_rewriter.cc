#include "clearcut/media/ffmpeg/video_rewriter.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/dict.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

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

struct OutputContextDeleter {
  void operator()(AVFormatContext* p) const {
    if (p->pb != nullptr && (p->oformat->flags & AVFMT_NOFILE) == 0) {
      avio_closep(&p->pb);
    }
    avformat_free_context(p);
  }
};
using OutputContextPtr = std::unique_ptr<AVFormatContext, OutputContextDeleter>;

// The layout libx264 is given: the source's when it is 8-bit planar YUV; else 8 bits at the
// source's chroma resolution (a 10-bit ProRes 4:2:2 master becomes 4:2:2, a 4:4:4 or RGB one
// 4:4:4), and 4:2:0 for the rest (grey, 4:1:1, 4:2:0 at other depths).
AVPixelFormat encoded_format(AVPixelFormat source) {
  switch (source) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUV422P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUV444P:
    case AV_PIX_FMT_YUVJ444P:
      return source;
    default:
      break;
  }
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(source);
  if (desc != nullptr && desc->nb_components >= 3) {
    if ((desc->flags & AV_PIX_FMT_FLAG_RGB) != 0 ||
        (desc->log2_chroma_w == 0 && desc->log2_chroma_h == 0)) {
      return AV_PIX_FMT_YUV444P;
    }
    if (desc->log2_chroma_w == 1 && desc->log2_chroma_h == 0) {
      return AV_PIX_FMT_YUV422P;
    }
  }
  return AV_PIX_FMT_YUV420P;
}

bool is_full_range(AVPixelFormat format, AVColorRange range) {
  return range == AVCOL_RANGE_JPEG || format == AV_PIX_FMT_YUVJ420P ||
         format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P;
}

// Streams carried over unchanged: audio and subtitles the MP4 muxer can hold.
bool copyable(const AVStream* stream, const AVOutputFormat* muxer) {
  const AVCodecParameters* par = stream->codecpar;
  if ((stream->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
    return false;
  }
  if (par->codec_type != AVMEDIA_TYPE_AUDIO && par->codec_type != AVMEDIA_TYPE_SUBTITLE) {
    return false;
  }
  return avformat_query_codec(muxer, par->codec_id, FF_COMPLIANCE_NORMAL) == 1;
}

struct SwrDeleter {
  void operator()(SwrContext* p) const { swr_free(&p); }
};
struct FifoDeleter {
  void operator()(AVAudioFifo* p) const { av_audio_fifo_free(p); }
};

// Sound the MP4 muxer cannot hold as it is (PCM from a MOV, MXF or AVI; Vorbis), decoded and
// encoded again as ALAC, which MP4 holds: 16-bit and narrower sources as 16-bit, the rest as
// 24-bit, so that 16- and 24-bit PCM keep every sample (32-bit and float sources keep their top
// 24 bits). Packets of the input stream go in through add(), in order; add(nullptr) ends it.
class AlacLane {
 public:
  static base::Result<std::unique_ptr<AlacLane>> open(const AVStream* in, AVFormatContext* out,
                                                      const std::string& input,
                                                      const std::string& output);
  base::Status add(const AVPacket* packet);

 private:
  AlacLane(const AVStream* in, AVFormatContext* out, std::string input, std::string output)
      : in_(in), out_(out), input_(std::move(input)), output_(std::move(output)) {}
  base::Status take(const AVFrame& frame);
  base::Status encode(int samples);  // from the FIFO; 0 flushes the encoder
  Error input_error(const std::string& what) const {
    return Error(ErrorCode::kDataLoss,
                 input_ + ": audio stream " + std::to_string(in_->index) + ": " + what);
  }
  Error unsupported(const std::string& what) const {
    return Error(ErrorCode::kUnsupported,
                 input_ + ": audio stream " + std::to_string(in_->index) + ": " + what);
  }
  Error output_error(const std::string& what, int ret) const {
    return Error(ErrorCode::kUnavailable, output_ + ": " + what + ": " + av_error_text(ret));
  }

  const AVStream* in_;
  AVFormatContext* out_;
  std::string input_;
  std::string output_;
  AVStream* stream_ = nullptr;
  CodecContextPtr decoder_;
  CodecContextPtr encoder_;
  std::unique_ptr<SwrContext, SwrDeleter> convert_;
  std::unique_ptr<AVAudioFifo, FifoDeleter> fifo_;
  FramePtr decoded_;
  FramePtr frame_;
  PacketPtr packet_;
  int64_t next_pts_ = AV_NOPTS_VALUE;  // in samples
};

base::Result<std::unique_ptr<AlacLane>> AlacLane::open(const AVStream* in, AVFormatContext* out,
                                                       const std::string& input,
                                                       const std::string& output) {
  std::unique_ptr<AlacLane> lane(new AlacLane(in, out, input, output));
  lane->decoder_ = CC_TRY(internal::open_decoder(in, 1, input));
  AVCodecContext* d = lane->decoder_.get();
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_ALAC);
  if (codec == nullptr) {
    return Error(ErrorCode::kUnsupported, "FFmpeg was built without the ALAC encoder");
  }
  if (d->sample_rate <= 0 || d->ch_layout.nb_channels <= 0 || d->sample_fmt == AV_SAMPLE_FMT_NONE) {
    return lane->unsupported("no sample rate, channels or sample format");
  }
  lane->encoder_.reset(avcodec_alloc_context3(codec));
  lane->decoded_.reset(av_frame_alloc());
  lane->frame_.reset(av_frame_alloc());
  lane->packet_.reset(av_packet_alloc());
  if (!lane->encoder_ || !lane->decoded_ || !lane->frame_ || !lane->packet_) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  AVCodecContext* e = lane->encoder_.get();
  // FFmpeg's ALAC encoder writes 16 or 24 bits a sample.
  const bool narrow = av_get_bytes_per_sample(d->sample_fmt) <= 2;
  e->sample_fmt = narrow ? AV_SAMPLE_FMT_S16P : AV_SAMPLE_FMT_S32P;
  e->bits_per_raw_sample = narrow ? 16 : 24;
  e->sample_rate = d->sample_rate;
  e->time_base = AVRational{1, d->sample_rate};
  if (av_channel_layout_copy(&e->ch_layout, &d->ch_layout) < 0) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  if ((out->oformat->flags & AVFMT_GLOBALHEADER) != 0) {
    e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  int ret = avcodec_open2(e, codec, nullptr);
  if (ret < 0) {
    return lane->unsupported("cannot open the ALAC encoder for it: " + av_error_text(ret));
  }
  SwrContext* swr = nullptr;
  ret = swr_alloc_set_opts2(&swr, &e->ch_layout, e->sample_fmt, e->sample_rate, &d->ch_layout,
                            d->sample_fmt, d->sample_rate, 0, nullptr);
  lane->convert_.reset(swr);
  if (ret < 0 || swr_init(swr) < 0) {
    return lane->unsupported("cannot convert its samples for ALAC");
  }
  lane->fifo_.reset(av_audio_fifo_alloc(e->sample_fmt, e->ch_layout.nb_channels, e->frame_size));
  lane->stream_ = avformat_new_stream(out, nullptr);
  if (!lane->fifo_ || lane->stream_ == nullptr) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  ret = avcodec_parameters_from_context(lane->stream_->codecpar, e);
  if (ret < 0) {
    return lane->output_error("cannot set an audio stream's parameters", ret);
  }
  lane->stream_->time_base = e->time_base;
  lane->stream_->disposition = in->disposition;
  av_dict_copy(&lane->stream_->metadata, in->metadata, 0);
  return lane;
}

base::Status AlacLane::add(const AVPacket* packet) {
  int ret = avcodec_send_packet(decoder_.get(), packet);
  if (ret < 0 && ret != AVERROR_EOF) {
    return input_error("decode error: " + av_error_text(ret));
  }
  for (;;) {
    ret = avcodec_receive_frame(decoder_.get(), decoded_.get());
    if (ret == AVERROR(EAGAIN)) {
      return {};
    }
    if (ret == AVERROR_EOF) {
      break;
    }
    if (ret < 0) {
      return input_error("decode error: " + av_error_text(ret));
    }
    base::Status status = take(*decoded_);
    av_frame_unref(decoded_.get());
    CC_TRY(std::move(status));
  }
  // The end: what is left in the FIFO, a last short frame, then the encoder's own.
  CC_TRY(encode(av_audio_fifo_size(fifo_.get())));
  return encode(0);
}

base::Status AlacLane::take(const AVFrame& frame) {
  // The converter was set up for the decoder's format: a stream that changes it midway (never
  // seen in PCM) is refused rather than read as something it is not.
  const AVCodecContext* d = decoder_.get();
  if (frame.format != d->sample_fmt || frame.sample_rate != d->sample_rate ||
      frame.ch_layout.nb_channels != d->ch_layout.nb_channels) {
    return input_error("its sample format, rate or channel count changes midway");
  }
  if (next_pts_ == AV_NOPTS_VALUE) {
    const int64_t pts = frame.best_effort_timestamp;
    next_pts_ = pts == AV_NOPTS_VALUE ? 0 : av_rescale_q(pts, in_->time_base, encoder_->time_base);
  }
  const int capacity = swr_get_out_samples(convert_.get(), frame.nb_samples);
  if (capacity < 0) {
    return input_error("cannot convert its samples");
  }
  FramePtr converted(av_frame_alloc());
  if (!converted) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  converted->format = encoder_->sample_fmt;
  converted->sample_rate = encoder_->sample_rate;
  converted->nb_samples = std::max(capacity, 1);
  if (av_channel_layout_copy(&converted->ch_layout, &encoder_->ch_layout) < 0 ||
      av_frame_get_buffer(converted.get(), 0) < 0) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  const int samples =
      swr_convert(convert_.get(), converted->data, capacity,
                  const_cast<const uint8_t**>(frame.extended_data), frame.nb_samples);
  if (samples < 0) {
    return input_error("cannot convert its samples");
  }
  if (av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(converted->data), samples) <
      samples) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  while (av_audio_fifo_size(fifo_.get()) >= encoder_->frame_size) {
    CC_TRY(encode(encoder_->frame_size));
  }
  return {};
}

base::Status AlacLane::encode(int samples) {
  AVCodecContext* e = encoder_.get();
  int ret = 0;
  if (samples > 0) {
    av_frame_unref(frame_.get());
    frame_->format = e->sample_fmt;
    frame_->sample_rate = e->sample_rate;
    frame_->nb_samples = samples;
    if (av_channel_layout_copy(&frame_->ch_layout, &e->ch_layout) < 0 ||
        av_frame_get_buffer(frame_.get(), 0) < 0) {
      return Error(ErrorCode::kResourceExhausted, "out of memory");
    }
    if (av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(frame_->data), samples) <
        samples) {
      return input_error("cannot read back its samples");
    }
    frame_->pts = next_pts_;
    next_pts_ += samples;
    ret = avcodec_send_frame(e, frame_.get());
  } else {
    ret = avcodec_send_frame(e, nullptr);
  }
  if (ret < 0 && ret != AVERROR_EOF) {
    return output_error("ALAC encoding failed", ret);
  }
  for (;;) {
    ret = avcodec_receive_packet(e, packet_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
      return {};
    }
    if (ret < 0) {
      return output_error("ALAC encoding failed", ret);
    }
    packet_->stream_index = stream_->index;
    av_packet_rescale_ts(packet_.get(), e->time_base, stream_->time_base);
    ret = av_interleaved_write_frame(out_, packet_.get());
    if (ret < 0) {
      return output_error("cannot write", ret);
    }
  }
}

class Rewriter {
 public:
  Rewriter(std::string input, std::string output, const VideoRewriteOptions& options,
           const LumaEditor& edit)
      : input_(std::move(input)), output_(std::move(output)), options_(options), edit_(edit) {}

  base::Result<VideoRewriteSummary> run();
  bool created() const { return created_; }  // whether the output file was opened

 private:
  base::Status open();
  base::Status open_encoder();
  base::Status map_other_streams();
  base::Status decode(const AVPacket* packet);
  base::Status process(AVFrame* decoded);
  base::Status encode(const AVFrame* frame);
  base::Status copy_packet(AVPacket* packet);
  Error input_error(const std::string& what) const {
    return Error(ErrorCode::kDataLoss,
                 input_ + ": frame " + std::to_string(summary_.frames) + ": " + what);
  }
  Error output_error(const std::string& what, int ret) const {
    return Error(ErrorCode::kUnavailable, output_ + ": " + what + ": " + av_error_text(ret));
  }

  std::string input_;
  std::string output_;
  VideoRewriteOptions options_;
  const LumaEditor& edit_;

  FormatContextPtr in_;
  const AVStream* video_in_ = nullptr;
  CodecContextPtr decoder_;
  OutputContextPtr out_;
  CodecContextPtr encoder_;
  AVStream* video_out_ = nullptr;
  std::vector<int> stream_map_;  // input stream index -> output stream index, or -1
  std::vector<std::unique_ptr<AlacLane>> lanes_;  // by input stream index: sound re-encoded
  internal::SwsContextPtr convert_;
  FramePtr decoded_;
  FramePtr converted_;
  PacketPtr packet_;
  int64_t last_pts_ = AV_NOPTS_VALUE;
  bool created_ = false;
  VideoRewriteSummary summary_;
};

base::Status Rewriter::open() {
  AVDictionary* demuxer_options = nullptr;
  auto opened = internal::open_input(input_, nullptr, &demuxer_options);
  av_dict_free(&demuxer_options);
  in_ = CC_TRY(std::move(opened));
  const int video = CC_TRY(internal::find_video_stream(in_.get(), input_));
  video_in_ = in_->streams[video];
  decoder_ = CC_TRY(internal::open_decoder(video_in_, options_.thread_count, input_));
  if (decoder_->width <= 0 || decoder_->height <= 0 || decoder_->pix_fmt == AV_PIX_FMT_NONE) {
    return Error(ErrorCode::kUnsupported, input_ + ": the video stream has no picture size");
  }

  AVFormatContext* raw = nullptr;
  int ret = avformat_alloc_output_context2(&raw, nullptr, "mp4", output_.c_str());
  if (ret < 0 || raw == nullptr) {
    return Error(ErrorCode::kUnsupported, "FFmpeg has no MP4 muxer");
  }
  out_.reset(raw);
  av_dict_copy(&out_->metadata, in_->metadata, 0);
  CC_TRY(open_encoder());
  CC_TRY(map_other_streams());
  ret = avio_open(&out_->pb, ("file:" + output_).c_str(), AVIO_FLAG_WRITE);
  if (ret < 0) {
    return output_error("cannot create", ret);
  }
  created_ = true;
  ret = avformat_write_header(out_.get(), nullptr);
  if (ret < 0) {
    return output_error("cannot write the MP4 header", ret);
  }
  decoded_.reset(av_frame_alloc());
  packet_.reset(av_packet_alloc());
  if (!decoded_ || !packet_) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  return {};
}

base::Status Rewriter::open_encoder() {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (codec == nullptr) {
    return Error(ErrorCode::kUnsupported, "FFmpeg was built without libx264 (H.264 encoding)");
  }
  encoder_.reset(avcodec_alloc_context3(codec));
  if (!encoder_) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  AVCodecContext* e = encoder_.get();
  const AVCodecContext* d = decoder_.get();
  e->width = d->width;
  e->height = d->height;
  e->pix_fmt = encoded_format(d->pix_fmt);
  e->time_base = video_in_->time_base;
  e->framerate = av_guess_frame_rate(in_.get(), const_cast<AVStream*>(video_in_), nullptr);
  e->sample_aspect_ratio = video_in_->sample_aspect_ratio.num > 0 ? video_in_->sample_aspect_ratio
                                                                  : d->sample_aspect_ratio;
  const bool converted = e->pix_fmt != d->pix_fmt;
  e->color_range =
      is_full_range(e->pix_fmt, d->color_range) && !converted ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
  e->colorspace = converted ? AVCOL_SPC_BT709 : d->colorspace;
  e->color_primaries = d->color_primaries;
  e->color_trc = d->color_trc;
  e->chroma_sample_location = d->chroma_sample_location;
  e->thread_count = options_.thread_count;
  if ((out_->oformat->flags & AVFMT_GLOBALHEADER) != 0) {
    e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  AVDictionary* codec_options = nullptr;
  av_dict_set(&codec_options, "crf", std::to_string(options_.crf).c_str(), 0);
  av_dict_set(&codec_options, "preset", options_.preset.c_str(), 0);
  int ret;
  {
    LogCapture capture;
    ret = avcodec_open2(e, codec, &codec_options);
    av_dict_free(&codec_options);  // what the encoder did not take
    if (ret < 0) {
      std::string detail =
          capture.last_message().empty() ? "" : " (" + capture.last_message() + ")";
      return Error(ErrorCode::kInvalidArgument,
                   "cannot open the H.264 encoder: " + av_error_text(ret) + detail);
    }
  }
  video_out_ = avformat_new_stream(out_.get(), nullptr);
  if (video_out_ == nullptr) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  ret = avcodec_parameters_from_context(video_out_->codecpar, e);
  if (ret < 0) {
    return output_error("cannot set the video stream's parameters", ret);
  }
  video_out_->time_base = e->time_base;
  video_out_->sample_aspect_ratio = e->sample_aspect_ratio;
  video_out_->avg_frame_rate = e->framerate;
  video_out_->disposition = video_in_->disposition;
  av_dict_copy(&video_out_->metadata, video_in_->metadata, 0);
  // The display matrix (a phone clip's rotation) travels as stream side data.
  size_t size = 0;
  const uint8_t* matrix = av_stream_get_side_data(video_in_, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix != nullptr && size > 0) {
    uint8_t* copy = av_stream_new_side_data(video_out_, AV_PKT_DATA_DISPLAYMATRIX, size);
    if (copy != nullptr) {
      std::copy(matrix, matrix + size, copy);
    }
  }
  summary_.width = e->width;
  summary_.height = e->height;
  const char* name = av_get_pix_fmt_name(e->pix_fmt);
  summary_.pixel_format = name != nullptr ? name : "";
  return {};
}

base::Status Rewriter::map_other_streams() {
  stream_map_.assign(in_->nb_streams, -1);
  lanes_.resize(in_->nb_streams);
  stream_map_[video_in_->index] = video_out_->index;
  for (unsigned i = 0; i < in_->nb_streams; ++i) {
    const AVStream* s = in_->streams[i];
    if (s == video_in_) {
      continue;
    }
    if (!copyable(s, out_->oformat)) {
      if (s->codecpar->codec_type == AVMEDIA_TYPE_AUDIO &&
          (s->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
        auto lane = AlacLane::open(s, out_.get(), input_, output_);
        if (lane.has_value()) {
          lanes_[i] = std::move(*lane);
          ++summary_.streams_reencoded;
          continue;
        }
        if (lane.error().code() != ErrorCode::kUnsupported) {
          return std::move(lane).error();
        }
      }
      ++summary_.streams_dropped;  // and sound FFmpeg cannot decode
      continue;
    }
    AVStream* o = avformat_new_stream(out_.get(), nullptr);
    if (o == nullptr) {
      return Error(ErrorCode::kResourceExhausted, "out of memory");
    }
    int ret = avcodec_parameters_copy(o->codecpar, s->codecpar);
    if (ret < 0) {
      return output_error("cannot copy stream " + std::to_string(i), ret);
    }
    o->codecpar->codec_tag = 0;
    o->time_base = s->time_base;
    o->disposition = s->disposition;
    av_dict_copy(&o->metadata, s->metadata, 0);
    stream_map_[i] = o->index;
    ++summary_.streams_copied;
  }
  return {};
}

base::Status Rewriter::copy_packet(AVPacket* packet) {
  const AVStream* from = in_->streams[packet->stream_index];
  const int to = stream_map_[packet->stream_index];
  packet->stream_index = to;
  av_packet_rescale_ts(packet, from->time_base, out_->streams[to]->time_base);
  packet->pos = -1;
  int ret = av_interleaved_write_frame(out_.get(), packet);
  if (ret < 0) {
    return output_error("cannot write", ret);
  }
  return {};
}

base::Status Rewriter::encode(const AVFrame* frame) {
  int ret = avcodec_send_frame(encoder_.get(), frame);
  if (ret < 0) {
    return output_error("H.264 encoding failed", ret);
  }
  PacketPtr out(av_packet_alloc());
  if (!out) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }
  for (;;) {
    ret = avcodec_receive_packet(encoder_.get(), out.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
      return {};
    }
    if (ret < 0) {
      return output_error("H.264 encoding failed", ret);
    }
    out->stream_index = video_out_->index;
    av_packet_rescale_ts(out.get(), encoder_->time_base, video_out_->time_base);
    ret = av_interleaved_write_frame(out_.get(), out.get());
    if (ret < 0) {
      return output_error("cannot write", ret);
    }
  }
}

base::Status Rewriter::process(AVFrame* decoded) {
  if ((decoded->flags & AV_FRAME_FLAG_CORRUPT) != 0 || decoded->decode_error_flags != 0) {
    return input_error("the decoder reports a corrupt frame (damaged data)");
  }
  AVCodecContext* e = encoder_.get();
  AVFrame* frame = decoded;
  if (decoded->format != e->pix_fmt || decoded->width != e->width || decoded->height != e->height) {
    convert_.reset(sws_getCachedContext(convert_.release(), decoded->width, decoded->height,
                                        static_cast<AVPixelFormat>(decoded->format), e->width,
                                        e->height, e->pix_fmt, SWS_BICUBIC | SWS_ACCURATE_RND,
                                        nullptr, nullptr, nullptr));
    if (!convert_) {
      return Error(ErrorCode::kUnsupported,
                   input_ + ": cannot convert frames from " +
                       av_get_pix_fmt_name(static_cast<AVPixelFormat>(decoded->format)));
    }
    if (!converted_) {
      converted_.reset(av_frame_alloc());
      if (!converted_) {
        return Error(ErrorCode::kResourceExhausted, "out of memory");
      }
      converted_->format = e->pix_fmt;
      converted_->width = e->width;
      converted_->height = e->height;
      if (av_frame_get_buffer(converted_.get(), 0) < 0) {
        return Error(ErrorCode::kResourceExhausted, "out of memory");
      }
    }
    // The encoder may still hold the last frame's buffer: write into one of our own.
    if (av_frame_make_writable(converted_.get()) < 0) {
      return Error(ErrorCode::kResourceExhausted, "out of memory");
    }
    sws_scale(convert_.get(), decoded->data, decoded->linesize, 0, decoded->height,
              converted_->data, converted_->linesize);
    av_frame_copy_props(converted_.get(), decoded);
    frame = converted_.get();
  } else if (av_frame_make_writable(decoded) < 0) {
    return Error(ErrorCode::kResourceExhausted, "out of memory");
  }

  int64_t pts = decoded->best_effort_timestamp;
  if (pts == AV_NOPTS_VALUE || (last_pts_ != AV_NOPTS_VALUE && pts <= last_pts_)) {
    pts = last_pts_ == AV_NOPTS_VALUE ? 0 : last_pts_ + std::max<int64_t>(1, decoded->pkt_duration);
  }
  last_pts_ = pts;
  const int64_t start = video_in_->start_time != AV_NOPTS_VALUE ? video_in_->start_time : 0;

  RewriteFrame view;
  view.luma = frame->data[0];
  view.width = frame->width;
  view.height = frame->height;
  view.stride = frame->linesize[0];
  view.index = summary_.frames;
  view.time_seconds = static_cast<double>(pts - start) * av_q2d(video_in_->time_base);
  view.full_range = e->color_range == AVCOL_RANGE_JPEG;
  CC_TRY(edit_(view));

  frame->pts = pts;
  frame->pict_type = AV_PICTURE_TYPE_NONE;
  CC_TRY(encode(frame));
  ++summary_.frames;
  return {};
}

base::Status Rewriter::decode(const AVPacket* packet) {
  int ret;
  {
    LogCapture capture;
    ret = avcodec_send_packet(decoder_.get(), packet);
    if (ret < 0 && ret != AVERROR_EOF) {
      std::string detail =
          capture.last_message().empty() ? "" : " (" + capture.last_message() + ")";
      return input_error("decode error: " + av_error_text(ret) + detail);
    }
  }
  for (;;) {
    ret = avcodec_receive_frame(decoder_.get(), decoded_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
      return {};
    }
    if (ret < 0) {
      return input_error("decode error: " + av_error_text(ret));
    }
    base::Status status = process(decoded_.get());
    av_frame_unref(decoded_.get());
    CC_TRY(std::move(status));
  }
}

base::Result<VideoRewriteSummary> Rewriter::run() {
  CC_TRY(open());
  for (;;) {
    int ret;
    {
      LogCapture capture(in_.get());
      ret = av_read_frame(in_.get(), packet_.get());
      if (ret == AVERROR_EOF && capture.demuxer_warned()) {
        return input_error("the file ends early (truncated or damaged)");
      }
    }
    if (ret == AVERROR_EOF) {
      break;
    }
    if (ret < 0) {
      return input_error("cannot read the file: " + av_error_text(ret));
    }
    if ((packet_->flags & AV_PKT_FLAG_CORRUPT) != 0) {
      av_packet_unref(packet_.get());
      return input_error("corrupt packet (truncated or damaged file)");
    }
    base::Status status;
    const int index = packet_->stream_index;
    if (index == video_in_->index) {
      status = decode(packet_.get());
    } else if (stream_map_[index] >= 0) {
      status = copy_packet(packet_.get());
    } else if (lanes_[index] != nullptr) {
      status = lanes_[index]->add(packet_.get());
    }
    av_packet_unref(packet_.get());
    CC_TRY(std::move(status));
  }
  CC_TRY(decode(nullptr));
  CC_TRY(encode(nullptr));
  for (const std::unique_ptr<AlacLane>& lane : lanes_) {
    if (lane != nullptr) {
      CC_TRY(lane->add(nullptr));
    }
  }
  if (summary_.frames == 0) {
    return Error(ErrorCode::kDataLoss, input_ + ": no frame decodes");
  }
  // The container's index counts the frames it holds: fewer decoded means the data ran out.
  if (video_in_->nb_frames > 0 && summary_.frames < video_in_->nb_frames) {
    return input_error("the file ends early (truncated or damaged): its index lists " +
                       std::to_string(video_in_->nb_frames) + " frames");
  }
  int ret = av_write_trailer(out_.get());
  if (ret < 0) {
    return output_error("cannot finish the MP4", ret);
  }
  ret = avio_closep(&out_->pb);
  if (ret < 0) {
    return output_error("cannot close", ret);
  }
  return summary_;
}

}  // namespace

base::Result<VideoRewriteSummary> rewrite_video(const std::string& input, const std::string& output,
                                                const VideoRewriteOptions& options,
                                                const LumaEditor& edit) {
  auto rewriter = std::make_unique<Rewriter>(input, output, options, edit);
  base::Result<VideoRewriteSummary> result = rewriter->run();
  const bool created = rewriter->created();
  rewriter.reset();  // closes the output before it is removed
  if (!result.has_value() && created) {
    std::remove(output.c_str());
  }
  return result;
}

}  // namespace clearcut::media
