#pragma once

#include <span>
#include <vector>

namespace clearcut::audio::internal {

// Band-limited resampling at any pair of rates, by a Kaiser-windowed sinc (16 zero crossings
// each side, beta 8: about 80 dB stopband) read from a table with linear interpolation. The
// watermark uses it to take a host down to the analysis rate for its mask and to bring the
// 8 kHz mark up to the host's rate; the mark lies under 3.5 kHz, so `cutoff_hz` 3,800 keeps it
// exactly and removes what would alias at 8 kHz. Output sample j sits at time j / to_rate, as
// input sample i at i / from_rate: no delay. Length ceil(n * to_rate / from_rate).
// Rates must be positive and cutoff_hz under half of both (a programming error otherwise).
class Resampler {
 public:
  Resampler(int from_rate, int to_rate, double cutoff_hz);

  std::vector<float> run(std::span<const float> in) const;

 private:
  double kernel(double distance) const;  // distance in input samples

  int from_rate_;
  int to_rate_;
  double half_width_;         // in input samples
  double table_step_;         // table entries per input sample
  std::vector<float> table_;  // kernel at distance i / table_step_, i >= 0
};

}  // namespace clearcut::audio::internal
