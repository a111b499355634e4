#pragma once

#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <utility>

#include "clearcut/base/thread_annotations.h"

namespace clearcut::base {

// A std::mutex that clang's thread-safety analysis knows as a capability, so members marked
// GUARDED_BY(mu_) are checked at compile time. Lock it through MutexLock.
class CAPABILITY("mutex") Mutex {
 public:
  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class MutexLock;
  std::mutex mu_;
};

// Holds a Mutex for its scope; waits on a condition variable with the mutex held on both sides.
// A predicate reading guarded members needs REQUIRES(mu_) on the lambda: the analysis does not
// see into the wait.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : lock_(mu.mu_) {}
  ~MutexLock() RELEASE() = default;
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  template <typename Predicate>
  void wait(std::condition_variable& cv, Predicate done) {
    cv.wait(lock_, std::move(done));
  }

  // False when `timeout` passed with `done` still false.
  template <typename Duration, typename Predicate>
  bool wait_for(std::condition_variable& cv, Duration timeout, Predicate done) {
    return cv.wait_for(lock_, timeout, std::move(done));
  }

  // As above, and also ends when `stop` is requested.
  template <typename Duration, typename Predicate>
  bool wait_for(std::condition_variable_any& cv, const std::stop_token& stop, Duration timeout,
                Predicate done) {
    return cv.wait_for(lock_, stop, timeout, std::move(done));
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace clearcut::base
