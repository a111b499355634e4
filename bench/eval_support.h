#pragma once

// What the audio evals (audio_fingerprint_eval, audio_watermark_eval) share: process CPU time,
// and stopping with the error when a step they cannot do without fails (exit status 2).
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "clearcut/base/result.h"

namespace clearcut::bench {

inline double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

[[noreturn]] inline void die(const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what.c_str());
  std::exit(2);
}

template <typename T>
T must(base::Result<T> r, const std::string& what) {
  if (!r.has_value()) {
    die(what + ": " + r.error().to_string());
  }
  return std::move(r).value();
}

inline void must(const base::Status& s, const std::string& what) {
  if (!s.has_value()) {
    die(what + ": " + s.error().to_string());
  }
}

}  // namespace clearcut::bench
