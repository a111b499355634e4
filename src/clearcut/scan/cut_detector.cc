#include "clearcut/scan/cut_detector.h"

#include <algorithm>
#include <cmath>

namespace clearcut::scan {

CutDetector::Signature CutDetector::signature_of(const media::LumaView& picture) {
  Signature sums{};
  std::array<int, kGrid * kGrid> counts{};
  constexpr int kStep = 4;
  for (int y = 0; y < picture.height; y += kStep) {
    const int row = y * kGrid / picture.height;
    const uint8_t* line = picture.data + static_cast<ptrdiff_t>(y) * picture.stride;
    for (int x = 0; x < picture.width; x += kStep) {
      const int cell = row * kGrid + x * kGrid / picture.width;
      sums[static_cast<size_t>(cell)] += line[x];
      ++counts[static_cast<size_t>(cell)];
    }
  }
  for (size_t i = 0; i < sums.size(); ++i) {
    sums[i] = counts[i] > 0 ? sums[i] / static_cast<float>(counts[i]) : 0.0F;
  }
  return sums;
}

bool CutDetector::add(const media::LumaView& picture, int64_t index) {
  if (picture.width <= 0 || picture.height <= 0) {
    return false;
  }
  Signature current = signature_of(picture);
  std::optional<double> change;
  if (previous_ && index == previous_index_ + 1) {
    change = mean_difference(current, *previous_);
  }
  // The pending frame is a cut when its change stands out from the changes on both sides.
  if (pending_change_) {
    const double after = change.value_or(0.0);
    if (*pending_change_ >= kMinChange && *pending_change_ >= kContrast * change_before_ &&
        *pending_change_ >= kContrast * after) {
      cuts_.push_back(pending_index_);
    }
    change_before_ = *pending_change_;
  } else {
    change_before_ = 0;
  }
  const bool sudden =
      change && *change >= kMinChange && *change >= kContrast * pending_change_.value_or(0.0);
  pending_change_ = change;
  pending_index_ = index;
  previous_ = current;
  previous_index_ = index;
  return sudden;
}

double CutDetector::mean_difference(const Signature& a, const Signature& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sum += std::abs(a[i] - b[i]);
  }
  return sum / static_cast<double>(a.size());
}

void CutDetector::set_reference() {
  reference_ = previous_;
}

std::optional<double> CutDetector::change_from_reference() const {
  if (!reference_ || !previous_) {
    return std::nullopt;
  }
  return mean_difference(*previous_, *reference_);
}

std::optional<int64_t> CutDetector::last_cut_in(int64_t after, int64_t upto) const {
  auto it = std::upper_bound(cuts_.begin(), cuts_.end(), upto);
  if (it == cuts_.begin() || *std::prev(it) <= after) {
    return std::nullopt;
  }
  return *std::prev(it);
}

std::optional<int64_t> CutDetector::first_cut_in(int64_t after, int64_t upto) const {
  auto it = std::upper_bound(cuts_.begin(), cuts_.end(), after);
  if (it == cuts_.end() || *it > upto) {
    return std::nullopt;
  }
  return *it;
}

}  // namespace clearcut::scan
