#pragma once

#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/media/ffmpeg/internal/test_clips.h"

// Test material for audio fingerprints, made at test time by tools Debian ships: espeak-ng
// speech as the "AI voice" lines, sox-synthesised music beds, mixes written here and then
// transformed by ffmpeg (AAC, MP3, resampling, EQ, level). For tests and benchmarks only.
namespace clearcut::audio::testing {

// The tools the material needs that do not run ("espeak-ng, sox"), or "" when all do.
std::string missing_tools();

// A fresh folder removed on destruction, and `s` in single quotes for the shell: the video
// tests' (media/ffmpeg/internal/test_clips.h).
using media::testing::quoted;
using media::testing::TempDir;

// Runs a trusted shell command for at most a minute; an error carries the command.
base::Status run(const std::string& command);

// Speaks `text` with an espeak-ng voice ("en-us", "en-gb-scotland+f3", ...) at `speed` words a
// minute into a WAV file (espeak's 22,050 Hz mono).
base::Status speak(const std::string& text, const std::string& voice, int speed,
                   const std::string& path);

// A music bed of `seconds`, 48 kHz mono WAV: a chord progression of plucked notes over a sine
// bass with a noise hi-hat, chosen by `seed` (different seeds, different music).
base::Status music_bed(double seconds, int seed, const std::string& path);

// Writes mono samples at `rate` as a 32-bit float WAV (WAVE_FORMAT_IEEE_FLOAT).
base::Status write_float_wav(const std::string& path, const std::vector<float>& samples, int rate);

// A line placed in a mix: the file and where its first sample lands.
struct Placement {
  std::string path;
  double at_seconds = 0.0;
};

// Mixes the lines into the bed at 0 dB speech-to-music (each line scaled so that its RMS over
// its voiced part equals the bed's RMS; `speech_to_music_db` raises the lines above that),
// 48 kHz mono, into a float WAV at `path`. Returns each line's duration in seconds (where it
// ends: at_seconds + duration).
base::Result<std::vector<double>> mix(const std::string& bed, const std::vector<Placement>& lines,
                                      const std::string& path, double speech_to_music_db = 0.0);

// A transformation a final mix applies, done by ffmpeg.
struct Transform {
  std::string name;    // "aac128", "mp3-128", ...
  std::string ffmpeg;  // output options: "-c:a aac -b:a 128k"
  std::string suffix;  // output file suffix: ".m4a"
};

// The transformations of issue #18: none, AAC 128k, MP3 128k, 48 -> 44.1 kHz, EQ, level -15 dB
// and +6 dB (limited), and all of them at once (EQ, level, 44.1 kHz, AAC).
std::vector<Transform> transforms();

// Applies `t` to `input`, writing `output_stem` + t.suffix; returns that path.
base::Result<std::string> apply(const Transform& t, const std::string& input,
                                const std::string& output_stem);

// Sentences for lines, 2 to 4 s each when spoken; and voices.
const std::vector<std::string>& sentences();
const std::vector<std::string>& voices();

}  // namespace clearcut::audio::testing
