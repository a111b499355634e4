#include "clearcut/clearance/admission_gate.h"

#include <algorithm>

namespace clearcut::clearance {

AdmissionGate::AdmissionGate(int running, int waiting)
    : max_running_(std::max(1, running)), max_waiting_(std::max(0, waiting)) {}

AdmissionGate::Ticket::~Ticket() {
  if (gate_ != nullptr) {
    gate_->leave();
  }
}

std::optional<AdmissionGate::Ticket> AdmissionGate::enter(std::chrono::milliseconds max_wait) {
  base::MutexLock lock(mu_);
  if (running_ < max_running_) {
    ++running_;
    return Ticket(this);
  }
  if (waiting_ >= max_waiting_) {
    return std::nullopt;
  }
  ++waiting_;
  bool admitted =
      lock.wait_for(freed_, max_wait, [this]() REQUIRES(mu_) { return running_ < max_running_; });
  --waiting_;
  if (!admitted) {
    return std::nullopt;
  }
  ++running_;
  return Ticket(this);
}

int AdmissionGate::waiting() const {
  base::MutexLock lock(mu_);
  return waiting_;
}

void AdmissionGate::leave() {
  {
    base::MutexLock lock(mu_);
    --running_;
  }
  freed_.notify_one();
}

}  // namespace clearcut::clearance
