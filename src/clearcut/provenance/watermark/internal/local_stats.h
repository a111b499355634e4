#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace clearcut::watermark::internal {

// A float plane, row-major, `stride` floats between row starts.
struct Plane {
  const float* data = nullptr;
  int width = 0;
  int height = 0;
  ptrdiff_t stride = 0;

  float at(int x, int y) const { return data[y * stride + x]; }
};

// Local mean and standard deviation over the (2 radius + 1)^2 window around each pixel, the
// window clipped to the image, produced row by row: separable running sums in double, a ring of
// 2 radius + 2 rows of horizontal sums rather than whole planes, O(pixels) whatever the radius.
// Every sum adds the entering value before dropping the leaving one, in a fixed order, so the
// results depend only on the pixels. Keeps a pointer to the plane, which must outlive it. Not
// thread-safe; one per plane.
class LocalStatsRows {
 public:
  LocalStatsRows(const Plane& plane, int radius);

  struct Row {
    std::span<const float> mean;
    std::span<const float> stddev;
  };
  // The next row's statistics (valid until the next call): row 0 first.
  Row next_row();

 private:
  // Horizontal window means of v - 128 and its square for image row y, into its ring slot.
  void horizontal(int y);

  Plane plane_;
  int radius_;
  int slots_;
  int next_ = 0;
  int lo_ = 0;  // rows in the vertical sums: [lo_, hi_]
  int hi_ = -1;
  std::vector<float> ring_;     // slots_ x 2 planes x width horizontal means
  std::vector<double> sums_;    // 2 x width column sums
  std::vector<double> row_in_;  // scratch: 2 values per pixel of the row being summed
  std::vector<float> mean_;
  std::vector<float> stddev_;
};

}  // namespace clearcut::watermark::internal
