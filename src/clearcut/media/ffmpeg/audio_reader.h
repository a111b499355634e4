#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::media {

// The rate audio is analysed at (fingerprints, later the audio watermark's detector): 8 kHz
// keeps 0-4 kHz, where speech's formants and most of a music bed's tonal energy lie, and costs
// a sixth of 48 kHz (audio/README.md says why this rate).
inline constexpr int kAnalysisSampleRate = 8000;

// One audio stream of a media file, as the container and codec parameters describe it.
struct AudioStreamInfo {
  int stream_index = -1;  // in the container
  std::string codec;      // FFmpeg's name: "pcm_s16le", "aac", "mp3", "flac", ...
  int sample_rate = 0;    // the source's, in Hz
  int channels = 0;
  std::string language;  // the stream's "language" tag, if any
  std::optional<double> duration_seconds;
  bool default_stream = false;  // FFmpeg's pick of the file's audio streams
};

// What a file holds: every audio stream (possibly none) and the container's name.
struct AudioFileInfo {
  std::string path;
  std::string container;  // FFmpeg's demuxer name: "wav", "mov,mp4,m4a,3gp,3g2,mj2", ...
  std::vector<AudioStreamInfo> streams;
  // Video streams that play (cover art, an attached picture, is not counted): a file with
  // none is an audio file. Also for the error text of a file without audio.
  int video_streams = 0;
  // The timecode the file states for its start: a "timecode" tag of the container or of a
  // stream (a MOV or MXF timecode track), as FFmpeg writes it ("01:00:00:00", ';' before the
  // frames for drop-frame); empty when it states none.
  std::string timecode;
  // A Broadcast WAV's time reference (EBU Tech 3285 "bext"): its first sample's position in
  // samples since midnight, at the file's sample rate.
  std::optional<uint64_t> time_reference;
};

// Lists the audio streams of `path` (any file libavformat reads: WAV, FLAC, MP3, M4A/AAC, the
// audio of MP4, MOV, MXF, MKV). Errors as decode_audio's for opening.
base::Result<AudioFileInfo> probe_audio(const std::string& path);

struct AudioDecodeOptions {
  int stream_index = -1;  // in the container; -1: FFmpeg's best audio stream
  int sample_rate = kAnalysisSampleRate;
  // Untrusted input is decoded only this far: longer audio is refused (kResourceExhausted)
  // before the samples past it are stored. 4 hours at 8 kHz is 115M floats (460 MB).
  double max_seconds = 4 * 3600.0;
  // Polled before each packet and while FFmpeg opens and reads (its interrupt callback): true
  // gives the decode up with kUnavailable ("interrupted"), which bounds how long a scan's
  // deadline or cancel waits for a long soundtrack. Unset: never.
  std::function<bool()> interrupted{};
};

// One audio stream decoded to mono float PCM (channels averaged; level as the source's, full
// scale 1.0) at a fixed rate, on the file's timeline: sample i plays at
// start_seconds + i / sample_rate seconds from the start of the file (the earliest start of
// any stream, so that audio and picture times agree in a movie file).
struct DecodedAudio {
  AudioStreamInfo stream;
  std::string path;
  int sample_rate = 0;
  double start_seconds = 0.0;
  std::vector<float> samples;
  // Gaps in the source's timestamps filled with silence, in samples (0 for a clean file).
  int64_t padded_samples = 0;

  double seconds_at(int64_t sample) const {
    return start_seconds + static_cast<double>(sample) / sample_rate;
  }
  double duration_seconds() const { return static_cast<double>(samples.size()) / sample_rate; }
};

// Decodes one audio stream of `path` with libavcodec and resamples it with libswresample.
// Timestamps place the samples: a gap between packets (a stream that starts late, a dropped
// packet) is filled with silence so that sample indices keep mapping to file time.
//
// Errors (base::Error, never a crash): a missing file (kNotFound), a folder
// (kInvalidArgument), a file FFmpeg cannot read, one without audio or without the requested
// stream (kUnsupported, naming what the file holds), audio longer than max_seconds
// (kResourceExhausted), a read or decode error or a stream that ends more than half a second
// before the duration its container states (a truncated file; a duration FFmpeg only estimated
// from the bitrate is not held against it) (kDataLoss, naming the time reached). A truncated
// file whose container states no duration (a raw MP3 or AAC stream) decodes to where it ends.
// Thread-safe: each call uses its own FFmpeg state.
base::Result<DecodedAudio> decode_audio(const std::string& path,
                                        const AudioDecodeOptions& options = {});

}  // namespace clearcut::media
