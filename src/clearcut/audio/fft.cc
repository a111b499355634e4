#include "clearcut/audio/fft.h"

#include <cmath>
#include <numbers>
#include <utility>

#include "clearcut/base/result.h"

namespace clearcut::audio {

Fft::Fft(int size) : size_(size) {
  CC_CHECK(size >= 2 && (size & (size - 1)) == 0);
  int bits = 0;
  while ((1 << bits) < size) {
    ++bits;
  }
  reversed_.resize(static_cast<size_t>(size));
  for (int i = 0; i < size; ++i) {
    int r = 0;
    for (int b = 0; b < bits; ++b) {
      r |= ((i >> b) & 1) << (bits - 1 - b);
    }
    reversed_[static_cast<size_t>(i)] = r;
  }
  twiddle_.resize(static_cast<size_t>(size / 2));
  for (int k = 0; k < size / 2; ++k) {
    // In double, then rounded once: the factors stay accurate to float precision.
    const double angle = -2.0 * std::numbers::pi * k / size;
    twiddle_[static_cast<size_t>(k)] = {static_cast<float>(std::cos(angle)),
                                        static_cast<float>(std::sin(angle))};
  }
}

void Fft::transform(std::complex<float>* data) const {
  for (int i = 0; i < size_; ++i) {
    const int r = reversed_[static_cast<size_t>(i)];
    if (i < r) {
      std::swap(data[i], data[r]);
    }
  }
  // Iterative Cooley-Tukey: butterflies of span 2, 4, ..., size.
  for (int span = 2; span <= size_; span <<= 1) {
    const int half = span / 2;
    const int step = size_ / span;
    for (int start = 0; start < size_; start += span) {
      for (int k = 0; k < half; ++k) {
        const std::complex<float> w = twiddle_[static_cast<size_t>(k * step)];
        const std::complex<float> x = data[start + k + half];
        // Written out: operator* on std::complex checks for NaN and infinity (Annex G).
        const std::complex<float> odd(x.real() * w.real() - x.imag() * w.imag(),
                                      x.real() * w.imag() + x.imag() * w.real());
        const std::complex<float> even = data[start + k];
        data[start + k] = even + odd;
        data[start + k + half] = even - odd;
      }
    }
  }
}

}  // namespace clearcut::audio
