// Times the reference PDQ (facebook/ThreatExchange, pdq/cpp) on whole files, for
// bench/pdq_compare.sh: its own entry point pdqHash256FromFile (io/pdqio.cpp), which loads the file
// through CImg, shrinks it to 512x512 and hashes it. Not part of the CMake build: the script
// compiles it against a checkout of the reference, with CImg built on libjpeg (cimg_use_jpeg) so
// that JPEGs decode in process rather than through an ImageMagick child process.
//
//   pdq_reference_file_driver ITERATIONS FILE...
// prints "FILE <mean wall ms> <best wall ms> <mean CPU ms> <hash> <quality>" per file.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <pdq/cpp/io/pdqio.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ITERATIONS FILE...\n", argv[0]);
    return 2;
  }
  const int iterations = std::max(1, std::atoi(argv[1]));
  auto cpu_ms = [] {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
  };
  int status = 0;
  for (int file = 2; file < argc; ++file) {
    facebook::pdq::hashing::Hash256 hash;
    int quality = 0;
    int pixels = 0;
    float read_seconds = 0;
    float hash_seconds = 0;
    double best = 1e30;
    double total = 0;
    double cpu_total = 0;
    bool ok = true;
    // One untimed run first, as pdq_file_driver does.
    for (int i = -1; i < iterations && ok; ++i) {
      const double cpu_start = cpu_ms();
      const auto start = std::chrono::steady_clock::now();
      ok = facebook::pdq::hashing::pdqHash256FromFile(argv[file], hash, quality, pixels,
                                                      read_seconds, hash_seconds);
      const std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start;
      if (i >= 0) {
        cpu_total += cpu_ms() - cpu_start;
        best = std::min(best, elapsed.count());
        total += elapsed.count();
      }
    }
    if (!ok) {
      std::fprintf(stderr, "pdq_reference_file_driver: cannot load %s\n", argv[file]);
      status = 1;
      continue;
    }
    std::printf("%s %.3f %.3f %.3f %s %d\n", argv[file], total / iterations, best,
                cpu_total / iterations, hash.format().c_str(), quality);
  }
  return status;
}
