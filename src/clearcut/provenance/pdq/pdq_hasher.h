#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "clearcut/media/luma_view.h"
#include "clearcut/provenance/pdq/pdq_hash.h"

namespace clearcut::provenance {

namespace internal {
class JaroszDownsampler;
class LumaRowSource;
}  // namespace internal

// Interleaved 8-bit pixels: 1 channel (grey or luma), 3 (RGB) or 4 (RGBA; alpha is ignored, as
// the reference's decoder drops it). `stride` bytes between row starts, 0 for tightly packed.
struct PixelView {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 3;
  ptrdiff_t stride = 0;
};

struct PdqResult {
  PdqHash hash;
  int quality = 0;  // 0..100; the reference recommends discarding hashes under 50
};

// The eight symmetries of the square, named as in the reference (pdq/cpp/hashing/pdqhashing.h).
enum class Dihedral {
  kOriginal,
  kRotate90,
  kRotate180,
  kRotate270,
  kFlipX,       // top and bottom swapped
  kFlipY,       // mirrored left to right
  kFlipPlus1,   // transposed
  kFlipMinus1,  // anti-transposed
};
inline constexpr int kDihedralCount = 8;

// The hashes of an image and of its seven rotations and reflections, derived from one DCT. Like
// the reference's, they are close to, not equal to, hashes of the physically transformed image.
// (For 64x64 input the reference's dihedral entry point filters where its single-hash one does
// not; here both skip the filter, so hashes[kOriginal] always equals hash().)
struct PdqDihedralResult {
  std::array<PdqHash, kDihedralCount> hashes;
  int quality = 0;

  const PdqHash& operator[](Dihedral d) const { return hashes[static_cast<int>(d)]; }
};

// The 16x16 DCT coefficients before thresholding (the "PDQF" float feature TMK uses), row-major,
// with the image's quality.
struct PdqFeatures {
  std::array<float, 256> dct{};
  int quality = 0;
};

// Computes PDQ hashes, bit-exact (hash and quality) with the reference C++ implementation in
// facebook/ThreatExchange pdq/cpp when given the same pixels: luma 0.299 R + 0.587 G + 0.114 B in
// float, Jarosz box filters down to 64x64 (skipped for 64x64 input), quality from the 64x64
// gradients, DCT to 16x16, median threshold. Images under 5 pixels on a side hash to zeros with
// quality 0, as in the reference. Never fails; views must be well formed (checked).
//
// Holds scratch buffers reused across calls, and so is not thread-safe: one object per thread.
// Memory stays a few strips of rows whatever the image size.
class PdqHasher {
 public:
  PdqHasher();
  ~PdqHasher();
  PdqHasher(const PdqHasher&) = delete;
  PdqHasher& operator=(const PdqHasher&) = delete;

  PdqResult hash(const media::LumaF32View& luma);
  PdqResult hash(const PixelView& pixels);

  // The float luma hash(pixels) reads (the reference's, or the grey bytes), tightly packed:
  // hashing a LumaF32View of it, or of any rectangle of it, gives the hash of those pixels,
  // so that many crops of one picture convert it once.
  static std::vector<float> luma_of(const PixelView& pixels);

  PdqDihedralResult hash_dihedral(const media::LumaF32View& luma);
  PdqDihedralResult hash_dihedral(const PixelView& pixels);

  PdqFeatures features(const media::LumaF32View& luma);
  PdqFeatures features(const PixelView& pixels);

  // A video frame's hash, close to hash() at a fraction of its cost: the hash of 8-bit grey
  // `grey` reduced by `factor` on each side, each output pixel the mean of the middle
  // box_rows(factor) rows (from row factor / 4) of its factor x factor block; a last partial row
  // or column of blocks is dropped. From factor 3 on only half of each block's rows are read:
  // a decoded frame is no longer in cache, so memory traffic bounds this step, and the hash's
  // own filter, wider than a block, smooths over the rows skipped. At 1080p (factor 4) it lands
  // a few bits from hash() (bench/README.md, "Video scan throughput", has the distribution),
  // inside the match radius, so frames still match registered assets' exact hashes. Not the
  // reference hash; factor 1 gives exactly hash(grey).
  PdqResult hash_box_reduced(const PixelView& grey, int factor);

 private:
  PdqFeatures features_of(const internal::LumaRowSource& source, int width, int height);

  std::unique_ptr<internal::JaroszDownsampler> downsampler_;
  std::vector<uint16_t> block_sums_;  // hash_box_reduced's column sums over a row of blocks
};

// The factor hash_box_reduced is given for a width x height video frame: the largest that
// keeps the longer side at least kBoxReducedMinSide pixels and the shorter at least 64 (the
// hash's own grid); 1, no reduction, below 960 pixels. 1920x1080 -> 4 (480x270), 1280x720 -> 2,
// 3840x2160 -> 8.
inline constexpr int kBoxReducedMinSide = 480;
int box_reduction_factor(int width, int height);
// Rows of each block hash_box_reduced averages: all of them up to factor 2, else half.
int box_rows(int factor);

// The hash of 16x16 DCT coefficients: bit 16 i + j set when coefficient (i, j) exceeds the median
// (the 128th smallest of the 256).
PdqHash pdq_hash_from_dct(const std::array<float, 256>& dct);

// The DCT coefficients of the image transformed by `d`, derived from the original's by
// transposition and sign changes (the reference's dct16OriginalTo* functions).
std::array<float, 256> pdq_dihedral_dct(const std::array<float, 256>& dct, Dihedral d);

}  // namespace clearcut::provenance
