#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "clearcut/media/luma_view.h"

namespace clearcut::scan {

// Finds hard cuts (the first frame of a new shot) in a file's frames, so that a finding the
// watermark located only to within its once-a-second checks can be given the shot's exact
// edges. Each frame is reduced to the mean luma of an 8x8 grid over its picture (sampled every
// 4th pixel and row: a few hundred thousand additions at 4K); the change from one frame to the
// next is the mean absolute difference of the grid. Frame t begins a shot when that change is
// large (at least kMinChange of 255) and stands out from both neighbours' changes (at least
// kContrast times either), so that motion, pans and grain, whose changes come in runs, make no
// cut, and a one-frame flash (two large changes in a row) makes none either. Dissolves and fades
// are not cuts; a finding whose edge is one keeps the edge its checks gave it.
//
// Frames must come in order of index (gaps allowed: a gap ends the comparison, the next frame
// is compared with nothing). Not thread-safe.
class CutDetector {
 public:
  static constexpr double kMinChange = 12.0;
  static constexpr double kContrast = 3.0;

  // Returns whether the frame changes suddenly from the one before (the change is large and
  // at least kContrast times the change into the frame before): a cut, as far as can be told
  // before the next frame (cuts() confirms it then, when the change does not go on).
  bool add(const media::LumaView& picture, int64_t index);

  // The frames that begin a shot, ascending; frame t is decided once frame t+1 was added.
  const std::vector<int64_t>& cuts() const { return cuts_; }

  // Remembers the last frame added as the reference that change_from_reference() compares
  // with (the scanner's last watermark check).
  void set_reference();
  // How far the last frame added has moved from the reference: the mean absolute difference
  // of their grids (of 255); nullopt before set_reference().
  std::optional<double> change_from_reference() const;

  // The last cut in (after, upto], or nullopt.
  std::optional<int64_t> last_cut_in(int64_t after, int64_t upto) const;
  // The first cut in (after, upto], or nullopt.
  std::optional<int64_t> first_cut_in(int64_t after, int64_t upto) const;

 private:
  static constexpr int kGrid = 8;
  using Signature = std::array<float, kGrid * kGrid>;
  static Signature signature_of(const media::LumaView& picture);

  static double mean_difference(const Signature& a, const Signature& b);

  std::optional<Signature> previous_;
  std::optional<Signature> reference_;
  int64_t previous_index_ = -1;
  // The last two changes: into frame pending_index_ (a cut candidate) and the one before it.
  double change_before_ = 0;
  std::optional<double> pending_change_;
  int64_t pending_index_ = -1;
  std::vector<int64_t> cuts_;
};

}  // namespace clearcut::scan
