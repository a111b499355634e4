// Stamping throughput: `clearcut stamp`'s pipeline (src/clearcut/stamp/stamper.cc) end to end per
// file, and where its time goes.
//
//  BM_Stamp/<format>        stage_stamp() and commit(): read, check for existing Content
//                           Credentials and an existing mark, decode, watermark, encode, XMP label,
//                           C2PA sign, write and fsync a temporary file, read it back and verify it
//                           (C2PA integrity and trust, XMP, watermark, SHA-256 and PDQ), move it
//                           into place. items_per_second is files per second.
//  BM_StampStages/<format>  the same stages one after another through the same library calls
//                           and settings as the stamper, each timed: the counters are CPU ms
//                           per file per stage (the stamper is not instrumented; their sum
//                           matches BM_Stamp's CPU time to within the noise). For the MP4,
//                           verify_ms includes the PDQ hashes of the frames taken as they go to
//                           the encoder, as the stamper takes them (an approximation of its rule:
//                           no near-duplicate dropping), and the read-back of the mark.
//
//  BM_Reencode/mp4_1080p_2s the baseline for video: the same decode and libx264 encode
//                           (rewrite_video, the stamper's settings) with no change to the frames.
//                           BM_Stamp/mp4 over it is what the watermark, signing and read-back
//                           add to a re-encode the clip needs anyway.
//
// Formats: a 1920x1080 JPEG and PNG (the smooth-plus-noise frames of pdq_bench_input.h) and,
// when the ffmpeg tool is on PATH, a 2 s 1080p H.264 MP4 (watermarked in every frame and
// re-encoded, as the stamper does for video). Registration in the store is not included: see
// bench/README.md.
// Files are written under $STAMP_BENCH_DIR, else the system temporary folder.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/pdq_bench_input.h"
#include <benchmark/benchmark.h>

#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/media/ffmpeg/video_rewriter.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/c2pa_writer.h"
#include "clearcut/provenance/c2pa/digital_source_type.h"
#include "clearcut/provenance/c2pa/signing_keys.h"
#include "clearcut/provenance/c2pa/trust_anchors.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/watermark/video_watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_embedder.h"
#include "clearcut/provenance/watermark/watermark_key.h"
#include "clearcut/provenance/xmp/xmp_label.h"
#include "clearcut/stamp/stamper.h"

namespace clearcut::bench {
namespace {

namespace fs = std::filesystem;

// The stamper's JPEG settings (stamper.cc, kJpegQuality; 4:4:4 so the mark keeps its chroma).
constexpr int kStampJpegQuality = 95;

// Keys, inputs and the folder, made once per process.
struct Fixture {
  fs::path dir;
  std::optional<c2pa::SigningKeys> signer;
  std::optional<c2pa::TrustAnchors> anchors;
  std::optional<watermark::WatermarkKey> key;
  std::map<std::string, fs::path> inputs;  // "jpeg", "png", "mp4"
  std::string error;
};

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

Fixture make_fixture() {
  Fixture f;
  const char* base = std::getenv("STAMP_BENCH_DIR");
  f.dir = fs::path(base != nullptr ? base : fs::temp_directory_path().string()) /
          ("clearcut-stamp-bench-" + std::to_string(::getpid()));
  fs::create_directories(f.dir);
  c2pa::CertificateOptions root_options;
  root_options.subject = {"clearcut stamp bench root", "clearcut bench", ""};
  auto root = c2pa::generate_root_ca(root_options);
  c2pa::CertificateOptions signer_options;
  signer_options.subject = {"clearcut stamp bench signer", "clearcut bench", ""};
  auto issued = root.has_value()
                    ? c2pa::issue_signer_certificate(signer_options, root->certificate_chain_pem,
                                                     root->private_key_pem)
                    : base::Result<c2pa::PemCredentials>(root.error());
  if (!issued.has_value()) {
    f.error = issued.error().to_string();
    return f;
  }
  auto signer = c2pa::SigningKeys::from_pem(issued->private_key_pem, issued->certificate_chain_pem);
  auto anchors = c2pa::TrustAnchors::from_pem(root->certificate_chain_pem);
  auto key = watermark::WatermarkKey::from_passphrase("stamp bench passphrase");
  if (!signer.has_value() || !anchors.has_value() || !key.has_value()) {
    f.error = "keys";
    return f;
  }
  f.signer = std::move(*signer);
  f.anchors = std::move(*anchors);
  f.key = std::move(*key);

  media::Image frame{1920, 1080, 3, synthetic_rgb(1920, 1080)};
  auto jpeg = media::encode_jpeg(frame, {.quality = 90});
  auto png = media::encode_png(frame);
  if (!jpeg.has_value() || !png.has_value()) {
    f.error = "encode";
    return f;
  }
  write_file(f.dir / "frame.jpg", *jpeg);
  write_file(f.dir / "frame.png", *png);
  f.inputs["jpeg"] = f.dir / "frame.jpg";
  f.inputs["png"] = f.dir / "frame.png";
  const fs::path clip = f.dir / "clip.mp4";
  const std::string make =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=25 -t 2 -c:v libx264 "
      "-pix_fmt yuv420p " +
      clip.string() + " >/dev/null 2>&1";
  if (std::system(make.c_str()) == 0 && fs::exists(clip)) {
    f.inputs["mp4"] = clip;
  }
  return f;
}

Fixture& fixture() {
  static Fixture f = make_fixture();
  return f;
}

struct FixtureCleanup {
  ~FixtureCleanup() {
    std::error_code ec;
    fs::remove_all(fixture().dir, ec);
  }
};

c2pa::ManifestDefinition manifest(const std::string& title) {
  c2pa::ManifestDefinition m;
  m.software_agent.name = "Bench Diffusion";
  m.registration = c2pa::Registration{"1", "bench-production", ""};
  m.title = title;
  return m;
}

const fs::path* input_or_skip(benchmark::State& state, const std::string& format) {
  Fixture& f = fixture();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return nullptr;
  }
  auto it = f.inputs.find(format);
  if (it == f.inputs.end()) {
    state.SkipWithError("no input (the MP4 needs the ffmpeg tool with libx264)");
    return nullptr;
  }
  return &it->second;
}

void BM_Stamp(benchmark::State& state, const std::string& format) {
  const fs::path* input = input_or_skip(state, format);
  if (input == nullptr) {
    return;
  }
  Fixture& f = fixture();
  stamp::StampRequest request;
  request.input = input->string();
  request.output = (f.dir / ("stamped-" + input->filename().string())).string();
  request.force = true;
  request.manifest = manifest(input->filename().string());
  request.watermark_key = &*f.key;
  request.signer = &*f.signer;
  request.trust_anchors = &*f.anchors;
  uint64_t payload = 0x5eed;
  stamp::VideoFrameHashes video_hashes;
  for (auto _ : state) {
    request.watermark_payload = ++payload;
    auto staged = stamp::stage_stamp(request);
    if (!staged.has_value()) {
      state.SkipWithError(staged.error().to_string().c_str());
      return;
    }
    if (auto committed = staged->commit(true); !committed.has_value()) {
      state.SkipWithError(committed.error().to_string().c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(fs::file_size(*input)) + " B in, " +
                 std::to_string(fs::file_size(request.output)) + " B out");
}
BENCHMARK_CAPTURE(BM_Stamp, jpeg_1080p, std::string("jpeg"))
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Stamp, png_1080p, std::string("png"))
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Stamp, mp4_1080p_2s, std::string("mp4"))
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

void BM_Reencode(benchmark::State& state, const std::string& format) {
  const fs::path* input = input_or_skip(state, format);
  if (input == nullptr) {
    return;
  }
  const fs::path out = fixture().dir / ("reencoded-" + input->filename().string());
  for (auto _ : state) {
    auto done = media::rewrite_video(input->string(), out.string(), {},
                                     [](const media::RewriteFrame&) { return base::Status(); });
    if (!done.has_value()) {
      state.SkipWithError(done.error().to_string().c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Reencode, mp4_1080p_2s, std::string("mp4"))
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

// Process CPU time in ms: the figure that holds on shared cores (wall time there counts other
// people's work); the pipeline is single-threaded, so it is also the pipeline's own time.
double cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double thread_cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Adds the CPU time since `start` to `total` and restarts the clock.
void lap(double& start, double& total) {
  const double now = cpu_ms();
  total += now - start;
  start = now;
}

void BM_StampStages(benchmark::State& state, const std::string& format) {
  const fs::path* input = input_or_skip(state, format);
  if (input == nullptr) {
    return;
  }
  Fixture& f = fixture();
  const bool still = format != "mp4";
  const fs::path temp = f.dir / ("stages-" + input->filename().string());
  const c2pa::ManifestDefinition definition = manifest(input->filename().string());
  const std::string source_uri =
      c2pa::digital_source_type_uri(c2pa::DigitalSourceType::kTrainedAlgorithmicMedia);
  std::map<std::string, double> ms;
  uint64_t payload = 0x5eed;
  stamp::VideoFrameHashes video_hashes;
  for (auto _ : state) {
    double start = cpu_ms();
    std::vector<uint8_t> bytes = read_file(*input);
    auto existing = c2pa::read_c2pa(bytes);
    benchmark::DoNotOptimize(existing);
    lap(start, ms["read_check_ms"]);
    std::vector<uint8_t> labelled;
    double tile_scale = 0;
    if (still) {
      auto image = media::decode_image(bytes);
      lap(start, ms["decode_ms"]);
      // The stamper refuses an input that already carries a mark under the key.
      if (image.has_value()) {
        auto prior = watermark::detect_image(*image, *f.key);
        benchmark::DoNotOptimize(prior);
      }
      lap(start, ms["prior_mark_ms"]);
      // Stills are marked with an enlarged tile, as the stamper does (1.95 at 1080p).
      tile_scale = image.has_value() ? watermark::tile_scale_for(image->width, image->height) : 0;
      auto marked = image.has_value()
                        ? watermark::embed_image(*image, ++payload, *f.key, 1.0f, tile_scale)
                        : base::Result<media::Image>(image.error());
      lap(start, ms["watermark_ms"]);
      if (!marked.has_value()) {
        state.SkipWithError(marked.error().to_string().c_str());
        return;
      }
      auto encoded = format == "jpeg" ? media::encode_jpeg(*marked, {.quality = kStampJpegQuality,
                                                                     .subsample_chroma = false})
                                      : media::encode_png(*marked);
      lap(start, ms["encode_ms"]);
      auto xmp = encoded.has_value() ? xmp::write_xmp_label(*encoded, {source_uri, std::nullopt})
                                     : base::Result<std::vector<uint8_t>>(encoded.error());
      lap(start, ms["xmp_ms"]);
      if (!xmp.has_value()) {
        state.SkipWithError(xmp.error().to_string().c_str());
        return;
      }
      labelled = std::move(*xmp);
    } else {
      // The stamper first searches the first 8 frames for a mark already there.
      {
        auto reader = media::VideoReader::open(input->string());
        if (reader.has_value()) {
          watermark::VideoWatermarkDetector prior(*f.key);
          for (int i = 0; i < 8; ++i) {
            auto frame = reader->next();
            if (!frame.has_value() || !frame->has_value()) {
              break;
            }
            const media::LumaView& l = (*frame)->luma;
            (void)prior.add_frame(l);
          }
          auto found = prior.detect();
          benchmark::DoNotOptimize(found);
        }
      }
      lap(start, ms["prior_mark_ms"]);
      // As the stamper does: the mark in every frame's luma, re-encoded. The encoder's threads
      // count in process CPU time; the embedding (on this thread) is timed on its own.
      double embed_ms = 0;
      double hash_ms = 0;
      ++payload;
      // The stamper hashes the marked frames as it hands them to the encoder (one every half
      // second), and its read-back decodes only the frames the mark is read from.
      provenance::PdqHasher hasher;
      double next_hash = 0;
      video_hashes = stamp::VideoFrameHashes{};
      auto mark = [&](const media::RewriteFrame& fr) -> base::Status {
        const double t0 = thread_cpu_ms();
        auto marked = CC_TRY(watermark::embed(
            media::LumaView{fr.luma, fr.width, fr.height, fr.stride}, payload, *f.key));
        for (int y = 0; y < fr.height; ++y) {
          std::copy_n(marked.begin() + static_cast<ptrdiff_t>(y) * fr.width, fr.width,
                      fr.luma + y * fr.stride);
        }
        const double t1 = thread_cpu_ms();
        embed_ms += t1 - t0;
        if (fr.time_seconds + 1e-6 >= next_hash) {
          const provenance::PdqResult pdq =
              hasher.hash(provenance::PixelView{fr.luma, fr.width, fr.height, 1, fr.stride});
          if (pdq.quality >= 50) {
            next_hash = fr.time_seconds + 0.5;
            video_hashes.frame_pdq.push_back(pdq.hash.to_hex());
          }
        }
        hash_ms += thread_cpu_ms() - t1;
        return {};
      };
      const fs::path reencoded = f.dir / ("stages-reencoded-" + input->filename().string());
      auto done = media::rewrite_video(input->string(), reencoded.string(), {}, mark);
      lap(start, ms["reencode_ms"]);
      if (!done.has_value()) {
        state.SkipWithError(done.error().to_string().c_str());
        return;
      }
      ms["reencode_ms"] -= embed_ms + hash_ms;
      ms["watermark_ms"] += embed_ms;
      ms["verify_ms"] += hash_ms;
      labelled = read_file(reencoded);
      lap(start, ms["read_check_ms"]);
    }
    auto signed_asset = c2pa::write_c2pa(labelled, *f.signer, definition);
    lap(start, ms["sign_ms"]);
    if (!signed_asset.has_value()) {
      state.SkipWithError(signed_asset.error().to_string().c_str());
      return;
    }
    {
      std::FILE* out = std::fopen(temp.c_str(), "wb");
      if (out == nullptr) {
        state.SkipWithError("cannot write");
        return;
      }
      std::fwrite(signed_asset->bytes.data(), 1, signed_asset->bytes.size(), out);
      std::fflush(out);
      ::fsync(::fileno(out));
      std::fclose(out);
    }
    lap(start, ms["write_ms"]);
    stamp::InspectOptions check;
    check.trust_anchors = &*f.anchors;
    check.watermark_key = &*f.key;
    check.watermark_tile_scale = tile_scale;
    if (!still) {
      check.watermark_tile_scale = 1.0;
      check.video_hashes = &video_hashes;
    }
    auto seen = stamp::inspect_output(temp.string(), check);
    lap(start, ms["verify_ms"]);
    if (!seen.has_value() || !seen->c2pa.integrity.intact || !seen->mark || !seen->mark->found) {
      state.SkipWithError("the stamped file did not verify");
      return;
    }
  }
  double total = 0;
  for (const auto& [name, value] : ms) {
    state.counters[name] = value / static_cast<double>(state.iterations());
    total += value;
  }
  state.counters["total_ms"] = total / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_StampStages, jpeg_1080p, std::string("jpeg"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_StampStages, png_1080p, std::string("png"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_StampStages, mp4_1080p_2s, std::string("mp4"))->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace clearcut::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  {
    clearcut::bench::FixtureCleanup cleanup;
    benchmark::RunSpecifiedBenchmarks();
  }
  benchmark::Shutdown();
  return 0;
}
