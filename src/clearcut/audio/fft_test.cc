#include "clearcut/audio/fft.h"

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

namespace clearcut::audio {
namespace {

// The transform against the DFT's definition, summed in double.
TEST(AudioFftTest, AgreesWithTheDefinition) {
  for (int n : {2, 8, 64, 512}) {
    SCOPED_TRACE(n);
    std::vector<std::complex<float>> x(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      x[static_cast<size_t>(i)] = {static_cast<float>(std::sin(0.3 * i) + 0.1 * (i % 7)),
                                   static_cast<float>(std::cos(1.7 * i) * 0.5)};
    }
    std::vector<std::complex<float>> y = x;
    Fft(n).transform(y.data());
    for (int k = 0; k < n; ++k) {
      std::complex<double> sum = 0;
      for (int i = 0; i < n; ++i) {
        const double a = -2.0 * std::numbers::pi * k * i / n;
        sum += std::complex<double>(x[static_cast<size_t>(i)]) *
               std::complex<double>(std::cos(a), std::sin(a));
      }
      EXPECT_NEAR(y[static_cast<size_t>(k)].real(), sum.real(), 1e-3 * n);
      EXPECT_NEAR(y[static_cast<size_t>(k)].imag(), sum.imag(), 1e-3 * n);
    }
  }
}

TEST(AudioFftTest, RefusesASizeThatIsNoPowerOfTwo) {
  EXPECT_DEATH(Fft(12), "CC_CHECK");
}

}  // namespace
}  // namespace clearcut::audio
