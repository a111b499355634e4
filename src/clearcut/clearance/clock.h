#pragma once

#include <chrono>
#include <string>

namespace clearcut::clearance {

// Where the service gets the time, so that tests can fix it. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

// RFC 3339 in UTC with milliseconds: 2026-11-22T01:56:05.120Z.
std::string format_rfc3339(std::chrono::system_clock::time_point t);

}  // namespace clearcut::clearance
