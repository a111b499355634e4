// Times the reference PDQ hash core (facebook/ThreatExchange, pdq/cpp) on the synthetic frames of
// pdq_bench_input.h, for bench/pdq_compare.sh. Not part of the CMake build: pdq_compare.sh
// compiles it against a checkout of the reference, which never enters this repository.
//
//   pdq_reference_driver WIDTH HEIGHT [ITERATIONS]
// prints "WIDTHxHEIGHT <mean wall ms> <best wall ms> <mean CPU ms> <hash> <quality>".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "bench/pdq_bench_input.h"
#include <pdq/cpp/hashing/pdqhashing.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s WIDTH HEIGHT [ITERATIONS]\n", argv[0]);
    return 2;
  }
  const int width = std::atoi(argv[1]);
  const int height = std::atoi(argv[2]);
  const int iterations = argc > 3 ? std::atoi(argv[3]) : 20;
  const std::vector<float> luma = clearcut::bench::synthetic_luma(width, height);
  std::vector<float> buffer1(luma.size());
  std::vector<float> buffer2(luma.size());
  static float buffer64x64[64][64];
  static float buffer16x64[16][64];
  static float buffer16x16[16][16];
  facebook::pdq::hashing::Hash256 hash;
  int quality = 0;
  // The reference filters in place, so each run starts from a fresh copy; only the hash is timed.
  auto cpu_ms = [] {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
  };
  double best = 1e30;
  double total = 0;
  double cpu_total = 0;
  for (int i = 0; i < iterations; ++i) {
    std::memcpy(buffer1.data(), luma.data(), luma.size() * sizeof(float));
    const double cpu_start = cpu_ms();
    const auto start = std::chrono::steady_clock::now();
    facebook::pdq::hashing::pdqHash256FromFloatLuma(buffer1.data(), buffer2.data(), height, width,
                                                    buffer64x64, buffer16x64, buffer16x16, hash,
                                                    quality);
    const std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    cpu_total += cpu_ms() - cpu_start;
    best = std::min(best, elapsed.count());
    total += elapsed.count();
  }
  std::printf("%dx%d %.3f %.3f %.3f %s %d\n", width, height, total / iterations, best,
              cpu_total / iterations, hash.format().c_str(), quality);
  return 0;
}
