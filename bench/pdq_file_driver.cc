// The whole PDQ pipeline on a file, for bench/pdq_compare.sh: file bytes read, decoded, hashed.
// Prints one line per file in the format of pdq_reference_file_driver.cc, so that the script can
// set clearcut beside the reference on the same files in the same run.
//
//   pdq_file_driver fast|exact ITERATIONS FILE...
// prints "FILE <mean wall ms> <best wall ms> <mean CPU ms> <hash> <quality>" per file.
//   fast:  what clearcut does (stamper, scan): JPEG luma only, DCT-scaled at decode so that each
//          side stays >= 512, then the reference's pre-shrink to 512x512 and the hash;
//   exact: the reference's pipeline in process: full RGB decode, pre-shrink, hash.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "clearcut/media/image_decoder.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/pdq/reference_pipeline.h"

namespace {

double cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Reads the whole file, as the reference's decoder does through its FILE*.
bool read_file(const char* path, std::vector<uint8_t>& bytes) {
  std::FILE* f = std::fopen(path, "rb");
  if (f == nullptr) {
    return false;
  }
  bytes.clear();
  uint8_t buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) {
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  std::fclose(f);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || (std::strcmp(argv[1], "fast") != 0 && std::strcmp(argv[1], "exact") != 0)) {
    std::fprintf(stderr, "usage: %s fast|exact ITERATIONS FILE...\n", argv[0]);
    return 2;
  }
  const bool fast = std::strcmp(argv[1], "fast") == 0;
  const int iterations = std::max(1, std::atoi(argv[2]));
  clearcut::media::DecodeOptions options;
  if (fast) {
    options.format = clearcut::media::PixelFormat::kLuma;
    options.min_side = clearcut::provenance::kReferencePreshrinkSide;
  }
  clearcut::provenance::PdqHasher hasher;
  std::vector<uint8_t> bytes;
  int status = 0;
  for (int file = 3; file < argc; ++file) {
    const char* path = argv[file];
    clearcut::provenance::PdqResult result;
    double best = 1e30;
    double total = 0;
    double cpu_total = 0;
    bool ok = true;
    // One untimed run warms the page cache and the allocator, as the reference driver does.
    for (int i = -1; i < iterations && ok; ++i) {
      const double cpu_start = cpu_ms();
      const auto start = std::chrono::steady_clock::now();
      ok = read_file(path, bytes);
      auto image = clearcut::media::decode_image(bytes, options);
      ok = ok && image.has_value();
      if (ok) {
        result = clearcut::provenance::hash_like_reference(
            hasher, clearcut::provenance::PixelView{image->pixels.data(), image->width,
                                                    image->height, image->channels, 0});
      }
      const std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start;
      if (i >= 0) {
        cpu_total += cpu_ms() - cpu_start;
        best = std::min(best, elapsed.count());
        total += elapsed.count();
      }
    }
    if (!ok) {
      std::fprintf(stderr, "pdq_file_driver: cannot read or decode %s\n", path);
      status = 1;
      continue;
    }
    std::printf("%s %.3f %.3f %.3f %s %d\n", path, total / iterations, best, cpu_total / iterations,
                result.hash.to_hex().c_str(), result.quality);
  }
  return status;
}
