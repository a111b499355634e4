#include "clearcut/media/waveform.h"

#include <algorithm>
#include <cmath>

namespace clearcut::media {

namespace {
constexpr uint8_t kPaper = 255;
constexpr uint8_t kCentre = 205;
constexpr uint8_t kInk = 60;
}  // namespace

base::Result<Image> waveform_image(std::span<const float> samples, const WaveformOptions& options) {
  if (samples.empty()) {
    return base::invalid_argument("waveform: no samples to draw");
  }
  if (options.width < 8 || options.width > 1024 || options.height < 8 || options.height > 1024) {
    return base::invalid_argument("waveform: width and height must lie in 8..1024");
  }
  Image image;
  image.width = options.width;
  image.height = options.height;
  image.channels = 1;
  image.pixels.assign(static_cast<size_t>(image.width) * image.height, kPaper);
  const int centre = image.height / 2;
  for (int x = 0; x < image.width; ++x) {
    image.pixels[static_cast<size_t>(centre) * image.width + x] = kCentre;
  }
  float peak = 0;
  for (float s : samples) {
    if (std::isfinite(s)) {
      peak = std::max(peak, std::abs(s));
    }
  }
  if (!(peak > 0)) {
    return image;
  }
  const double scale = 0.9 * (image.height / 2.0 - 1) / peak;
  const size_t n = samples.size();
  for (int x = 0; x < image.width; ++x) {
    const size_t begin = n * static_cast<size_t>(x) / image.width;
    const size_t end = std::max(begin + 1, n * static_cast<size_t>(x + 1) / image.width);
    float low = 0;
    float high = 0;
    for (size_t i = begin; i < end && i < n; ++i) {
      if (std::isfinite(samples[i])) {
        low = std::min(low, samples[i]);
        high = std::max(high, samples[i]);
      }
    }
    // Screen rows grow downwards: the highest sample is the smallest row.
    const int top =
        std::clamp(centre - static_cast<int>(std::lround(high * scale)), 0, image.height - 1);
    const int bottom =
        std::clamp(centre - static_cast<int>(std::lround(low * scale)), 0, image.height - 1);
    for (int y = top; y <= bottom; ++y) {
      image.pixels[static_cast<size_t>(y) * image.width + x] = kInk;
    }
  }
  return image;
}

}  // namespace clearcut::media
