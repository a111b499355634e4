#include "clearcut/audio/internal/resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "clearcut/base/result.h"

namespace clearcut::audio::internal {
namespace {

constexpr double kZeroCrossings = 16;
constexpr double kBeta = 8.0;
constexpr double kTablePerCrossing = 512;

// The modified Bessel function of the first kind, order 0 (its power series; converges fast for
// the arguments a Kaiser window of beta 8 needs).
double bessel_i0(double x) {
  double sum = 1.0;
  double term = 1.0;
  const double q = x * x / 4.0;
  for (int k = 1; k < 60; ++k) {
    term *= q / (static_cast<double>(k) * k);
    sum += term;
    if (term < 1e-12 * sum) {
      break;
    }
  }
  return sum;
}

}  // namespace

Resampler::Resampler(int from_rate, int to_rate, double cutoff_hz)
    : from_rate_(from_rate), to_rate_(to_rate) {
  CC_CHECK(from_rate > 0 && to_rate > 0 && cutoff_hz > 0);
  CC_CHECK(cutoff_hz < 0.5 * std::min(from_rate, to_rate));
  // Cutoff in cycles per input sample; the sinc's zero crossings are 1 / (2c) input samples apart.
  const double c = cutoff_hz / from_rate;
  const double spacing = 1.0 / (2.0 * c);
  half_width_ = kZeroCrossings * spacing;
  table_step_ = kTablePerCrossing / spacing;
  const auto entries = static_cast<size_t>(std::ceil(half_width_ * table_step_)) + 2;
  table_.resize(entries);
  const double norm = bessel_i0(kBeta);
  for (size_t i = 0; i < entries; ++i) {
    const double d = static_cast<double>(i) / table_step_;
    double v = 0.0;
    if (d < half_width_) {
      const double x = 2.0 * c * d;
      const double sinc = x == 0.0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
      const double r = d / half_width_;
      v = 2.0 * c * sinc * bessel_i0(kBeta * std::sqrt(1.0 - r * r)) / norm;
    }
    table_[i] = static_cast<float>(v);
  }
}

double Resampler::kernel(double distance) const {
  const double pos = std::fabs(distance) * table_step_;
  const auto i = static_cast<size_t>(pos);
  if (i + 1 >= table_.size()) {
    return 0.0;
  }
  const double f = pos - static_cast<double>(i);
  return table_[i] + f * (table_[i + 1] - table_[i]);
}

std::vector<float> Resampler::run(std::span<const float> in) const {
  const auto n = static_cast<int64_t>(in.size());
  const int64_t out_n = (n * to_rate_ + from_rate_ - 1) / from_rate_;
  std::vector<float> out(static_cast<size_t>(std::max<int64_t>(out_n, 0)));
  const auto reach = static_cast<int64_t>(std::floor(half_width_));
  for (int64_t j = 0; j < out_n; ++j) {
    // Exact position in input samples: integer part and fraction from integer arithmetic.
    const int64_t num = j * from_rate_;
    const int64_t base = num / to_rate_;
    const double frac = static_cast<double>(num % to_rate_) / to_rate_;
    const int64_t lo = std::max<int64_t>(0, base - reach);
    const int64_t hi = std::min<int64_t>(n - 1, base + reach + 1);
    double acc = 0.0;
    for (int64_t k = lo; k <= hi; ++k) {
      acc += in[static_cast<size_t>(k)] * kernel(static_cast<double>(k - base) - frac);
    }
    // The kernel sums to 1 over unit-spaced taps (its integral is 1): unity gain either way.
    out[static_cast<size_t>(j)] = static_cast<float>(acc);
  }
  return out;
}

}  // namespace clearcut::audio::internal
