#pragma once

// For the clearance tests: a clock the test sets, and take().

#include <chrono>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "clearcut/base/result.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/domain/validation.h"

namespace clearcut::clearance {

// Stands where the test puts it (2026-12-01T10:00:00Z, a Tuesday, until set). Not thread-safe.
class TestClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return now_; }
  void set(std::string_view rfc3339) { now_ = domain::parse_rfc3339_utc(rfc3339).value(); }

 private:
  std::chrono::system_clock::time_point now_ =
      domain::parse_rfc3339_utc("2026-12-01T10:00:00Z").value();
};

// The value, failing the test with the error's text when there is none.
template <typename T>
T take(base::Result<T> result) {
  if (!result.has_value()) {
    ADD_FAILURE() << result.error().to_string();
  }
  return std::move(result).value();
}

}  // namespace clearcut::clearance
