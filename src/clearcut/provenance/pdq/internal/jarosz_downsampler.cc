#include "clearcut/provenance/pdq/internal/jarosz_downsampler.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "clearcut/base/result.h"

namespace clearcut::provenance::internal {
namespace {

constexpr int kLanes = JaroszDownsampler::kLanes;
constexpr int kSide = JaroszDownsampler::kOutputSide;

// Four floats in a register (GCC/Clang vector extension; SSE on x86-64, NEON on arm64). Lane-wise
// +, - and / round exactly like the scalar operations, so vectorising changes no result.
using V4 = float __attribute__((vector_size(16)));
static_assert(kLanes == 16);

inline V4 load(const float* p) {
  V4 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline void store(float* p, V4 v) {
  std::memcpy(p, &v, sizeof(v));
}
inline V4 splat(float x) {
  return V4{x, x, x, x};
}

// The reference's one-dimensional box filter (box1DFloat) over `length` steps: a running float
// sum takes the new sample, then drops the old one, and each output is the sum divided by the
// number of samples it holds; the window shrinks at both ends. `sums` holds any number of
// independent sums (the lanes) and does the arithmetic; row_at(i) gives step i's samples. Keep
// this operation order: it is what makes the result bit-exact.
template <typename Sums, typename RowAt>
void running_box(int length, int window, Sums& sums, RowAt&& row_at) {
  CC_CHECK(window >= 1 && window <= length);
  const int half = (window + 2) / 2;
  sums.reset();
  int ri = 0;
  int li = 0;
  int oi = 0;
  int count = 0;
  for (int i = 0; i < half - 1; ++i) {
    sums.add(row_at(ri++));
    ++count;
  }
  for (int i = 0; i < window - half + 1; ++i) {
    sums.add(row_at(ri++));
    ++count;
    sums.emit(oi++, count);
  }
  for (; ri < length; ++ri, ++li) {
    sums.slide(row_at(ri), row_at(li));
    sums.emit(oi++, count);
  }
  for (int i = 0; i < half - 1; ++i) {
    sums.sub(row_at(li++));
    --count;
    sums.emit(oi++, count);
  }
}

// kLanes sums kept in registers: a row pass over a transposed strip, one row per lane.
// emit(i, count, s0, s1, s2, s3) receives lanes 0-3, 4-7, 8-11, 12-15.
template <typename Emit>
class StripSums {
 public:
  explicit StripSums(const Emit& emit) : emit_(emit) {}
  void reset() { s0_ = s1_ = s2_ = s3_ = V4{}; }
  void add(const float* in) {
    s0_ += load(in);
    s1_ += load(in + 4);
    s2_ += load(in + 8);
    s3_ += load(in + 12);
  }
  void slide(const float* in, const float* out) {
    s0_ = (s0_ + load(in)) - load(out);
    s1_ = (s1_ + load(in + 4)) - load(out + 4);
    s2_ = (s2_ + load(in + 8)) - load(out + 8);
    s3_ = (s3_ + load(in + 12)) - load(out + 12);
  }
  void sub(const float* out) {
    s0_ -= load(out);
    s1_ -= load(out + 4);
    s2_ -= load(out + 8);
    s3_ -= load(out + 12);
  }
  void emit(int i, int count) { emit_(i, count, s0_, s1_, s2_, s3_); }

 private:
  const Emit& emit_;
  V4 s0_{}, s1_{}, s2_{}, s3_{};
};

// One sum per column of a row-major image, in memory: a column pass, vectorised across the row.
// emit(i, count, sums) receives all of them.
template <typename Emit>
class RowSums {
 public:
  RowSums(float* sums, int lanes, const Emit& emit) : sums_(sums), lanes_(lanes), emit_(emit) {}
  void reset() { std::fill_n(sums_, lanes_, 0.0f); }
  void add(const float* in) {
    int c = 0;
    for (; c + 4 <= lanes_; c += 4) {
      store(sums_ + c, load(sums_ + c) + load(in + c));
    }
    for (; c < lanes_; ++c) {
      sums_[c] += in[c];
    }
  }
  void slide(const float* in, const float* out) {
    int c = 0;
    for (; c + 4 <= lanes_; c += 4) {
      store(sums_ + c, (load(sums_ + c) + load(in + c)) - load(out + c));
    }
    for (; c < lanes_; ++c) {
      sums_[c] += in[c];
      sums_[c] -= out[c];
    }
  }
  void sub(const float* out) {
    int c = 0;
    for (; c + 4 <= lanes_; c += 4) {
      store(sums_ + c, load(sums_ + c) - load(out + c));
    }
    for (; c < lanes_; ++c) {
      sums_[c] -= out[c];
    }
  }
  void emit(int i, int count) { emit_(i, count, static_cast<const float*>(sums_)); }

 private:
  float* sums_;
  int lanes_;
  const Emit& emit_;
};

// out[c] = sums[c] / count for c < n.
void divide_row(const float* sums, int count, int n, float* out) {
  const float divisor = static_cast<float>(count);
  const V4 d = splat(divisor);
  int c = 0;
  for (; c + 4 <= n; c += 4) {
    store(out + c, load(sums + c) / d);
  }
  for (; c < n; ++c) {
    out[c] = sums[c] / divisor;
  }
}

// A 4x4 block transpose: d_k[i] = s_i[k].
inline void transpose4(const float* s0, const float* s1, const float* s2, const float* s3,
                       float* d0, float* d1, float* d2, float* d3) {
#if defined(__SSE__)
  __m128 a = _mm_loadu_ps(s0);
  __m128 b = _mm_loadu_ps(s1);
  __m128 c = _mm_loadu_ps(s2);
  __m128 e = _mm_loadu_ps(s3);
  _MM_TRANSPOSE4_PS(a, b, c, e);
  _mm_storeu_ps(d0, a);
  _mm_storeu_ps(d1, b);
  _mm_storeu_ps(d2, c);
  _mm_storeu_ps(d3, e);
#else
  const float* s[4] = {s0, s1, s2, s3};
  float* d[4] = {d0, d1, d2, d3};
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < 4; ++i) {
      d[k][i] = s[i][k];
    }
  }
#endif
}

// Feeds a row pass over a strip of kLanes rows: column c as kLanes consecutive floats (lane r is
// row r). Columns are transposed four at a time, on demand, into a small ring that also keeps the
// columns the running sum has yet to drop, so the strip never exists transposed in full and
// everything stays in L1.
class StripColumns {
 public:
  // `ring` holds ring_columns * kLanes floats; ring_columns is a power of two above window + 3.
  StripColumns(const float* const* rows, int width, float* ring, int ring_columns)
      : rows_(rows), width_(width), ring_(ring), mask_(ring_columns - 1) {}

  const float* operator()(int c) {
    while (c >= ready_) {
      fill_next();
    }
    return ring_ + static_cast<ptrdiff_t>(c & mask_) * kLanes;
  }

 private:
  void fill_next() {
    const int c = ready_;
    float* d = ring_ + static_cast<ptrdiff_t>(c & mask_) * kLanes;
    if (c + 4 <= width_) {
      for (int r = 0; r < kLanes; r += 4) {
        transpose4(rows_[r] + c, rows_[r + 1] + c, rows_[r + 2] + c, rows_[r + 3] + c, d + r,
                   d + kLanes + r, d + 2 * kLanes + r, d + 3 * kLanes + r);
      }
      ready_ += 4;
    } else {
      for (int r = 0; r < kLanes; ++r) {
        d[r] = rows_[r][c];
      }
      ready_ += 1;
    }
  }

  const float* const* rows_;
  int width_;
  float* ring_;
  int mask_;
  int ready_ = 0;
};

// The other way round: takes a row pass's output columns in order and writes them into kLanes
// rows, four columns at a time.
class StripColumnWriter {
 public:
  StripColumnWriter(float* const* rows, int width) : rows_(rows), width_(width) {}

  void put(int c, V4 s0, V4 s1, V4 s2, V4 s3) {
    float* b = block_ + (c & 3) * kLanes;
    store(b, s0);
    store(b + 4, s1);
    store(b + 8, s2);
    store(b + 12, s3);
    if ((c & 3) == 3) {
      const int c0 = c - 3;
      for (int r = 0; r < kLanes; r += 4) {
        transpose4(block_ + r, block_ + kLanes + r, block_ + 2 * kLanes + r,
                   block_ + 3 * kLanes + r, rows_[r] + c0, rows_[r + 1] + c0, rows_[r + 2] + c0,
                   rows_[r + 3] + c0);
      }
    } else if (c == width_ - 1) {
      for (int k = 0; k <= (c & 3); ++k) {
        for (int r = 0; r < kLanes; ++r) {
          rows_[r][c - (c & 3) + k] = block_[k * kLanes + r];
        }
      }
    }
  }

 private:
  float* const* rows_;
  int width_;
  alignas(16) float block_[4 * kLanes];
};

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
  const bool in_place = source.float_row(0) != nullptr;

  // The column pass reads rows up to column_window behind the newest; strips are produced whole.
  const int ring_strips = (kLanes + column_window + 1 + kLanes - 1) / kLanes;
  const int column_ring = static_cast<int>(std::bit_ceil(static_cast<unsigned>(row_window) + 4));
  const size_t w = static_cast<size_t>(width);
  if (!in_place) {
    rows_.resize(kLanes * w);
  }
  column_out_.resize(kLanes * w);
  ring_.resize(ring_strips * kLanes * w);
  column_sum_.resize(w);
  sampled_.resize(static_cast<size_t>(height) * kSide);
  // Rows past the end of the image in the last strip: read as zeros, written to a dump.
  spare_rows_.assign(2 * w, 0.0f);
  const float* zero_row = spare_rows_.data();
  float* dump_row = spare_rows_.data() + w;
  lanes_.resize(static_cast<size_t>(column_ring) * kLanes);
  alignas(64) float side_sum[kSide];
  const float* in_rows[kLanes];
  float* out_rows[kLanes];

  // Round one, row pass: luma rows in, filtered rows out into the ring.
  int produced = 0;
  auto produce_strip = [&] {
    const int n = std::min(kLanes, height - produced);
    if (!in_place) {
      source.fill(produced, n, rows_.data());
    }
    float* slot =
        ring_.data() + static_cast<size_t>((produced / kLanes) % ring_strips) * kLanes * w;
    for (int r = 0; r < kLanes; ++r) {
      in_rows[r] = r >= n     ? zero_row
                   : in_place ? source.float_row(produced + r)
                              : rows_.data() + r * w;
      out_rows[r] = r < n ? slot + r * w : dump_row;
    }
    StripColumns columns(in_rows, width, lanes_.data(), column_ring);
    StripColumnWriter writer(out_rows, width);
    auto divide_out = [&writer](int oi, int count, V4 s0, V4 s1, V4 s2, V4 s3) {
      const V4 d = splat(static_cast<float>(count));
      writer.put(oi, s0 / d, s1 / d, s2 / d, s3 / d);
    };
    StripSums sums(divide_out);
    running_box(width, row_window, sums, columns);
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
    for (int r = 0; r < kLanes; ++r) {
      in_rows[r] = r < n ? column_out_.data() + r * w : zero_row;
    }
    StripColumns columns(in_rows, width, lanes_.data(), column_ring);
    int next = 0;
    auto keep_sampled = [&](int oi, int count, V4 s0, V4 s1, V4 s2, V4 s3) {
      if (next >= kSide || sample_columns[next] != oi) {
        return;
      }
      const V4 d = splat(static_cast<float>(count));
      alignas(16) float q[kLanes];
      store(q, s0 / d);
      store(q + 4, s1 / d);
      store(q + 8, s2 / d);
      store(q + 12, s3 / d);
      for (; next < kSide && sample_columns[next] == oi; ++next) {
        for (int l = 0; l < n; ++l) {
          sampled_[static_cast<size_t>(row0 + l) * kSide + next] = q[l];
        }
      }
    };
    StripSums sums(keep_sampled);
    running_box(width, row_window, sums, columns);
  };

  // Round one, column pass, streaming: each output row goes to column_out_, a full strip of them
  // to round two's row pass.
  auto divide_into_column_out = [&](int oi, int count, const float* sums) {
    const int lane = oi % kLanes;
    divide_row(sums, count, width, column_out_.data() + lane * w);
    if (lane == kLanes - 1 || oi == height - 1) {
      second_row_pass(oi - lane, lane + 1);
    }
  };
  RowSums first_column_pass(column_sum_.data(), width, divide_into_column_out);
  running_box(height, column_window, first_column_pass, ring_row);

  // Round two, column pass, on the sampled columns only, keeping the sampled rows.
  int next_row = 0;
  auto keep_sampled_rows = [&](int oi, int count, const float* sums) {
    for (; next_row < kSide && sample_rows[next_row] == oi; ++next_row) {
      divide_row(sums, count, kSide, out + next_row * kSide);
    }
  };
  RowSums second_column_pass(side_sum, kSide, keep_sampled_rows);
  running_box(height, column_window, second_column_pass,
              [&](int i) { return sampled_.data() + static_cast<size_t>(i) * kSide; });
}

}  // namespace clearcut::provenance::internal
