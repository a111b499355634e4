// What the scanner's fast video hash costs in bits: for every image and every video frame given,
// the Hamming distance between the exact PDQ hash of its luma (PdqHasher::hash, what registered
// assets carry) and PdqHasher::hash_box_reduced with the scanner's factor (box_reduction_factor).
// For scale, the same for the reference CLI's own shortcut (its 512x512 nearest-neighbour
// pre-shrink, hash_like_reference) against the exact hash. Frames whose exact quality is under
// 50 are left out, as the scanner leaves them unmatched.
//
//   pdq_box_reduced_eval [--stride=N] FILE...   images (JPEG, PNG, WebP) or videos (every Nth
//   frame)
//
// Prints one line per file and the distribution over all of them (mean, p50, p90, p99, max).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "clearcut/match/code.h"
#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/pdq/reference_pipeline.h"

namespace {

using clearcut::match::hamming_distance;
using clearcut::provenance::PdqHasher;
using clearcut::provenance::PdqResult;
using clearcut::provenance::PixelView;

struct Distances {
  std::vector<int> box;            // hash_box_reduced against hash
  std::vector<int> preshrink;      // hash_like_reference against hash
  std::vector<int> box_reference;  // hash_box_reduced against hash_like_reference
};

// 0: the scanner's factor.
int forced_factor = 0;

int factor_for(int width, int height) {
  return forced_factor > 0 ? forced_factor
                           : clearcut::provenance::box_reduction_factor(width, height);
}

void compare(PdqHasher& hasher, const PixelView& grey, Distances& d) {
  PdqResult exact = hasher.hash(grey);
  if (exact.quality < 50) {
    return;
  }
  PdqResult box = hasher.hash_box_reduced(grey, factor_for(grey.width, grey.height));
  PdqResult preshrunk = clearcut::provenance::hash_like_reference(hasher, grey);
  d.box.push_back(hamming_distance(box.hash.words(), exact.hash.words()));
  d.preshrink.push_back(hamming_distance(preshrunk.hash.words(), exact.hash.words()));
  d.box_reference.push_back(hamming_distance(box.hash.words(), preshrunk.hash.words()));
}

std::string summary(std::vector<int> v) {
  if (v.empty()) {
    return "n 0";
  }
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (int x : v) {
    sum += x;
  }
  auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
  };
  char text[160];
  std::snprintf(text, sizeof text, "n %5zu  mean %5.2f  p50 %3d  p90 %3d  p99 %3d  max %3d",
                v.size(), sum / static_cast<double>(v.size()), at(0.5), at(0.9), at(0.99),
                v.back());
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  int stride = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--factor=", 0) == 0) {
      forced_factor = std::max(0, std::atoi(arg.c_str() + 9));
    } else if (arg.rfind("--stride=", 0) == 0) {
      stride = std::max(1, std::atoi(arg.c_str() + 9));
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: pdq_box_reduced_eval [--stride=N] FILE...\n");
    return 2;
  }
  PdqHasher hasher;
  Distances all;
  for (const std::string& file : files) {
    Distances d;
    auto image =
        clearcut::media::decode_image_file(file, {.format = clearcut::media::PixelFormat::kLuma});
    int width = 0;
    int height = 0;
    if (image.has_value()) {
      width = image->width;
      height = image->height;
      compare(hasher, PixelView{image->pixels.data(), width, height, 1, 0}, d);
    } else {
      auto reader = clearcut::media::VideoReader::open(file, {.frame_stride = stride});
      if (!reader.has_value()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), reader.error().to_string().c_str());
        return 1;
      }
      width = reader->info().width;
      height = reader->info().height;
      auto status = reader->for_each([&](const clearcut::media::VideoFrame& f) {
        compare(hasher, PixelView{f.luma.data, f.luma.width, f.luma.height, 1, f.luma.stride}, d);
        return clearcut::base::Status{};
      });
      if (!status.has_value()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), status.error().to_string().c_str());
        return 1;
      }
    }
    std::printf("%-48s %4dx%-4d factor %d  box: %s\n", file.c_str(), width, height,
                factor_for(width, height), summary(d.box).c_str());
    all.box.insert(all.box.end(), d.box.begin(), d.box.end());
    all.preshrink.insert(all.preshrink.end(), d.preshrink.begin(), d.preshrink.end());
    all.box_reference.insert(all.box_reference.end(), d.box_reference.begin(),
                             d.box_reference.end());
  }
  std::printf("\nbits from the exact hash, over every image and frame of quality >= 50\n");
  std::printf("  box-reduced (scanner)        %s\n", summary(all.box).c_str());
  std::printf("  512 pre-shrink (reference)   %s\n", summary(all.preshrink).c_str());
  std::printf(
      "bits from the reference pipeline's hash (the 512 pre-shrink; stamped stills carry it)\n");
  std::printf("  box-reduced (scanner)        %s\n", summary(all.box_reference).c_str());
  return 0;
}
