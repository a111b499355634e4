// Watermark cost per picture (clearcut::watermark), CPU time on one thread:
//
//  BM_Embed/<tile scale>         embed() on 1080p 8-bit luma (watermark_test's synthetic frame):
//                                scale 1 as every video frame is marked, 1.95 as a 1080p still
//                                is (tile_scale_for), 5.4 as a 4000x3000 photo's tile.
//  BM_Detect/<case>              detect() on the same 1080p luma: `unmarked` (what the stamper's
//                                "mark already there?" check and the scan's single-frame check
//                                mostly see), `marked_1` (a video frame), `marked_1.95` (a
//                                stamped 1080p still read back), and the unmarked and marked
//                                still after JPEG q75 (`*_jpeg75`).
//
// The baseline for the embed row is the bar (8 ms a 1080p frame, against a decode
// of about 4-40 ms): video_bench and stamp_bench put the same costs beside a bare decode.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "clearcut/media/image.h"
#include "clearcut/provenance/watermark/watermark_attacks.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_embedder.h"
#include "clearcut/provenance/watermark/watermark_key.h"

namespace clearcut::bench {
namespace {

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;
constexpr uint64_t kPayload = 0x0123456789abcdefULL;

const watermark::WatermarkKey& key() {
  static const watermark::WatermarkKey k = *watermark::WatermarkKey::from_passphrase("bench key");
  return k;
}

const media::Image& frame() {
  static const media::Image f = watermark::testing::synthetic_frame(kWidth, kHeight, 3, 7);
  return f;
}

// The frame's luma, marked (tile scale > 0) or not, optionally through JPEG q75.
const std::vector<uint8_t>& luma(double tile_scale, bool jpeg) {
  static std::map<std::pair<double, bool>, std::vector<uint8_t>> cache;
  auto& entry = cache[{tile_scale, jpeg}];
  if (entry.empty()) {
    media::Image image = frame();
    if (tile_scale > 0) {
      image = *watermark::embed_image(image, kPayload, key(), 1.0f, tile_scale);
    }
    if (jpeg) {
      image = *watermark::testing::jpeg(image, 75);
    }
    const std::vector<float> y = watermark::testing::luma_of(image);
    entry.resize(y.size());
    for (size_t i = 0; i < y.size(); ++i) {
      entry[i] = static_cast<uint8_t>(y[i] + 0.5f);
    }
  }
  return entry;
}

void BM_Embed(benchmark::State& state, double tile_scale) {
  const std::vector<uint8_t>& y = luma(0, false);
  for (auto _ : state) {
    auto marked = watermark::embed(media::LumaView{y.data(), kWidth, kHeight, 0}, kPayload, key(),
                                   1.0f, tile_scale);
    if (!marked.has_value()) {
      state.SkipWithError(marked.error().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(marked->data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Embed, 1, 1.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Embed, 1.95, 1.95)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Embed, 5.4, 5.4)->Unit(benchmark::kMillisecond);

void BM_Detect(benchmark::State& state, double tile_scale, bool jpeg) {
  const std::vector<uint8_t>& y = luma(tile_scale, jpeg);
  bool found = false;
  for (auto _ : state) {
    auto d = watermark::detect(media::LumaView{y.data(), kWidth, kHeight, 0}, key());
    if (!d.has_value()) {
      state.SkipWithError(d.error().to_string().c_str());
      return;
    }
    found = d->found && d->payload == kPayload;
  }
  if (found != (tile_scale > 0)) {
    state.SkipWithError(found ? "found a mark in the unmarked frame" : "the mark did not read");
    return;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Detect, unmarked, 0.0, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Detect, unmarked_jpeg75, 0.0, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Detect, marked_1, 1.0, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Detect, marked_1 .95, 1.95, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Detect, marked_1 .95_jpeg75, 1.95, true)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace clearcut::bench

BENCHMARK_MAIN();
