#pragma once

// Internal to clearcut::pdq: included only by its .cc files and tests.

#include <vector>

namespace clearcut::provenance::internal {

// Produces rows of float luma on demand for JaroszDownsampler.
class LumaRowSource {
 public:
  virtual ~LumaRowSource() = default;
  // Writes rows row0 .. row0 + rows - 1 to `out`, row-major, `width` floats per row.
  virtual void fill(int row0, int rows, float* out) const = 0;
  // Row `row` in place when the source already holds float luma, so that nothing is copied;
  // nullptr otherwise.
  virtual const float* float_row(int /*row*/) const { return nullptr; }
};

// Reduces a luma image to 64x64 as the PDQ reference does (pdq/cpp/downscaling): two rounds of
// {running box mean along every row, then along every column}, window ceil(side / 128), then a
// sample at each cell centre. Every output is bit-identical to the reference's, because each
// sample sees the same float operations in the same order.
//
// The reference walks columns with a stride of a whole row, which thrashes the cache on large
// frames. Here the image streams through in strips of kLanes rows: a row pass transposes the
// strip four columns at a time and runs kLanes independent running sums (one per row) side by
// side in SIMD registers; the column pass keeps one running sum per column over a ring of rows.
// Memory use is a few strips plus height x 64 floats, never the whole frame, and stays in cache.
// The second round computes only what the 64x64 sampling reads.
//
// Holds scratch buffers between calls: not thread-safe; one object per thread.
class JaroszDownsampler {
 public:
  static constexpr int kLanes = 16;
  static constexpr int kOutputSide = 64;

  // Filters a width x height image (both >= 1) and writes the 64x64 result to `out`, row-major.
  void downsample(int width, int height, const LumaRowSource& source, float* out);

 private:
  std::vector<float> rows_;        // kLanes luma rows from the source, when it has no float rows
  std::vector<float> ring_;        // round one's row-pass output, whole strips, for the column pass
  std::vector<float> column_sum_;  // round one's column-pass running sums, one per column
  std::vector<float> column_out_;  // kLanes rows of round one's column-pass output
  std::vector<float> sampled_;     // round two's row-pass output at the 64 sampled columns
  std::vector<float> lanes_;       // a few transposed columns of the strip in a row pass
  std::vector<float> spare_rows_;  // a row of zeros and a row to discard, for short strips
};

// The reference's window: ceil(side / 128) for a 64-sample output.
int jarosz_window(int side);

}  // namespace clearcut::provenance::internal
