#pragma once

#include <complex>
#include <vector>

namespace clearcut::audio {

// An in-place radix-2 complex FFT of one fixed power-of-two size, with its twiddle factors and
// bit-reversal permutation computed once. Forward transform, no scaling. Immutable after
// construction: one Fft may serve several threads.
class Fft {
 public:
  // `size` must be a power of two, at least 2 (a programming error otherwise: CC_CHECK).
  explicit Fft(int size);

  int size() const { return size_; }

  // Transforms `data` (size() values) in place.
  void transform(std::complex<float>* data) const;

 private:
  int size_;
  std::vector<int> reversed_;                 // bit-reversed index of each position
  std::vector<std::complex<float>> twiddle_;  // exp(-2 pi i k / size), k < size / 2
};

}  // namespace clearcut::audio
