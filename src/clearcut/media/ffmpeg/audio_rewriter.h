#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::media {

// Changes a whole stream's samples: interleaved float (full scale 1.0), `channels` per frame, at
// the source's own rate. Returns as many samples as it was given; an error stops the rewrite.
using SampleEditor = std::function<base::Result<std::vector<float>>(
    std::span<const float> interleaved, int channels, int sample_rate)>;

struct AudioRewriteOptions {
  // The whole stream is held in memory as float: longer sound is refused (kResourceExhausted).
  // An hour of 48 kHz stereo is 1.4 GB.
  double max_seconds = 3600.0;
};

struct AudioRewriteSummary {
  std::string codec;  // what was encoded: "mp3" or "flac"
  int sample_rate = 0;
  int channels = 0;
  int64_t bit_rate = 0;  // MP3: the bit rate encoded at (the source's); FLAC: 0
  int64_t frames = 0;    // samples per channel
};

// Writes a new file at `output` of `input`'s best audio stream decoded at its own rate and
// channels, passed whole to `edit`, and encoded again with the codec it had: MP3 (libmp3lame
// at the source's bit rate, 128 kbit/s when the source states none) into an MP3 file, or FLAC
// (16 or 24 bits as the source's, FFmpeg's flac encoder) into a FLAC file. The container's
// metadata (title, artist...) is kept; an MP3 gets FFmpeg's ID3v2.4 tag. Only audio files of
// one of these two codecs are rewritten.
//
// Errors: kNotFound, kInvalidArgument and kUnsupported as decode_audio gives them (no file, a
// folder, no audio), kUnsupported (another codec, FFmpeg built without libmp3lame, a video
// stream in the file), kResourceExhausted (longer than max_seconds), kDataLoss (a decode error
// in the input), kUnavailable (the output cannot be written), and `edit`'s own. On any error
// the output file is removed. Only local files are read. Thread-safe across calls.
base::Result<AudioRewriteSummary> rewrite_audio(const std::string& input, const std::string& output,
                                                const SampleEditor& edit,
                                                const AudioRewriteOptions& options = {});

}  // namespace clearcut::media
