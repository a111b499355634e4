#pragma once

#include <cstddef>
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

// Mean over the (2 radius + 1)^2 window around each pixel, the window clipped to the image.
// Separable running sums in double: O(pixels) whatever the radius.
std::vector<float> box_mean(const Plane& plane, int radius);

// Local mean and standard deviation over the same windows.
struct LocalStats {
  std::vector<float> mean;
  std::vector<float> stddev;
};
LocalStats local_stats(const Plane& plane, int radius);

}  // namespace clearcut::watermark::internal
