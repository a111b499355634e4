#pragma once

#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/media/luma_view.h"
#include "clearcut/provenance/watermark/watermark_detection.h"
#include "clearcut/provenance/watermark/watermark_key.h"

namespace clearcut::watermark {

// Detects a mark in a run of video frames (a shot, a second of a clip) by averaging their
// whitened residuals before one search: the mark is the same in every frame of an asset while
// scene content and codec noise are not, so n frames gain up to sqrt(n) in amplitude; on
// H.264 CRF 28 this turns per-frame misses into window detections (README.md). Frames must
// share one size (else kInvalidArgument) and each be at least kMinDetectSide a side. Frames
// of different assets in one window average their marks away ("no mark"), never into a wrong
// payload beyond the CRC's 2^-32. Holds a float plane of the sum and two of scratch; not
// thread-safe.
class VideoWatermarkDetector {
 public:
  explicit VideoWatermarkDetector(const WatermarkKey& key) : key_(key) {}

  base::Status add_frame(const media::LumaF32View& luma);
  base::Status add_frame(const media::LumaView& luma);
  int frames() const { return frames_; }
  // The search over all frames added since construction or reset(); kFailedPrecondition
  // before the first frame.
  base::Result<WatermarkDetection> detect() const;
  void reset();

 private:
  WatermarkKey key_;
  int width_ = 0;
  int height_ = 0;
  int frames_ = 0;
  std::vector<float> sum_;       // summed whitened residual of the analysis area
  std::vector<float> residual_;  // scratch: one frame's residual
  std::vector<float> plane_;     // scratch: an 8-bit frame as floats
};

}  // namespace clearcut::watermark
