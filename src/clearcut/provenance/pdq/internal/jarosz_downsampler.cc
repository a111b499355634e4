#include "clearcut/provenance/pdq/internal/jarosz_downsampler.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "clearcut/base/result.h"

namespace clearcut::provenance::internal {
namespace {

constexpr int kLanes = JaroszDownsampler::kLanes;
constexpr int kSide = JaroszDownsampler::kOutputSide;

// The reference's one-dimensional box filter (box1DFloat), run on `lanes` independent sequences
// at once: element i of every sequence is the row row_at(i). A running float sum takes the new
// sample, then drops the old one, and is divided by the number of samples it holds; the window
// shrinks at both ends. emit(i, sum, count) receives output i. Keep this operation order: it is
// what makes the result bit-exact.
template <typename RowAt, typename Emit>
void running_box(int length, int window, int lanes, float* sum, const RowAt& row_at,
                 const Emit& emit) {
  CC_CHECK(window >= 1 && window <= length);
  const int half = (window + 2) / 2;
  std::fill_n(sum, lanes, 0.0f);
  int ri = 0;
  int li = 0;
  int oi = 0;
  int count = 0;
  for (int i = 0; i < half - 1; ++i) {
    const float* in = row_at(ri++);
    for (int l = 0; l < lanes; ++l) {
      sum[l] += in[l];
    }
    ++count;
  }
  for (int i = 0; i < window - half + 1; ++i) {
    const float* in = row_at(ri++);
    for (int l = 0; l < lanes; ++l) {
      sum[l] += in[l];
    }
    ++count;
    emit(oi++, sum, count);
  }
  for (; ri < length; ++ri, ++li) {
    const float* in = row_at(ri);
    const float* out = row_at(li);
    for (int l = 0; l < lanes; ++l) {
      sum[l] += in[l];
      sum[l] -= out[l];
    }
    emit(oi++, sum, count);
  }
  for (int i = 0; i < half - 1; ++i) {
    const float* out = row_at(li++);
    for (int l = 0; l < lanes; ++l) {
      sum[l] -= out[l];
    }
    --count;
    emit(oi++, sum, count);
  }
}

// dst[c * dst_stride + r] = src[r * src_stride + c] for r < rows, c < cols.
void transpose(const float* src, ptrdiff_t src_stride, int rows, int cols, float* dst,
               ptrdiff_t dst_stride) {
  int r = 0;
#if defined(__SSE__)
  for (; r + 4 <= rows; r += 4) {
    const float* s = src + r * src_stride;
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      __m128 a = _mm_loadu_ps(s + c);
      __m128 b = _mm_loadu_ps(s + src_stride + c);
      __m128 e = _mm_loadu_ps(s + 2 * src_stride + c);
      __m128 f = _mm_loadu_ps(s + 3 * src_stride + c);
      _MM_TRANSPOSE4_PS(a, b, e, f);
      float* d = dst + c * dst_stride + r;
      _mm_storeu_ps(d, a);
      _mm_storeu_ps(d + dst_stride, b);
      _mm_storeu_ps(d + 2 * dst_stride, e);
      _mm_storeu_ps(d + 3 * dst_stride, f);
    }
    for (; c < cols; ++c) {
      for (int k = 0; k < 4; ++k) {
        dst[c * dst_stride + r + k] = s[k * src_stride + c];
      }
    }
  }
#endif
  for (; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      dst[c * dst_stride + r] = src[r * src_stride + c];
    }
  }
}

// Index of the input sample the reference's decimateFloat reads for output i of kSide:
// floor((i + 0.5) * n / 64), computed exactly in integers.
std::array<int, kSide> sample_positions(int n) {
  std::array<int, kSide> at{};
  for (int i = 0; i < kSide; ++i) {
    at[i] = static_cast<int>(((2 * int64_t{i} + 1) * n) / (2 * kSide));
  }
  return at;
}

}  // namespace

int jarosz_window(int side) {
  return (side + 2 * kSide - 1) / (2 * kSide);
}

void JaroszDownsampler::downsample(int width, int height, const LumaRowSource& source, float* out) {
  CC_CHECK(width >= 1 && height >= 1);
  const int row_window = jarosz_window(width);      // along rows, from the number of columns
  const int column_window = jarosz_window(height);  // along columns, from the number of rows
  const std::array<int, kSide> sample_columns = sample_positions(width);
  const std::array<int, kSide> sample_rows = sample_positions(height);

  // The column pass reads rows up to column_window behind the newest; strips are produced whole.
  const int ring_strips = (kLanes + column_window + 1 + kLanes - 1) / kLanes;
  const size_t w = static_cast<size_t>(width);
  rows_.resize(kLanes * w);
  column_out_.resize(kLanes * w);
  lanes_.resize(kLanes * w);
  lanes_out_.resize(kLanes * w);
  ring_.resize(ring_strips * kLanes * w);
  column_sum_.resize(w);
  sampled_.resize(static_cast<size_t>(height) * kSide);
  alignas(64) float lane_sum[kLanes];
  alignas(64) float side_sum[kSide];

  auto lane_row = [this](int i) {
    return lanes_.data() + static_cast<size_t>(i) * kLanes;
  };

  // Round one, row pass: luma rows in, filtered rows out into the ring.
  int produced = 0;
  auto produce_strip = [&] {
    const int n = std::min(kLanes, height - produced);
    source.fill(produced, n, rows_.data());
    if (n < kLanes) {
      std::fill(lanes_.begin(), lanes_.end(), 0.0f);
    }
    transpose(rows_.data(), width, n, width, lanes_.data(), kLanes);
    running_box(width, row_window, kLanes, lane_sum, lane_row,
                [&](int oi, const float* sum, int count) {
                  float* o = lanes_out_.data() + static_cast<size_t>(oi) * kLanes;
                  const float divisor = static_cast<float>(count);
                  for (int l = 0; l < kLanes; ++l) {
                    o[l] = sum[l] / divisor;
                  }
                });
    float* slot =
        ring_.data() + static_cast<size_t>((produced / kLanes) % ring_strips) * kLanes * w;
    transpose(lanes_out_.data(), kLanes, width, n, slot, width);
    produced += n;
  };
  auto ring_row = [&](int i) -> const float* {
    while (i >= produced) {
      produce_strip();
    }
    return ring_.data() +
           (static_cast<size_t>((i / kLanes) % ring_strips) * kLanes + i % kLanes) * w;
  };

  // Round two, row pass, on a strip of round one's column-pass output (in column_out_): only the
  // 64 sampled columns are divided out and kept.
  auto second_row_pass = [&](int row0, int n) {
    if (n < kLanes) {
      std::fill(lanes_.begin(), lanes_.end(), 0.0f);
    }
    transpose(column_out_.data(), width, n, width, lanes_.data(), kLanes);
    int next = 0;
    running_box(width, row_window, kLanes, lane_sum, lane_row,
                [&](int oi, const float* sum, int count) {
                  const float divisor = static_cast<float>(count);
                  for (; next < kSide && sample_columns[next] == oi; ++next) {
                    for (int l = 0; l < n; ++l) {
                      sampled_[static_cast<size_t>(row0 + l) * kSide + next] = sum[l] / divisor;
                    }
                  }
                });
  };

  // Round one, column pass, streaming: each output row goes to column_out_, a full strip of them to
  // round two's row pass.
  running_box(height, column_window, width, column_sum_.data(), ring_row,
              [&](int oi, const float* sum, int count) {
                const int lane = oi % kLanes;
                float* o = column_out_.data() + static_cast<size_t>(lane) * w;
                const float divisor = static_cast<float>(count);
                for (int c = 0; c < width; ++c) {
                  o[c] = sum[c] / divisor;
                }
                if (lane == kLanes - 1 || oi == height - 1) {
                  second_row_pass(oi - lane, lane + 1);
                }
              });

  // Round two, column pass, on the sampled columns only, keeping the sampled rows.
  int next = 0;
  running_box(
      height, column_window, kSide, side_sum,
      [&](int i) { return sampled_.data() + static_cast<size_t>(i) * kSide; },
      [&](int oi, const float* sum, int count) {
        const float divisor = static_cast<float>(count);
        for (; next < kSide && sample_rows[next] == oi; ++next) {
          for (int c = 0; c < kSide; ++c) {
            out[next * kSide + c] = sum[c] / divisor;
          }
        }
      });
}

}  // namespace clearcut::provenance::internal
