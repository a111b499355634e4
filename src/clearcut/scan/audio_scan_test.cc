// The scanner's audio track (issue #18): registered outputs' sound found in a deliverable's
// audio, in a movie's AAC track and in audio-only files, with timecodes, verdicts and the
// report's audio row. Material made at test time (espeak-ng, sox, ffmpeg).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/audio/fingerprint_codec.h"
#include "clearcut/audio/internal/test_material.h"
#include "clearcut/audio/watermark.h"
#include "clearcut/base/base64.h"
#include "clearcut/media/ffmpeg/audio_reader.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/scan/scanner.h"

namespace clearcut::scan {
namespace {

namespace tm = audio::testing;

constexpr int64_t kProduction = 1;
constexpr int64_t kOtherProduction = 2;
constexpr int64_t kUseCase = 10;
constexpr char kNow[] = "2026-12-07T12:00:00Z";

// Two espeak lines; a 20 s mix over a sox bed with line 0 at 6.0 s at 0 dB; that mix under a
// 25 fps picture in an MP4 (AAC) and alone as an M4A; and a mix of two other lines.
struct Material {
  tm::TempDir dir;
  std::vector<std::string> lines;
  double line0_seconds = 0;
  std::string movie;
  std::string m4a;
  std::string other;
};

base::Status make(Material& m) {
  for (int i = 0; i < 4; ++i) {
    const std::string path = m.dir.file("line" + std::to_string(i) + ".wav");
    CC_TRY(tm::speak(tm::sentences()[static_cast<size_t>(i)], tm::voices()[static_cast<size_t>(i)],
                     160, path));
    m.lines.push_back(path);
  }
  const std::string bed = m.dir.file("bed.wav");
  CC_TRY(tm::music_bed(20.0, 4, bed));
  const std::string mix = m.dir.file("mix.wav");
  m.line0_seconds = CC_TRY(tm::mix(bed, {{m.lines[0], 6.0}}, mix))[0];
  m.movie = m.dir.file("reel 1.mp4");
  CC_TRY(
      tm::run("ffmpeg -nostdin -loglevel error -y -f lavfi -i "
              "testsrc=size=160x120:rate=25:duration=20 -i " +
              tm::quoted(mix) + " -c:v mpeg4 -c:a aac -b:a 128k -shortest " + tm::quoted(m.movie)));
  m.m4a = m.dir.file("stem.m4a");
  CC_TRY(tm::run("ffmpeg -nostdin -loglevel error -y -i " + tm::quoted(mix) +
                 " -c:a aac -b:a 128k " + tm::quoted(m.m4a)));
  const std::string other_bed = m.dir.file("other_bed.wav");
  CC_TRY(tm::music_bed(14.0, 5, other_bed));
  m.other = m.dir.file("other.wav");
  CC_TRY(tm::mix(other_bed, {{m.lines[2], 2.0}, {m.lines[3], 8.0}}, m.other));
  return {};
}

class AudioScanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string missing = tm::missing_tools();
    if (!missing.empty()) {
      setup_error = "the test material needs " + missing + " (scripts/bootstrap installs them)";
      return;
    }
    auto m = std::make_unique<Material>();
    auto status = make(*m);
    if (!status.has_value()) {
      setup_error = status.error().to_string();
      return;
    }
    material = std::move(m);
  }
  static void TearDownTestSuite() { material.reset(); }

  void SetUp() override {
    ASSERT_TRUE(material) << setup_error;
    registry_.production.id = kProduction;
    registry_.production.code = "show";
    options_.now = kNow;
  }

  // Registers the line's sound as an asset, through the stored form the database holds.
  void register_line(int64_t id, const std::string& line, domain::AssetStatus status,
                     int64_t production = kProduction) {
    auto decoded = media::decode_audio(line);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
    auto fp = audio::fingerprint(decoded->samples);
    ASSERT_TRUE(fp.has_value());
    auto stored = audio::decode_fingerprint(audio::encode_fingerprint(*fp).value());
    ASSERT_TRUE(stored.has_value());
    ASSERT_TRUE(registry_.audio_index.add(std::to_string(id), *stored).has_value());
    domain::Asset asset;
    asset.id = id;
    asset.production_id = production;
    asset.use_case_id = kUseCase;
    asset.file_name = "line-" + std::to_string(id) + ".wav";
    asset.media_type = "audio/wav";
    asset.status = status;
    registry_.assets.emplace(id, asset);
    registry_.own_assets += production == kProduction ? 1 : 0;
  }

  FileReport scan_one(const std::string& path) {
    return scan_file(ScanInput{path, false, 0}, registry_, options_);
  }

  static std::string describe(const FileReport& r) {
    std::string out = r.kind + (r.error.empty() ? "" : " error: " + r.error) + ";";
    for (const Finding& f : r.findings) {
      out += " [" + f.track + " asset " + (f.asset_id ? std::to_string(*f.asset_id) : "-") + " " +
             std::to_string(f.start_seconds) + "-" + std::to_string(f.end_seconds) + " " +
             std::string(verdict_name(f.verdict)) + "]";
    }
    for (const std::string& u : r.unchecked) {
      out += " (" + u + ")";
    }
    return out;
  }

  static inline std::unique_ptr<Material> material;
  static inline std::string setup_error;
  Registry registry_;
  ScanOptions options_;
};

TEST_F(AudioScanTest, FindsARegisteredLineInAMoviesSoundAtItsTimecode) {
  register_line(100, material->lines[0], domain::AssetStatus::kProvisional);
  register_line(101, material->lines[1], domain::AssetStatus::kProvisional);
  const FileReport r = scan_one(material->movie);
  ASSERT_TRUE(r.error.empty()) << describe(r);
  EXPECT_EQ(r.kind, "video");
  ASSERT_EQ(r.audio.size(), 1u);
  EXPECT_EQ(r.audio[0].codec, "aac");
  EXPECT_NEAR(r.audio[0].seconds, 20.0, 0.1);
  ASSERT_EQ(r.findings.size(), 1u) << describe(r);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.track, "audio");
  EXPECT_EQ(f.audio_stream, 1);
  EXPECT_EQ(f.asset_id, 100);
  EXPECT_NEAR(f.start_seconds, 6.0, 0.1);
  EXPECT_NEAR(f.end_seconds, 6.0 + material->line0_seconds, 0.1);
  // 6.0 s at 25 fps is frame 150: 00:00:06:00 (AAC's priming may move it a frame).
  EXPECT_NEAR(static_cast<double>(f.first_frame), 150.0, 2.0);
  EXPECT_EQ(f.start_timecode.substr(0, 8), "00:00:06");
  EXPECT_EQ(f.verdict, Verdict::kProvisionalInFinal);
  ASSERT_EQ(f.signals.size(), 1u);
  EXPECT_EQ(f.signals[0].kind, "audio_fingerprint");
  EXPECT_NE(f.signals[0].detail.find("% of peaks"), std::string::npos);
  EXPECT_FALSE(r.passes());
}

TEST_F(AudioScanTest, AnAudioFileIsScannedOnItsOwnAndAClearedLinePasses) {
  register_line(100, material->lines[0], domain::AssetStatus::kCleared);
  domain::Approval approval;
  approval.id = 1;
  approval.use_case_id = kUseCase;
  approval.granted = true;
  approval.scope = domain::read_approval_scope(R"({"final_use": true})");
  registry_.approvals[kUseCase].push_back(approval);
  options_.watermark_key = watermark::WatermarkKey::from_passphrase("audio scan test").value();
  const FileReport r = scan_one(material->m4a);
  ASSERT_TRUE(r.error.empty()) << describe(r);
  EXPECT_EQ(r.kind, "audio");
  // AAC: the audio watermark does not survive it, so it is not read, and the report says so.
  EXPECT_EQ(r.audio_watermark_streams, 0);
  EXPECT_NE(std::find(r.unchecked.begin(), r.unchecked.end(),
                      "audio stream 0: watermark: not read from aac, which the audio watermark "
                      "does not survive yet"),
            r.unchecked.end())
      << describe(r);
  EXPECT_EQ(r.frame_rate, "25/1");  // no picture to follow, no rate given
  EXPECT_EQ(r.timecode_rate_from, "default");
  EXPECT_EQ(r.start_timecode, "");
  EXPECT_EQ(r.frames_decoded, 0);
  EXPECT_NEAR(r.duration_seconds, 20.0, 0.1);
  ASSERT_EQ(r.findings.size(), 1u) << describe(r);
  EXPECT_EQ(r.findings[0].verdict, Verdict::kCleared) << r.findings[0].reason;
  EXPECT_NEAR(r.findings[0].start_seconds, 6.0, 0.1);
  EXPECT_EQ(r.findings[0].start_timecode.substr(0, 8), "00:00:06");
  EXPECT_TRUE(r.passes()) << describe(r);
  // Where a picture finding shows its frame, a sound finding shows the waveform it was found in.
  auto jpeg = base::base64_decode(r.findings[0].frame_thumbnail);
  ASSERT_TRUE(jpeg.has_value());
  auto picture = media::decode_image(*jpeg);
  ASSERT_TRUE(picture.has_value()) << picture.error().to_string();
  EXPECT_EQ(picture->width, 160);
  EXPECT_EQ(picture->height, 64);

  ScanReport report;
  report.production_code = "show";
  report.files.push_back(r);
  const nlohmann::json j = nlohmann::json::parse(report_json(report));
  const nlohmann::json& finding = j["files"][0]["findings"][0];
  EXPECT_EQ(finding["track"], "audio");
  EXPECT_EQ(finding["audio_stream"], 0);
  EXPECT_EQ(j["files"][0]["audio"][0]["codec"], "aac");
  const std::string html = report_html(report);
  EXPECT_NE(html.find("class=\"block v-cleared audio\""), std::string::npos);
  EXPECT_NE(html.find("#1 sound cleared"), std::string::npos);
  EXPECT_NE(html.find("<td>audio (stream 0)</td>"), std::string::npos);
  EXPECT_NE(html.find("alt=\"waveform of the sound of "), std::string::npos);
}

TEST_F(AudioScanTest, UnregisteredSpeechIsNoFinding) {
  register_line(100, material->lines[0], domain::AssetStatus::kProvisional);
  const FileReport r = scan_one(material->other);
  ASSERT_TRUE(r.error.empty()) << describe(r);
  EXPECT_EQ(r.kind, "audio");
  EXPECT_TRUE(r.findings.empty()) << describe(r);
  EXPECT_TRUE(r.passes());
}

TEST_F(AudioScanTest, AnotherProductionsLineIsUndeclaredAndNamesNothing) {
  register_line(200, material->lines[0], domain::AssetStatus::kCleared, kOtherProduction);
  const FileReport r = scan_one(material->movie);
  ASSERT_EQ(r.findings.size(), 1u) << describe(r);
  EXPECT_EQ(r.findings[0].verdict, Verdict::kUndeclaredAi);
  EXPECT_FALSE(r.findings[0].asset_id.has_value());
  ASSERT_TRUE(r.findings[0].elsewhere.has_value());
  EXPECT_EQ(r.findings[0].elsewhere->asset_id, 200);
  for (const Signal& s : r.findings[0].signals) {
    EXPECT_TRUE(s.detail.empty());
  }
}

// The audio watermark in a stem (a lossless WAV): with the key, a registered line's mark joins
// its fingerprint finding; a marked line nobody registered is undeclared AI, found by its mark
// alone; without the key the report says the mark was not read.
TEST_F(AudioScanTest, TheAudioWatermarkJoinsItsFindingOrFindsUndeclaredSound) {
  const auto key = watermark::WatermarkKey::from_passphrase("audio scan test").value();
  auto marked_line = [&](int line, uint64_t payload, const std::string& name) {
    auto decoded = media::decode_audio(material->lines[static_cast<size_t>(line)],
                                       {.stream_index = -1, .sample_rate = 16000});
    EXPECT_TRUE(decoded.has_value());
    auto marked = audio::embed_watermark(decoded->samples, 1, 16000, payload, key);
    EXPECT_TRUE(marked.has_value()) << marked.error().to_string();
    const std::string path = material->dir.file(name);
    EXPECT_TRUE(tm::write_float_wav(path, *marked, 16000).has_value());
    return path;
  };
  // A stem: 2 s of silence, the registered line marked, 2 s, an unregistered line marked.
  const std::string registered = marked_line(0, 0x1111222233334444ULL, "marked0.wav");
  const std::string stranger = marked_line(2, 0x5555666677778888ULL, "marked2.wav");
  const std::string stem = material->dir.file("stem.wav");
  ASSERT_TRUE(tm::run("ffmpeg -nostdin -loglevel error -y -i " + tm::quoted(registered) + " -i " +
                      tm::quoted(stranger) +
                      " -filter_complex \"[0:a]adelay=2000[a];[1:a]adelay=8000[b];"
                      "[a][b]amix=inputs=2:normalize=0\" -c:a pcm_s16le -ar 48000 " +
                      tm::quoted(stem))
                  .has_value());
  register_line(100, material->lines[0], domain::AssetStatus::kProvisional);
  registry_.by_watermark[0x1111222233334444ULL] = 100;

  const FileReport unkeyed = scan_one(stem);
  ASSERT_EQ(unkeyed.findings.size(), 1u) << describe(unkeyed);
  EXPECT_EQ(unkeyed.findings[0].signals.size(), 1u);

  options_.watermark_key = key;
  const FileReport r = scan_one(stem);
  ASSERT_TRUE(r.error.empty()) << describe(r);
  EXPECT_EQ(r.audio_watermark_streams, 1);
  ASSERT_EQ(r.findings.size(), 2u) << describe(r);
  const Finding& own = r.findings[0];
  EXPECT_EQ(own.asset_id, 100);
  EXPECT_NEAR(own.start_seconds, 2.0, 0.1);  // the fingerprint's span, exact
  ASSERT_EQ(own.signals.size(), 2u) << describe(r);
  EXPECT_EQ(own.signals[0].kind, "audio_fingerprint");
  EXPECT_EQ(own.signals[1].kind, "watermark");
  EXPECT_EQ(own.signals[1].detail, "1111222233334444");
  EXPECT_GE(own.signals[1].frames, 1);
  const Finding& undeclared = r.findings[1];
  EXPECT_FALSE(undeclared.asset_id.has_value());
  EXPECT_EQ(undeclared.verdict, Verdict::kUndeclaredAi);
  EXPECT_EQ(undeclared.track, "audio");
  EXPECT_EQ(undeclared.signals[0].detail, "5555666677778888");
  // Its windows: within the 3 s grid around the line at 8 s.
  EXPECT_GE(undeclared.start_seconds, 5.0);
  EXPECT_LE(undeclared.end_seconds, 15.0);
}

// Timecodes an editor would read off the deliverable: a reel whose timecode track starts at
// 01:00:00:00, a Broadcast WAV whose time reference is an hour after midnight, a stem beside
// picture at 23.976 and one scanned with the rate given.
TEST_F(AudioScanTest, TimecodesCountFromTheFilesOwnStartAndAtTheDeliverysRate) {
  register_line(100, material->lines[0], domain::AssetStatus::kProvisional);
  const std::string mix = material->dir.file("mix.wav");
  const std::string reel = material->dir.file("reel tc.mov");
  ASSERT_TRUE(tm::run("ffmpeg -nostdin -loglevel error -y -f lavfi -i "
                      "testsrc=size=160x120:rate=25:duration=20 -i " +
                      tm::quoted(mix) +
                      " -c:v mpeg4 -c:a pcm_s16le -timecode 01:00:00:00 -shortest " +
                      tm::quoted(reel))
                  .has_value());
  const FileReport movie = scan_one(reel);
  ASSERT_TRUE(movie.error.empty()) << describe(movie);
  EXPECT_EQ(movie.start_timecode, "01:00:00:00");
  EXPECT_EQ(movie.timecode_from, "container");
  ASSERT_EQ(movie.findings.size(), 1u) << describe(movie);
  EXPECT_NEAR(movie.findings[0].start_seconds, 6.0, 0.1);  // seconds stay the file's own
  EXPECT_EQ(movie.findings[0].start_timecode.substr(0, 8), "01:00:06");

  const std::string bwf = material->dir.file("stem bwf.wav");
  ASSERT_TRUE(tm::run("ffmpeg -nostdin -loglevel error -y -i " + tm::quoted(mix) +
                      " -ar 48000 -c:a pcm_s24le -write_bext 1 -metadata time_reference=" +
                      std::to_string(int64_t{3600} * 48000) + " " + tm::quoted(bwf))
                  .has_value());
  const FileReport stem = scan_one(bwf);
  ASSERT_TRUE(stem.error.empty()) << describe(stem);
  EXPECT_EQ(stem.kind, "audio");
  EXPECT_EQ(stem.start_timecode, "01:00:00:00");
  EXPECT_EQ(stem.timecode_from, "bext");
  ASSERT_EQ(stem.findings.size(), 1u) << describe(stem);
  EXPECT_EQ(stem.findings[0].start_timecode.substr(0, 8), "01:00:06");

  // Beside picture at 23.976, the stem counts at 23.976: 6.0 s falls in frame 143, 00:00:05:23.
  const std::string picture = material->dir.file("picture 23976.mp4");
  ASSERT_TRUE(tm::run("ffmpeg -nostdin -loglevel error -y -f lavfi -i "
                      "testsrc=size=160x120:rate=24000/1001:duration=2 -c:v mpeg4 " +
                      tm::quoted(picture))
                  .has_value());
  ScanReport delivery = scan({picture, material->m4a}, registry_, options_);
  ASSERT_EQ(delivery.files.size(), 2u);
  const FileReport& beside = delivery.files[1];
  EXPECT_EQ(beside.kind, "audio");
  EXPECT_EQ(beside.frame_rate, "24000/1001");
  EXPECT_EQ(beside.timecode_rate_from, "delivery");
  ASSERT_EQ(beside.findings.size(), 1u) << describe(beside);
  EXPECT_NEAR(static_cast<double>(beside.findings[0].first_frame), 143.0, 2.0);
  EXPECT_EQ(beside.findings[0].start_timecode,
            format_timecode(beside.findings[0].first_frame, {24000, 1001}, false));
  const nlohmann::json j = nlohmann::json::parse(report_json(delivery));
  EXPECT_EQ(j["files"][1]["timecode_rate_from"], "delivery");
  EXPECT_EQ(j["files"][1]["frame_rate"], "24000/1001");
  EXPECT_NE(report_html(delivery).find("s picture rate)"), std::string::npos);  // ' escaped

  // A rate given to the scan wins over the delivery's.
  options_.timecode_rate = TimecodeRate{{30, 1}, false};
  delivery = scan({picture, material->m4a}, registry_, options_);
  EXPECT_EQ(delivery.files[1].frame_rate, "30/1");
  EXPECT_EQ(delivery.files[1].timecode_rate_from, "scan_option");
  ASSERT_EQ(delivery.files[1].findings.size(), 1u);
  EXPECT_NEAR(static_cast<double>(delivery.files[1].findings[0].first_frame), 180.0, 2.0);
}

TEST_F(AudioScanTest, WithoutRegisteredSoundTheAudioIsNotSearchedAndTheReportSaysSo) {
  const FileReport r = scan_one(material->movie);
  EXPECT_TRUE(r.audio.empty());
  bool said = false;
  for (const std::string& u : r.unchecked) {
    said |= u.find("no registered output has sound and no watermark key") != std::string::npos;
  }
  EXPECT_TRUE(said) << describe(r);
}

}  // namespace
}  // namespace clearcut::scan
