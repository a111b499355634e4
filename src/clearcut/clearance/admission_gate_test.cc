#include "clearcut/clearance/admission_gate.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace clearcut::clearance {
namespace {

using namespace std::chrono_literals;

TEST(AdmissionGateTest, RefusesBeyondRunningPlusWaiting) {
  AdmissionGate gate(1, 1);
  auto first = gate.enter(0ms);
  ASSERT_TRUE(first);
  // Nobody else runs; a second caller may wait, and times out.
  EXPECT_FALSE(gate.enter(10ms));
  std::atomic<bool> waiting_admitted{false};
  std::thread waiter([&] { waiting_admitted = gate.enter(10s).has_value(); });
  while (gate.waiting() == 0) {
    std::this_thread::sleep_for(1ms);
  }
  // While the waiter queues, a third caller is refused at once, without waiting.
  auto start = std::chrono::steady_clock::now();
  bool third_refused = !gate.enter(5s).has_value();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);  // not its 5 s wait
  EXPECT_TRUE(third_refused);
  { auto released = std::move(*first); }
  first.reset();
  waiter.join();
  EXPECT_TRUE(waiting_admitted.load());
  EXPECT_TRUE(gate.enter(0ms));  // everything released again
}

TEST(AdmissionGateTest, NeverMoreThanTheLimitRunAtOnce) {
  AdmissionGate gate(2, 64);
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      auto ticket = gate.enter(30s);
      ASSERT_TRUE(ticket);
      int now = ++running;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(2ms);
      --running;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_LE(peak.load(), 2);
  EXPECT_GE(peak.load(), 1);
}

}  // namespace
}  // namespace clearcut::clearance
