#include "clearcut/media/ffmpeg/black_bar_detector.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>

namespace clearcut::media {
namespace {

// Sums over one line, outliers set apart.
struct LineStats {
  int64_t count = 0;
  int64_t sum = 0;
  int64_t sum_squares = 0;
  int64_t outliers = 0;

  void add(int v, int outlier_above) {
    if (v > outlier_above) {
      ++outliers;
      return;
    }
    ++count;
    sum += v;
    sum_squares += int64_t{v} * v;
  }
};

class LineClassifier {
 public:
  explicit LineClassifier(const BlackBarOptions& options)
      : options_(options),
        outlier_above_(options.black_level + options.outlier_step),
        max_mean_(options.black_level + options.max_mean_above_black),
        max_variance_(options.max_stddev * options.max_stddev) {}

  int outlier_above() const { return outlier_above_; }

  bool is_black(const LineStats& s) const {
    const int64_t length = s.count + s.outliers;
    const auto allowed =
        static_cast<int64_t>(options_.max_outlier_fraction * static_cast<double>(length));
    if (s.count == 0 || s.outliers > allowed) {
      return false;
    }
    const double n = static_cast<double>(s.count);
    const double mean = static_cast<double>(s.sum) / n;
    const double variance = static_cast<double>(s.sum_squares) / n - mean * mean;
    return mean <= max_mean_ && variance <= max_variance_;
  }

  bool row_is_black(const LumaView& luma, int y, int x0, int x1) const {
    // Branch-free, so that the compiler vectorises it: bars are scanned a whole row at a time.
    const uint8_t* row = luma.row(y);
    uint64_t sum = 0;
    uint64_t sum_squares = 0;
    uint64_t outliers = 0;
    for (int x = x0; x < x1; ++x) {
      const uint32_t v = row[x];
      const uint32_t outlier = v > static_cast<uint32_t>(outlier_above_) ? 1 : 0;
      const uint32_t kept = outlier != 0 ? 0 : v;
      outliers += outlier;
      sum += kept;
      sum_squares += kept * kept;
    }
    LineStats s;
    s.outliers = static_cast<int64_t>(outliers);
    s.count = (x1 - x0) - s.outliers;
    s.sum = static_cast<int64_t>(sum);
    s.sum_squares = static_cast<int64_t>(sum_squares);
    return is_black(s);
  }

 private:
  const BlackBarOptions& options_;
  int outlier_above_;
  double max_mean_;
  double max_variance_;
};

// Columns are summed a block at a time, row by row, so memory is read along rows. Blocks start
// small (most frames have no pillarbox: the first column is picture) and double.
constexpr int kFirstColumnBlock = 4;
constexpr int kColumnBlock = 32;

// The first column, walking from `from` by `step` (+1 or -1) and stopping before `stop`, that
// is not black over rows [y0, y1); `stop` when all are.
int first_picture_column(const LumaView& luma, const LineClassifier& classify, int from, int stop,
                         int step, int y0, int y1) {
  std::array<LineStats, kColumnBlock> stats;
  int block = kFirstColumnBlock;
  for (int start = from; start != stop; block = std::min(2 * block, kColumnBlock)) {
    const int n = std::min(block, (stop - start) * step);
    const int lo = step > 0 ? start : start - n + 1;  // the block's columns [lo, lo + n)
    stats.fill(LineStats{});
    for (int y = y0; y < y1; ++y) {
      const uint8_t* row = luma.row(y) + lo;
      for (int i = 0; i < n; ++i) {
        stats[i].add(row[i], classify.outlier_above());
      }
    }
    for (int k = 0; k < n; ++k) {
      const int column = start + k * step;
      if (!classify.is_black(stats[column - lo])) {
        return column;
      }
    }
    start += n * step;
  }
  return stop;
}

// Bars come in pairs, one at each end of a side of the picture: a letterbox above and below, a
// pillarbox left and right. `near` and `far` are the bars found at the two ends of a side of
// `length` lines (line 0 is the near end):
// - a black band at one end only is dark picture (a black backdrop, deepened by a grade), not a
//   bar: both are dropped;
// - where one bar of a pair is thinner by more than a line or two, the lines that would even it
//   up are bar too when each is mostly black: text burned into a bar (subtitles) is not picture.
//   Otherwise the pair stays uneven (a windowbox set off-centre, dark picture by one bar).
template <typename MostlyBlack>
void pair_bars(int length, int* near, int* far, MostlyBlack mostly_black) {
  if ((*near == 0) != (*far == 0)) {
    *near = 0;
    *far = 0;
    return;
  }
  const int tolerance = std::max(2, length / 100);
  if (*near == 0 || std::abs(*near - *far) <= tolerance) {
    return;
  }
  // The thinner bar's missing lines, [from, to).
  const bool near_thinner = *near < *far;
  const int from = near_thinner ? *near : length - *near;
  const int to = near_thinner ? *far : length - *far;
  for (int line = from; line < to; ++line) {
    if (!mostly_black(line)) {
      return;
    }
  }
  (near_thinner ? *near : *far) = near_thinner ? *far : *near;
}

}  // namespace

BlackBarOptions BlackBarOptions::for_range(bool full_range) {
  BlackBarOptions options;
  if (full_range) {
    // Full-range black is 0, but files flagged full range often carry broadcast-range bars at
    // 16: still flat and dark enough.
    options.black_level = 0;
    options.max_mean_above_black = 24;
  }
  return options;
}

BarDetection detect_active_area(const LumaView& luma, const BlackBarOptions& options) {
  BarDetection result;
  result.picture = luma.bounds();
  if (luma.data == nullptr || luma.width <= 0 || luma.height <= 0) {
    return result;
  }
  const LineClassifier classify(options);
  int top = 0;
  while (top < luma.height && classify.row_is_black(luma, top, 0, luma.width)) {
    ++top;
  }
  if (top == luma.height) {
    result.blank = true;
    return result;
  }
  int bottom = luma.height;
  while (bottom > top && classify.row_is_black(luma, bottom - 1, 0, luma.width)) {
    --bottom;
  }
  const int black = options.black_level + options.max_mean_above_black;
  int bottom_bar = luma.height - bottom;
  pair_bars(luma.height, &top, &bottom_bar, [&](int y) {
    const uint8_t* row = luma.row(y);
    return 2 * std::count_if(row, row + luma.width, [&](uint8_t v) { return v <= black; }) >=
           luma.width;
  });
  bottom = luma.height - bottom_bar;
  int left = first_picture_column(luma, classify, 0, luma.width, 1, top, bottom);
  int right = first_picture_column(luma, classify, luma.width - 1, left, -1, top, bottom) + 1;
  const auto mostly_black_column = [&](int x) {
    int dark = 0;
    for (int y = top; y < bottom; ++y) {
      dark += luma.row(y)[x] <= black ? 1 : 0;
    }
    return 2 * dark >= bottom - top;
  };
  // Subtitles burned in over a pillarboxed picture run across its bars near the bottom, so a
  // bar's columns are not black over all the rows. They are judged again over the rows above the
  // bottom quarter, and the columns that adds are bar when each is mostly black over all rows
  // (text crosses a bar and leaves it dark; picture fills it).
  if (const int upper = top + 3 * (bottom - top) / 4; upper > top && left < right) {
    const int wider_left = first_picture_column(luma, classify, left, right, 1, top, upper);
    if (wider_left < right) {
      const int wider_right =
          first_picture_column(luma, classify, right - 1, wider_left, -1, top, upper) + 1;
      const auto all_mostly_black = [&](int from, int to) {
        for (int x = from; x < to; ++x) {
          if (!mostly_black_column(x)) {
            return false;
          }
        }
        return true;
      };
      if (all_mostly_black(left, wider_left)) {
        left = wider_left;
      }
      if (all_mostly_black(wider_right, right)) {
        right = wider_right;
      }
    }
  }
  int right_bar = luma.width - right;
  pair_bars(luma.width, &left, &right_bar, mostly_black_column);
  right = luma.width - right_bar;
  const Rect found{left, top, right - left, bottom - top};
  if (found.width < options.min_active_fraction * luma.width ||
      found.height < options.min_active_fraction * luma.height) {
    result.uncertain = true;
    return result;
  }
  result.picture = found;
  return result;
}

BlackBarTracker::BlackBarTracker(const BlackBarOptions& options, size_t window)
    : options_(options), window_(std::max<size_t>(window, 1)) {}

Rect BlackBarTracker::update(const LumaView& luma) {
  if (luma.width != width_ || luma.height != height_) {
    recent_.clear();
    width_ = luma.width;
    height_ = luma.height;
  }
  const BarDetection detection = detect_active_area(luma, options_);
  if (!detection.blank && !detection.uncertain) {
    recent_.push_back(detection.picture);
    if (recent_.size() > window_) {
      recent_.pop_front();
    }
  }
  return current(luma.width, luma.height);
}

Rect BlackBarTracker::current(int width, int height) const {
  if (recent_.empty() || width != width_ || height != height_) {
    return Rect{0, 0, width, height};
  }
  Rect picture;
  for (const Rect& r : recent_) {
    picture = picture.united(r);
  }
  return picture;
}

}  // namespace clearcut::media
