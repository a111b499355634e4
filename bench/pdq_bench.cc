// PDQ hashing speed: the hash core on float luma already in memory (the figure the reference is
// compared on, bench/pdq_compare.sh), from 8-bit RGB, and whole JPEG pipelines from bytes in
// memory to hash. Each benchmark's label is the hash, so runs can be checked against each other.
#include <cstdio>
#include <string>
#include <vector>

#include "bench/pdq_bench_input.h"
#include <benchmark/benchmark.h>

#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/pdq/reference_pipeline.h"

namespace clearcut::bench {
namespace {

using media::LumaF32View;
using provenance::PdqHasher;
using provenance::PdqResult;
using provenance::PixelView;

void label(benchmark::State& state, const PdqResult& r) {
  state.SetLabel(r.hash.to_hex() + " q" + std::to_string(r.quality));
}

void BM_HashCoreLuma(benchmark::State& state) {
  const int width = static_cast<int>(state.range(0));
  const int height = static_cast<int>(state.range(1));
  const std::vector<float> luma = synthetic_luma(width, height);
  PdqHasher hasher;
  PdqResult r;
  for (auto _ : state) {
    r = hasher.hash(LumaF32View{luma.data(), width, height, 0});
    benchmark::DoNotOptimize(r);
  }
  label(state, r);
}
BENCHMARK(BM_HashCoreLuma)
    ->Args({1920, 1080})
    ->Args({512, 512})
    ->Args({3840, 2160})
    ->Unit(benchmark::kMillisecond);

void BM_HashCoreRgb(benchmark::State& state) {
  const int width = static_cast<int>(state.range(0));
  const int height = static_cast<int>(state.range(1));
  const std::vector<uint8_t> rgb = synthetic_rgb(width, height);
  PdqHasher hasher;
  PdqResult r;
  for (auto _ : state) {
    r = hasher.hash(PixelView{rgb.data(), width, height, 3, 0});
    benchmark::DoNotOptimize(r);
  }
  label(state, r);
}
BENCHMARK(BM_HashCoreRgb)->Args({1920, 1080})->Args({512, 512})->Unit(benchmark::kMillisecond);

void BM_HashDihedral1080p(benchmark::State& state) {
  const std::vector<float> luma = synthetic_luma(1920, 1080);
  PdqHasher hasher;
  for (auto _ : state) {
    auto r = hasher.hash_dihedral(LumaF32View{luma.data(), 1920, 1080, 0});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_HashDihedral1080p)->Unit(benchmark::kMillisecond);

std::vector<uint8_t> read_file(const std::string& path) {
  std::vector<uint8_t> bytes;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    uint8_t buffer[1 << 16];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) {
      bytes.insert(bytes.end(), buffer, buffer + n);
    }
    std::fclose(f);
  }
  return bytes;
}

const std::vector<uint8_t>& fixture_jpeg() {
  static const std::vector<uint8_t> bytes =
      read_file(CLEARCUT_SHARED_DIR "/fixtures/pdq/reg-test-input/dih/bridge-1-original.jpg");
  return bytes;
}

const std::vector<uint8_t>& synthetic_jpeg_1080p() {
  static const std::vector<uint8_t> bytes = [] {
    media::Image image{1920, 1080, 3, synthetic_rgb(1920, 1080)};
    auto jpeg = media::encode_jpeg(image, {.quality = 90});
    return jpeg.has_value() ? std::move(jpeg).value() : std::vector<uint8_t>{};
  }();
  return bytes;
}

// The fast path: JPEG luma only, DCT-scaled so that each side stays >= 512, then the reference's
// pre-shrink to 512x512 and the hash (within a few bits of the reference, pdq_hasher_test.cc).
void jpeg_fast(benchmark::State& state, const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) {
    state.SkipWithError("fixture missing");
    return;
  }
  PdqHasher hasher;
  PdqResult r;
  for (auto _ : state) {
    auto image = media::decode_image(bytes, {.format = media::PixelFormat::kLuma,
                                             .min_side = provenance::kReferencePreshrinkSide});
    if (!image.has_value()) {
      state.SkipWithError(image.error().to_string().c_str());
      return;
    }
    r = provenance::hash_like_reference(
        hasher, PixelView{image->pixels.data(), image->width, image->height, 1, 0});
    benchmark::DoNotOptimize(r);
  }
  label(state, r);
}

// The reference's pipeline, in process: full RGB decode, pre-shrink, hash (bit-exact with it).
void jpeg_exact(benchmark::State& state, const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) {
    state.SkipWithError("fixture missing");
    return;
  }
  PdqHasher hasher;
  PdqResult r;
  for (auto _ : state) {
    auto image = media::decode_image(bytes);
    if (!image.has_value()) {
      state.SkipWithError(image.error().to_string().c_str());
      return;
    }
    r = provenance::hash_like_reference(
        hasher, PixelView{image->pixels.data(), image->width, image->height, 3, 0});
    benchmark::DoNotOptimize(r);
  }
  label(state, r);
}

void BM_JpegPipelineFast_Bridge1600x1004(benchmark::State& state) {
  jpeg_fast(state, fixture_jpeg());
}
void BM_JpegPipelineExact_Bridge1600x1004(benchmark::State& state) {
  jpeg_exact(state, fixture_jpeg());
}
void BM_JpegPipelineFast_Synthetic1080p(benchmark::State& state) {
  jpeg_fast(state, synthetic_jpeg_1080p());
}
void BM_JpegPipelineExact_Synthetic1080p(benchmark::State& state) {
  jpeg_exact(state, synthetic_jpeg_1080p());
}
BENCHMARK(BM_JpegPipelineFast_Bridge1600x1004)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JpegPipelineExact_Bridge1600x1004)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JpegPipelineFast_Synthetic1080p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JpegPipelineExact_Synthetic1080p)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace clearcut::bench

BENCHMARK_MAIN();
