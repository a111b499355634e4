#pragma once

#include <cstddef>
#include <deque>

#include "clearcut/media/luma_view.h"

namespace clearcut::media {

// When a line (row or column) of luma counts as black bar. A line is black when, ignoring up to
// `max_outlier_fraction` of its pixels that stand out above black_level + outlier_step (dust,
// a hot pixel), the rest has mean <= black_level + max_mean_above_black and standard deviation
// <= max_stddev (bars are flat; dark picture is textured).
struct BlackBarOptions {
  int black_level = 16;  // 16 for broadcast-range video, 0 for full-range
  int max_mean_above_black = 12;
  double max_stddev = 6.0;
  int outlier_step = 48;
  double max_outlier_fraction = 0.005;
  // A detection leaving less than this share of either side is no letterbox but a dark frame
  // with little in it (a title card): it is reported uncertain and the frame kept whole.
  double min_active_fraction = 0.4;

  // The defaults for a source's levels (VideoStreamInfo::full_range).
  static BlackBarOptions for_range(bool full_range);
};

// What detect_active_area found in one frame.
struct BarDetection {
  Rect picture;            // inside the bars; the whole frame when blank or uncertain
  bool blank = false;      // every row is black (a fade, a black slug)
  bool uncertain = false;  // bars would leave less than min_active_fraction: kept whole
};

// The picture inside letterbox (top/bottom) and pillarbox (left/right) bars of one frame. Rows
// are scanned from each edge inwards, then columns within the picture's rows, so dark picture
// content away from the edges never matters. Bars come in pairs: black at one edge only is
// picture (a dark backdrop), and where one bar of a pair is thinner because text is burned into
// it (subtitles), the mostly black lines that even it up are bar. Cost: a pass over the bars
// and one line beyond each. Pure, thread-safe.
BarDetection detect_active_area(const LumaView& luma, const BlackBarOptions& options = {});

// Stabilises the detection over frames: the picture reported is the union of the last
// `window` frames' detections, so it grows at once when the picture does (end of a letterboxed
// scene) and shrinks only after `window` frames agree (a dark sky at the top of one shot is not
// a bar). Black frames and frames with too little picture leave it as it was; before any
// usable frame it is the whole frame. One tracker per stream; not thread-safe.
class BlackBarTracker {
 public:
  explicit BlackBarTracker(const BlackBarOptions& options = {}, size_t window = 12);

  // Adds a frame and returns the picture to hash in it.
  Rect update(const LumaView& luma);
  // The picture for a frame of the given size without adding one.
  Rect current(int width, int height) const;
  // Forgets the frames so far: at a cut, the new shot's bars are its own (an inserted
  // letterboxed or pillarboxed shot is trimmed from its first frame, not `window` frames in).
  void reset() { recent_.clear(); }

 private:
  BlackBarOptions options_;
  size_t window_;
  std::deque<Rect> recent_;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace clearcut::media
