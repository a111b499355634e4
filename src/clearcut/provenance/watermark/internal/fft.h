#pragma once

#include <complex>
#include <vector>

namespace clearcut::watermark::internal {

using Complex = std::complex<float>;

// In-place radix-2 complex FFT of one power-of-two length, twiddles computed once in double.
// Forward is unnormalised (sum x[n] e^{-2 pi i k n / N}); inverse divides by N. Immutable after
// construction, so one object may be shared between threads.
class Fft {
 public:
  explicit Fft(int n);  // n: a power of two, >= 2 (checked)

  int size() const { return n_; }
  void forward(Complex* data) const { transform(data, false); }
  void inverse(Complex* data) const { transform(data, true); }

 private:
  void transform(Complex* data, bool inverse) const;

  int n_;
  std::vector<int> bit_reverse_;
  std::vector<Complex> twiddles_;  // e^{-2 pi i k / n}, k < n / 2
};

// A 2-D transform of a row-major n x n array, rows then columns.
class Fft2d {
 public:
  explicit Fft2d(int n) : fft_(n), column_(n) {}

  int size() const { return fft_.size(); }
  void forward(std::vector<Complex>& data) { transform(data, false); }
  void inverse(std::vector<Complex>& data) { transform(data, true); }

 private:
  void transform(std::vector<Complex>& data, bool inverse);

  Fft fft_;
  std::vector<Complex> column_;
};

}  // namespace clearcut::watermark::internal
