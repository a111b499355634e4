#include "clearcut/provenance/watermark/internal/fft.h"

#include <cmath>
#include <numbers>
#include <utility>

#include "clearcut/base/result.h"

namespace clearcut::watermark::internal {

Fft::Fft(int n) : n_(n), bit_reverse_(n), twiddles_(n / 2) {
  CC_CHECK(n >= 2 && (n & (n - 1)) == 0);
  int bits = 0;
  while ((1 << bits) < n) {
    ++bits;
  }
  for (int i = 0; i < n; ++i) {
    int r = 0;
    for (int b = 0; b < bits; ++b) {
      r |= ((i >> b) & 1) << (bits - 1 - b);
    }
    bit_reverse_[i] = r;
  }
  for (int k = 0; k < n / 2; ++k) {
    const double a = -2.0 * std::numbers::pi * k / n;
    twiddles_[k] = Complex(static_cast<float>(std::cos(a)), static_cast<float>(std::sin(a)));
  }
}

void Fft::transform(Complex* data, bool inverse) const {
  for (int i = 0; i < n_; ++i) {
    const int r = bit_reverse_[i];
    if (r > i) {
      std::swap(data[i], data[r]);
    }
  }
  for (int len = 2; len <= n_; len <<= 1) {
    const int half = len / 2;
    const int step = n_ / len;
    for (int start = 0; start < n_; start += len) {
      for (int k = 0; k < half; ++k) {
        Complex w = twiddles_[k * step];
        if (inverse) {
          w = std::conj(w);
        }
        const Complex a = data[start + k];
        const Complex b = data[start + k + half] * w;
        data[start + k] = a + b;
        data[start + k + half] = a - b;
      }
    }
  }
  if (inverse) {
    const float scale = 1.0f / static_cast<float>(n_);
    for (int i = 0; i < n_; ++i) {
      data[i] *= scale;
    }
  }
}

void Fft2d::transform(std::vector<Complex>& data, bool inverse) {
  const int n = fft_.size();
  CC_CHECK(data.size() == static_cast<size_t>(n) * n);
  for (int r = 0; r < n; ++r) {
    Complex* row = data.data() + static_cast<size_t>(r) * n;
    inverse ? fft_.inverse(row) : fft_.forward(row);
  }
  for (int c = 0; c < n; ++c) {
    for (int r = 0; r < n; ++r) {
      column_[r] = data[static_cast<size_t>(r) * n + c];
    }
    inverse ? fft_.inverse(column_.data()) : fft_.forward(column_.data());
    for (int r = 0; r < n; ++r) {
      data[static_cast<size_t>(r) * n + c] = column_[r];
    }
  }
}

}  // namespace clearcut::watermark::internal
