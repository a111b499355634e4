#pragma once

#include <chrono>
#include <condition_variable>
#include <optional>

#include "clearcut/base/mutex.h"

namespace clearcut::clearance {

// Bounds costly work in flight (Argon2 checks): at most `running` callers hold a ticket at once
// and at most `waiting` more queue for one, each for up to its own deadline; anyone beyond is
// refused at once, so a flood ties up a fixed number of threads and the rest keep serving.
// Thread-safe; tickets release on destruction and must not outlive the gate.
class AdmissionGate {
 public:
  AdmissionGate(int running, int waiting);

  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();

   private:
    friend class AdmissionGate;
    explicit Ticket(AdmissionGate* gate) : gate_(gate) {}
    AdmissionGate* gate_;
  };

  // A ticket, or nullopt when the queue is full or `max_wait` passes first.
  std::optional<Ticket> enter(std::chrono::milliseconds max_wait);

  // Callers queued right now (for tests and metrics).
  int waiting() const;

 private:
  void leave();

  const int max_running_;
  const int max_waiting_;
  mutable base::Mutex mu_;
  std::condition_variable freed_;
  int running_ GUARDED_BY(mu_) = 0;
  int waiting_ GUARDED_BY(mu_) = 0;
};

}  // namespace clearcut::clearance
