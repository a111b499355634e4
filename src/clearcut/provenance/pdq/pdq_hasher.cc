#include "clearcut/provenance/pdq/pdq_hasher.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "clearcut/base/result.h"
#include "clearcut/provenance/pdq/internal/jarosz_downsampler.h"

namespace clearcut::provenance {
namespace {

using internal::JaroszDownsampler;
using internal::LumaRowSource;

constexpr int kSide = JaroszDownsampler::kOutputSide;  // 64
constexpr int kDct = 16;
constexpr int kMinHashableSide = 5;  // the reference's MIN_HASHABLE_DIM

// The reference stores its luma coefficients as float (pdq/cpp/downscaling/downscaling.cpp).
constexpr float kLumaR = static_cast<float>(0.299);
constexpr float kLumaG = static_cast<float>(0.587);
constexpr float kLumaB = static_cast<float>(0.114);

class FloatPlaneSource final : public LumaRowSource {
 public:
  explicit FloatPlaneSource(const media::LumaF32View& plane)
      : plane_(plane), stride_(plane.row_stride()) {}

  void fill(int row0, int rows, float* out) const override {
    for (int r = 0; r < rows; ++r) {
      std::memcpy(out + static_cast<ptrdiff_t>(r) * plane_.width,
                  plane_.data + (row0 + r) * stride_, sizeof(float) * plane_.width);
    }
  }

  const float* float_row(int row) const override { return plane_.data + row * stride_; }

 private:
  media::LumaF32View plane_;
  ptrdiff_t stride_;
};

class PixelSource final : public LumaRowSource {
 public:
  explicit PixelSource(const PixelView& view)
      : view_(view),
        stride_(view.stride != 0 ? view.stride
                                 : static_cast<ptrdiff_t>(view.width) * view.channels) {}

  void fill(int row0, int rows, float* out) const override {
    const int width = view_.width;
    for (int r = 0; r < rows; ++r) {
      const uint8_t* p = view_.data + (row0 + r) * stride_;
      float* o = out + static_cast<ptrdiff_t>(r) * width;
      switch (view_.channels) {
        case 1:
          for (int c = 0; c < width; ++c) {
            o[c] = static_cast<float>(p[c]);
          }
          break;
        case 3:
          rgb_row<3>(p, width, o);
          break;
        default:
          rgb_row<4>(p, width, o);
          break;
      }
    }
  }

 private:
  // The reference's fillFloatLumaFromRGB computes kLumaR * R + kLumaG * G + kLumaB * B in
  // float, left to right. Each product depends on one byte only, so tables of the products give
  // the same floats without the conversions and multiplications.
  struct ProductTables {
    std::array<float, 256> r, g, b;
    ProductTables() {
      for (int v = 0; v < 256; ++v) {
        r[v] = kLumaR * static_cast<float>(v);
        g[v] = kLumaG * static_cast<float>(v);
        b[v] = kLumaB * static_cast<float>(v);
      }
    }
  };

  template <int Channels>
  static void rgb_row(const uint8_t* p, int width, float* out) {
    static const ProductTables kTables;
    const float* tr = kTables.r.data();
    const float* tg = kTables.g.data();
    const float* tb = kTables.b.data();
    for (int c = 0; c < width; ++c, p += Channels) {
      out[c] = tr[p[0]] + tg[p[1]] + tb[p[2]];
    }
  }

  PixelView view_;
  ptrdiff_t stride_;
};

// Rows of block means of 8-bit grey pixels (hash_box_reduced): each factor x factor block's
// middle rows, box_rows(factor) of them from row factor / 4, averaged; the last partial row and
// column of blocks are dropped. Every mean is the integer sum times 1 / (factor x rows) in
// float, whichever path computes it. `sums` is scratch for one row of column sums.
class BlockMeanSource final : public LumaRowSource {
 public:
  BlockMeanSource(const PixelView& view, int factor, std::vector<uint16_t>& sums)
      : view_(view),
        stride_(view.stride != 0 ? view.stride : view.width),
        factor_(factor),
        rows_(box_rows(factor)),
        width_(view.width / factor),
        sums_(sums) {
    sums_.resize(static_cast<size_t>(width_) * factor_);
  }

  void fill(int row0, int rows, float* out) const override {
    const int f = factor_;
    const float scale = 1.0f / static_cast<float>(f * rows_);
    for (int r = 0; r < rows; ++r) {
      const uint8_t* p = view_.data + (static_cast<ptrdiff_t>(row0 + r) * f + f / 4) * stride_;
      float* o = out + static_cast<ptrdiff_t>(r) * width_;
      int done = 0;
#if defined(__SSE2__)
      // The scanner's factors (1080p: 4, 720p: 2, 2160p: 8) in SIMD, 16 bytes of each row at a
      // time; the few columns left over go the plain way.
      if (f == 2 || f == 4 || f == 8) {
        done = simd_block_means(p, f, scale, o);
      }
#endif
      plain_block_means(p, done, scale, o);
    }
  }

 private:
  // Outputs `from` onwards: column sums over the rows (vectorised), then f of them per output.
  void plain_block_means(const uint8_t* p, int from, float scale, float* out) const {
    const int f = factor_;
    const int begin = from * f;
    const int end = width_ * f;
    if (begin >= end) {
      return;
    }
    uint16_t* sums = sums_.data();
    for (int x = begin; x < end; ++x) {
      sums[x] = p[x];
    }
    for (int k = 1; k < rows_; ++k) {
      const uint8_t* row = p + k * stride_;
      for (int x = begin; x < end; ++x) {
        sums[x] = static_cast<uint16_t>(sums[x] + row[x]);
      }
    }
    for (int x = from; x < width_; ++x) {
      uint32_t s = 0;
      for (int k = 0; k < f; ++k) {
        s += sums[x * f + k];
      }
      out[x] = static_cast<float>(s) * scale;
    }
  }

#if defined(__SSE2__)
  // Block means for factor 2, 4 or 8 over whole 16-byte runs of the rows; returns how many
  // outputs it wrote.
  int simd_block_means(const uint8_t* p, int f, float scale, float* out) const {
    const int runs = (width_ * f) / 16;
    const __m128i low_bytes = _mm_set1_epi16(0x00FF);
    const __m128i ones = _mm_set1_epi16(1);
    const __m128i zero = _mm_setzero_si128();
    const __m128 s = _mm_set1_ps(scale);
    for (int i = 0; i < runs; ++i) {
      const uint8_t* q = p + 16 * i;
      // The frame comes from memory, rows apart: ask for each row's cache lines 1 KiB ahead
      // (measured on a loaded 2-core machine: the hash's cost over decoding a 1080p frame fell
      // from about 0.4 to 0.25 ms). Prefetching past the end of the frame cannot fault.
      if ((i & 3) == 0) {
        for (int k = 0; k < rows_; ++k) {
          _mm_prefetch(reinterpret_cast<const char*>(q + k * stride_ + 1024), _MM_HINT_T0);
        }
      }
      if (f == 8) {
        // Sums of each 8 bytes (psadbw against zero), over the rows.
        __m128i acc = zero;
        for (int k = 0; k < rows_; ++k) {
          const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + k * stride_));
          acc = _mm_add_epi64(acc, _mm_sad_epu8(v, zero));
        }
        out[2 * i] = static_cast<float>(_mm_cvtsi128_si32(acc)) * scale;
        out[2 * i + 1] = static_cast<float>(_mm_cvtsi128_si32(_mm_srli_si128(acc, 8))) * scale;
        continue;
      }
      // Sums of adjacent byte pairs as 16-bit lanes, over the rows.
      __m128i pairs = zero;
      for (int k = 0; k < rows_; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + k * stride_));
        pairs =
            _mm_add_epi16(pairs, _mm_add_epi16(_mm_and_si128(v, low_bytes), _mm_srli_epi16(v, 8)));
      }
      if (f == 4) {
        // Adjacent pairs of pairs: four block sums.
        const __m128i sums = _mm_madd_epi16(pairs, ones);
        _mm_storeu_ps(out + 4 * i, _mm_mul_ps(_mm_cvtepi32_ps(sums), s));
      } else {
        _mm_storeu_ps(out + 8 * i, _mm_mul_ps(_mm_cvtepi32_ps(_mm_unpacklo_epi16(pairs, zero)), s));
        _mm_storeu_ps(out + 8 * i + 4,
                      _mm_mul_ps(_mm_cvtepi32_ps(_mm_unpackhi_epi16(pairs, zero)), s));
      }
    }
    return runs * 16 / f;
  }
#endif

  PixelView view_;
  ptrdiff_t stride_;
  int factor_;
  int rows_;
  int width_;
  std::vector<uint16_t>& sums_;
};

// D[i][j] = sqrt(2/64) cos(pi / 128 (i + 1)(2 j + 1)), i < 16, j < 64: DCT-II rows 1..16 (the DC
// row 0 is left out). Built as the reference builds it: a float scale times a double cosine,
// rounded to float. Also kept transposed, so that both products below run over contiguous rows.
struct DctMatrix {
  std::array<float, kDct * kSide> d{};   // 16 x 64
  std::array<float, kSide * kDct> dt{};  // 64 x 16

  DctMatrix() {
    constexpr double kPi = 3.14159265358979323846;
    const float scale = static_cast<float>(std::sqrt(2.0 / kSide));
    for (int i = 0; i < kDct; ++i) {
      for (int j = 0; j < kSide; ++j) {
        const double angle =
            (kPi / 2.0 / kSide) * static_cast<double>(i + 1) * static_cast<double>(2 * j + 1);
        const float value = static_cast<float>(scale * std::cos(angle));
        d[i * kSide + j] = value;
        dt[j * kDct + i] = value;
      }
    }
  }
};

const DctMatrix& dct_matrix() {
  static const DctMatrix kMatrix;
  return kMatrix;
}

// B = D A D^T as two small matrix products. Every coefficient is the reference's sequential float
// sum over k (dct64To16); the loops run across j so they vectorise without reordering any sum.
void dct_64_to_16(const float* a, float* b) {
  const DctMatrix& m = dct_matrix();
  alignas(64) float t[kDct * kSide];  // T = D A, 16 x 64
  for (int i = 0; i < kDct; ++i) {
    float* ti = t + i * kSide;
    std::fill_n(ti, kSide, 0.0f);
    for (int k = 0; k < kSide; ++k) {
      const float dik = m.d[i * kSide + k];
      const float* ak = a + k * kSide;
      for (int j = 0; j < kSide; ++j) {
        ti[j] += dik * ak[j];
      }
    }
  }
  for (int i = 0; i < kDct; ++i) {
    float* bi = b + i * kDct;
    std::fill_n(bi, kDct, 0.0f);
    for (int k = 0; k < kSide; ++k) {
      const float tik = t[i * kSide + k];
      const float* dk = m.dt.data() + k * kDct;
      for (int j = 0; j < kDct; ++j) {
        bi[j] += tik * dk[j];
      }
    }
  }
}

// The reference's pdqImageDomainQualityMetric: the sum over all horizontally and vertically
// adjacent pairs of |trunc((u - v) * 100 / 255)|, divided by 90, at most 100. Differences are
// bounded before the conversion to int so that odd float input cannot overflow it.
int quality_of(const float* a) {
  auto step = [](float u, float v) -> int64_t {
    const float d = ((u - v) * 100) / 255;
    if (!(std::fabs(d) < 1e6f)) {
      return std::isnan(d) ? 0 : 1000000;
    }
    return std::abs(static_cast<int>(d));
  };
  int64_t gradient_sum = 0;
  for (int i = 0; i < kSide - 1; ++i) {
    for (int j = 0; j < kSide; ++j) {
      gradient_sum += step(a[i * kSide + j], a[(i + 1) * kSide + j]);
    }
  }
  for (int i = 0; i < kSide; ++i) {
    for (int j = 0; j < kSide - 1; ++j) {
      gradient_sum += step(a[i * kSide + j], a[i * kSide + j + 1]);
    }
  }
  return static_cast<int>(std::min<int64_t>(gradient_sum / 90, 100));
}

void check_view(int width, int height, const void* data) {
  CC_CHECK(width >= 0 && height >= 0);
  CC_CHECK(data != nullptr || width < kMinHashableSide || height < kMinHashableSide);
}

}  // namespace

PdqHasher::PdqHasher() : downsampler_(std::make_unique<JaroszDownsampler>()) {}
PdqHasher::~PdqHasher() = default;

PdqFeatures PdqHasher::features_of(const LumaRowSource& source, int width, int height) {
  PdqFeatures features;
  if (width < kMinHashableSide || height < kMinHashableSide) {
    return features;
  }
  alignas(64) float a[kSide * kSide];
  if (width == kSide && height == kSide) {
    // The reference hashes 64x64 input unfiltered (pdqFloat256FromFloatLuma).
    source.fill(0, kSide, a);
  } else {
    downsampler_->downsample(width, height, source, a);
  }
  features.quality = quality_of(a);
  dct_64_to_16(a, features.dct.data());
  return features;
}

PdqFeatures PdqHasher::features(const media::LumaF32View& luma) {
  check_view(luma.width, luma.height, luma.data);
  CC_CHECK(luma.stride == 0 || luma.stride >= luma.width);
  return features_of(FloatPlaneSource(luma), luma.width, luma.height);
}

PdqFeatures PdqHasher::features(const PixelView& pixels) {
  check_view(pixels.width, pixels.height, pixels.data);
  CC_CHECK(pixels.channels == 1 || pixels.channels == 3 || pixels.channels == 4);
  CC_CHECK(pixels.stride == 0 ||
           pixels.stride >= static_cast<ptrdiff_t>(pixels.width) * pixels.channels);
  return features_of(PixelSource(pixels), pixels.width, pixels.height);
}

PdqResult PdqHasher::hash_box_reduced(const PixelView& grey, int factor) {
  check_view(grey.width, grey.height, grey.data);
  CC_CHECK(grey.channels == 1);
  CC_CHECK(grey.stride == 0 || grey.stride >= grey.width);
  // Column sums of up to 257 bytes fit 16 bits.
  CC_CHECK(factor >= 1 && factor <= 257);
  if (factor == 1) {
    return hash(grey);  // the same hash; the plain grey path is faster
  }
  PdqFeatures f = features_of(BlockMeanSource(grey, factor, block_sums_), grey.width / factor,
                              grey.height / factor);
  return {pdq_hash_from_dct(f.dct), f.quality};
}

int box_rows(int factor) {
  return factor <= 2 ? factor : factor / 2;
}

int box_reduction_factor(int width, int height) {
  const int longer = std::max(width, height);
  const int shorter = std::min(width, height);
  return std::max(1, std::min(longer / kBoxReducedMinSide, shorter / kSide));
}

PdqResult PdqHasher::hash(const media::LumaF32View& luma) {
  PdqFeatures f = features(luma);
  return {pdq_hash_from_dct(f.dct), f.quality};
}

std::vector<float> PdqHasher::luma_of(const PixelView& pixels) {
  check_view(pixels.width, pixels.height, pixels.data);
  CC_CHECK(pixels.channels == 1 || pixels.channels == 3 || pixels.channels == 4);
  std::vector<float> luma(static_cast<size_t>(pixels.width) * pixels.height);
  PixelSource(pixels).fill(0, pixels.height, luma.data());
  return luma;
}

PdqResult PdqHasher::hash(const PixelView& pixels) {
  PdqFeatures f = features(pixels);
  return {pdq_hash_from_dct(f.dct), f.quality};
}

namespace {
PdqDihedralResult dihedral_of(const PdqFeatures& f) {
  PdqDihedralResult result;
  result.quality = f.quality;
  for (int d = 0; d < kDihedralCount; ++d) {
    result.hashes[d] = pdq_hash_from_dct(pdq_dihedral_dct(f.dct, static_cast<Dihedral>(d)));
  }
  return result;
}
}  // namespace

PdqDihedralResult PdqHasher::hash_dihedral(const media::LumaF32View& luma) {
  return dihedral_of(features(luma));
}

PdqDihedralResult PdqHasher::hash_dihedral(const PixelView& pixels) {
  return dihedral_of(features(pixels));
}

PdqHash pdq_hash_from_dct(const std::array<float, 256>& dct) {
  // The reference's Torben median of 256 values is the 128th smallest. NaN, which the reference
  // never sees, sorts last here so the ordering stays strict-weak.
  std::array<float, 256> sorted = dct;
  auto less = [](float x, float y) {
    return x < y || (std::isnan(y) && !std::isnan(x));
  };
  std::nth_element(sorted.begin(), sorted.begin() + 127, sorted.end(), less);
  const float median = sorted[127];
  PdqHash hash;
  for (int k = 0; k < 256; ++k) {
    if (dct[k] > median) {
      hash.set_bit(k);
    }
  }
  return hash;
}

std::array<float, 256> pdq_dihedral_dct(const std::array<float, 256>& dct, Dihedral d) {
  // Basis (i, j) has frequency i + 1 down and j + 1 across; a flip of an axis negates it when
  // that frequency is odd, i.e. when the index is even. Rotations and diagonal flips also swap
  // the axes.
  bool transpose = false;
  auto negate = [d](int i, int j) {
    switch (d) {
      case Dihedral::kOriginal:
      case Dihedral::kFlipPlus1:
        return false;
      case Dihedral::kRotate90:
      case Dihedral::kFlipY:
        return (j & 1) == 0;
      case Dihedral::kRotate270:
      case Dihedral::kFlipX:
        return (i & 1) == 0;
      case Dihedral::kRotate180:
      case Dihedral::kFlipMinus1:
        return ((i + j) & 1) != 0;
    }
    return false;
  };
  switch (d) {
    case Dihedral::kRotate90:
    case Dihedral::kRotate270:
    case Dihedral::kFlipPlus1:
    case Dihedral::kFlipMinus1:
      transpose = true;
      break;
    default:
      break;
  }
  std::array<float, 256> out{};
  for (int i = 0; i < kDct; ++i) {
    for (int j = 0; j < kDct; ++j) {
      const float v = negate(i, j) ? -dct[i * kDct + j] : dct[i * kDct + j];
      out[transpose ? j * kDct + i : i * kDct + j] = v;
    }
  }
  return out;
}

}  // namespace clearcut::provenance
