#include "clearcut/media/ffmpeg/bare_decode.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <cerrno>

#include "clearcut/media/ffmpeg/internal/ffmpeg_common.h"

namespace clearcut::media {

base::Result<int64_t> bare_decode(const std::string& path, int thread_count) {
  AVDictionary* options = nullptr;
  auto opened = internal::open_input(path, nullptr, &options);
  av_dict_free(&options);
  internal::FormatContextPtr format = CC_TRY(std::move(opened));
  const int index = CC_TRY(internal::find_video_stream(format.get(), path));
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != index) {
      format->streams[i]->discard = AVDISCARD_ALL;
    }
  }
  internal::CodecContextPtr decoder =
      CC_TRY(internal::open_decoder(format->streams[index], thread_count, path));
  internal::PacketPtr packet(av_packet_alloc());
  internal::FramePtr frame(av_frame_alloc());
  if (!packet || !frame) {
    return base::Error(base::ErrorCode::kResourceExhausted, path + ": out of memory");
  }
  int64_t frames = 0;
  bool flushed = false;
  for (;;) {
    int ret = avcodec_receive_frame(decoder.get(), frame.get());
    if (ret == 0) {
      ++frames;
      av_frame_unref(frame.get());
      continue;
    }
    if (ret == AVERROR_EOF) {
      return frames;
    }
    if (ret != AVERROR(EAGAIN) || flushed) {
      return base::Error(base::ErrorCode::kDataLoss,
                         path + ": decode error: " + internal::av_error_text(ret));
    }
    ret = av_read_frame(format.get(), packet.get());
    if (ret < 0) {
      avcodec_send_packet(decoder.get(), nullptr);
      flushed = true;
      continue;
    }
    if (packet->stream_index == index) {
      ret = avcodec_send_packet(decoder.get(), packet.get());
    }
    av_packet_unref(packet.get());
    if (ret < 0) {
      return base::Error(base::ErrorCode::kDataLoss,
                         path + ": decode error: " + internal::av_error_text(ret));
    }
  }
}

}  // namespace clearcut::media
