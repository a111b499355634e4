#include "clearcut/provenance/watermark/video_watermark_detector.h"

#include <algorithm>
#include <string>

#include "clearcut/provenance/watermark/internal/mark_search.h"
#include "clearcut/provenance/watermark/watermark_detector.h"

namespace clearcut::watermark {

base::Status VideoWatermarkDetector::add_frame(const media::LumaF32View& luma) {
  const ptrdiff_t stride = luma.row_stride();
  if (luma.data == nullptr || luma.width <= 0 || luma.height <= 0 || stride < luma.width) {
    return base::invalid_argument("watermark video detect: malformed luma view");
  }
  if (luma.width < kMinDetectSide || luma.height < kMinDetectSide) {
    return base::invalid_argument("watermark video detect: frame is " + std::to_string(luma.width) +
                                  "x" + std::to_string(luma.height) +
                                  ", the detector needs at least " +
                                  std::to_string(kMinDetectSide) + " a side");
  }
  if (frames_ > 0 && (luma.width != width_ || luma.height != height_)) {
    return base::invalid_argument("watermark video detect: frame size changed from " +
                                  std::to_string(width_) + "x" + std::to_string(height_));
  }
  const internal::Region area = internal::analysis_area(luma.width, luma.height);
  const internal::Plane crop{luma.data + area.y * stride + area.x, area.width, area.height, stride};
  // Each frame's residual goes through the same buffer: a fresh 1080p plane a frame would be
  // 8 MB of pages to fault in and clear.
  const size_t size = static_cast<size_t>(area.width) * area.height;
  residual_.resize(size);
  internal::whiten_into(crop, internal::Region{0, 0, area.width, area.height}, residual_.data(),
                        area.width);
  if (frames_ == 0) {
    width_ = luma.width;
    height_ = luma.height;
    sum_.assign(size, 0.0f);
  }
  for (size_t i = 0; i < size; ++i) {
    sum_[i] += residual_[i];
  }
  ++frames_;
  return {};
}

base::Status VideoWatermarkDetector::add_frame(const media::LumaView& luma) {
  if (luma.data == nullptr || luma.width <= 0 || luma.height <= 0) {
    return base::invalid_argument("watermark video detect: malformed luma view");
  }
  const ptrdiff_t stride = luma.row_stride();
  plane_.resize(static_cast<size_t>(luma.width) * luma.height);
  for (int y = 0; y < luma.height; ++y) {
    const uint8_t* src = luma.data + y * stride;
    std::copy(src, src + luma.width, plane_.begin() + static_cast<ptrdiff_t>(y) * luma.width);
  }
  return add_frame(media::LumaF32View{plane_.data(), luma.width, luma.height, 0});
}

base::Result<WatermarkDetection> VideoWatermarkDetector::detect() const {
  if (frames_ == 0) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "watermark video detect: no frame added");
  }
  const internal::Region area = internal::analysis_area(width_, height_);
  // The search is blind to the residual's overall scale; the sum serves as well as the mean.
  // Every comb candidate is tried: a window is searched on evidence already, and the mark it
  // sums may be too weak in any one frame for the comb to single out.
  return internal::search(internal::Plane{sum_.data(), area.width, area.height, area.width}, area,
                          key_, 0.0);
}

void VideoWatermarkDetector::reset() {
  frames_ = 0;
  width_ = 0;
  height_ = 0;
  sum_.clear();
}

}  // namespace clearcut::watermark
