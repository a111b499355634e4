#include "clearcut/audio/internal/test_material.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "clearcut/media/ffmpeg/audio_reader.h"

namespace clearcut::audio::testing {
namespace {

using base::Error;
using base::ErrorCode;

bool runs(const char* command) {
  return std::system(command) == 0;
}

void put_u32(std::ofstream& out, uint32_t v) {
  const char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 24)};
  out.write(b, 4);
}
void put_u16(std::ofstream& out, uint16_t v) {
  const char b[2] = {static_cast<char>(v), static_cast<char>(v >> 8)};
  out.write(b, 2);
}

// RMS over the samples louder than 1/30 of the peak (the voiced part of a line).
double active_rms(const std::vector<float>& s) {
  float peak = 0;
  for (float x : s) {
    peak = std::max(peak, std::fabs(x));
  }
  double sum = 0;
  size_t n = 0;
  // Over 20 ms windows, so that the quiet parts of a voiced stretch count.
  const size_t w = 960;
  for (size_t i = 0; i + w <= s.size(); i += w) {
    double e = 0;
    float m = 0;
    for (size_t j = i; j < i + w; ++j) {
      e += static_cast<double>(s[j]) * s[j];
      m = std::max(m, std::fabs(s[j]));
    }
    if (m > peak / 30) {
      sum += e;
      n += w;
    }
  }
  return n == 0 ? 0.0 : std::sqrt(sum / static_cast<double>(n));
}

}  // namespace

base::Status write_float_wav(const std::string& path, const std::vector<float>& samples, int rate) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const auto data_bytes = static_cast<uint32_t>(samples.size() * 4);
  out.write("RIFF", 4);
  put_u32(out, 36 + data_bytes);
  out.write("WAVEfmt ", 8);
  put_u32(out, 16);
  put_u16(out, 3);  // IEEE float
  put_u16(out, 1);
  put_u32(out, static_cast<uint32_t>(rate));
  put_u32(out, static_cast<uint32_t>(rate) * 4);
  put_u16(out, 4);
  put_u16(out, 32);
  out.write("data", 4);
  put_u32(out, data_bytes);
  out.write(reinterpret_cast<const char*>(samples.data()),
            static_cast<std::streamsize>(data_bytes));
  if (!out) {
    return Error(ErrorCode::kUnavailable, path + ": cannot write");
  }
  return {};
}

std::string missing_tools() {
  std::string missing;
  auto need = [&missing](const char* name, const char* probe) {
    if (!runs(probe)) {
      missing += (missing.empty() ? "" : ", ") + std::string(name);
    }
  };
  need("espeak-ng", "espeak-ng --version >/dev/null 2>&1");
  need("sox", "sox --version >/dev/null 2>&1");
  need("ffmpeg", "ffmpeg -version >/dev/null 2>&1");
  return missing;
}

base::Status run(const std::string& command) {
  const std::string line = "timeout 60 " + command + " >/dev/null 2>&1";
  if (std::system(line.c_str()) != 0) {
    return Error(ErrorCode::kInternal, "command failed: " + command);
  }
  return {};
}

base::Status speak(const std::string& text, const std::string& voice, int speed,
                   const std::string& path) {
  return run("espeak-ng -v " + quoted(voice) + " -s " + std::to_string(speed) + " -w " +
             quoted(path) + " " + quoted(text));
}

base::Status music_bed(double seconds, int seed, const std::string& path) {
  // Chords (semitones from A4, sox's %N notation) of a few progressions; each seed picks one,
  // a tempo and a key.
  static const int kProgressions[4][4][3] = {
      {{-9, -5, -2}, {-4, 0, 3}, {-7, -3, 0}, {-2, 2, 5}},   // C G Am F (in A4 terms)
      {{-7, -3, 0}, {-2, 2, 5}, {-9, -5, -2}, {-4, 0, 3}},   // Am F C G
      {{-9, -5, -2}, {-7, -3, 0}, {-2, 2, 5}, {-4, 0, 3}},   // C Am F G
      {{-5, -1, 2}, {-9, -5, -2}, {-4, 0, 3}, {-7, -3, 0}},  // Em C G Am
  };
  const auto& chords = kProgressions[seed % 4];
  const int key = (seed * 5) % 7 - 3;
  const double beat = 0.35 + 0.05 * (seed % 5);
  const std::string dir = path + ".parts";
  std::filesystem::create_directories(dir);
  std::string list;
  int n = 0;
  for (double t = 0; t < seconds; t += beat, ++n) {
    const auto& c = chords[(n / 4) % 4];
    const int bass = c[0] - 24 + key;
    const std::string part = dir + "/" + std::to_string(n) + ".wav";
    // Three plucked notes, the bass on a sine, a short noise burst on the off-beats; mixed to
    // one channel with the bass and hi-hat lower.
    const int note = c[(n + seed) % 3] + 12 + key;
    std::string synth =
        "sox -R -n -r 48000 -b 16 -c 1 " + quoted(part) + " synth " + std::to_string(beat) +
        " pluck %" + std::to_string(c[0] + key) + " pluck %" + std::to_string(c[1] + key) +
        " pluck %" + std::to_string(c[2] + key) + " pluck %" + std::to_string(note) + " sine %" +
        std::to_string(bass) +
        (n % 2 == 1 ? " whitenoise" : " sine %" + std::to_string(bass + 12)) +
        " remix 1v0.3,2v0.3,3v0.3,4v0.25,5v0.35,6v" + (n % 2 == 1 ? "0.04" : "0.1") +
        " fade q 0.005 " + std::to_string(beat) + " 0.02";
    CC_TRY(run(synth));
    list += " " + quoted(part);
  }
  CC_TRY(run("sox -R" + list + " " + quoted(path) + " trim 0 " + std::to_string(seconds)));
  std::filesystem::remove_all(dir);
  return {};
}

base::Result<std::vector<double>> mix(const std::string& bed, const std::vector<Placement>& lines,
                                      const std::string& path, double speech_to_music_db) {
  constexpr int kRate = 48000;
  media::AudioDecodeOptions options;
  options.sample_rate = kRate;
  media::DecodedAudio music = CC_TRY(media::decode_audio(bed, options));
  std::vector<float> out = music.samples;
  const double music_rms = active_rms(out);
  std::vector<double> durations;
  for (const Placement& p : lines) {
    media::DecodedAudio line = CC_TRY(media::decode_audio(p.path, options));
    const double rms = active_rms(line.samples);
    const float gain =
        rms > 0 ? static_cast<float>(music_rms / rms * std::pow(10.0, speech_to_music_db / 20))
                : 1.0f;
    const auto at = static_cast<size_t>(std::llround(p.at_seconds * kRate));
    if (out.size() < at + line.samples.size()) {
      out.resize(at + line.samples.size(), 0.0f);
    }
    for (size_t i = 0; i < line.samples.size(); ++i) {
      out[at + i] += gain * line.samples[i];
    }
    durations.push_back(line.duration_seconds());
  }
  float peak = 0;
  for (float x : out) {
    peak = std::max(peak, std::fabs(x));
  }
  if (peak > 0.9f) {
    for (float& x : out) {
      x *= 0.9f / peak;
    }
  }
  CC_TRY(write_float_wav(path, out, kRate));
  return durations;
}

std::vector<Transform> transforms() {
  return {
      {"wav", "-c:a pcm_s16le", ".wav"},
      {"aac128", "-c:a aac -b:a 128k", ".m4a"},
      {"mp3-128", "-c:a libmp3lame -b:a 128k", ".mp3"},
      {"44.1k", "-ar 44100 -c:a pcm_s16le", ".wav"},
      {"eq", "-af 'equalizer=f=200:t=q:w=1:g=-9,equalizer=f=2500:t=q:w=1:g=9' -c:a pcm_s16le",
       ".wav"},
      {"level-15dB", "-af volume=-15dB -c:a pcm_s16le", ".wav"},
      {"level+6dB", "-af 'volume=6dB,alimiter=limit=0.99' -c:a pcm_s16le", ".wav"},
      {"all",
       "-af 'equalizer=f=200:t=q:w=1:g=-9,equalizer=f=2500:t=q:w=1:g=9,volume=-10dB' "
       "-ar 44100 -c:a aac -b:a 128k",
       ".m4a"},
  };
}

base::Result<std::string> apply(const Transform& t, const std::string& input,
                                const std::string& output_stem) {
  const std::string out = output_stem + t.suffix;
  CC_TRY(run("ffmpeg -nostdin -hide_banner -loglevel error -y -i " + quoted(input) + " " +
             t.ffmpeg + " " + quoted(out)));
  return out;
}

const std::vector<std::string>& sentences() {
  static const std::vector<std::string> kSentences = {
      "The lighthouse keeper counted every ship that passed.",
      "We will meet at the station before the last train.",
      "Nobody told me the bridge had closed for repairs.",
      "Bring the blue folder and the signed contract tomorrow.",
      "She opened the window and the storm came in.",
      "I never promised you a garden full of roses.",
      "The council voted twice and still could not agree.",
      "Keep the engine running, we leave in five minutes.",
      "Those letters were written long before the war.",
      "He laughed, put down his glass, and walked away.",
      "Our first season on the farm was the hardest.",
      "Turn left at the old mill and follow the river.",
      "My brother swears he saw the comet last night.",
      "This is the last time I lend you my car.",
      "The museum closes early on the first of May.",
      "Every answer you need is hidden in that book.",
      "The captain ordered the crew to lower the sails.",
      "I found your keys under the kitchen table again.",
      "Nothing about this case makes any sense to me.",
      "Listen carefully, because I will only say this once.",
  };
  return kSentences;
}

const std::vector<std::string>& voices() {
  static const std::vector<std::string> kVoices = {
      "en-us", "en-gb", "en-gb-scotland", "en-029", "en-us+f3", "en-gb-x-rp+f2", "en-us+m5",
  };
  return kVoices;
}

}  // namespace clearcut::audio::testing
