// runtime/metrics_test.cpp — cprime::metrics() and runtime::metrics(): the
// gauges follow what coroutines do, the counters only grow; at 1, 2, 4 workers.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "cprime/channel.hpp"
#include "cprime/metrics.hpp"
#include "cprime/runtime.hpp"
#include "cprime/sync.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::test::eventually;
using cprime::test::for_each_runtime;

TEST(metrics, gauges_follow_parked_coroutines_by_wait_kind) {
  for_each_runtime([](cprime::runtime& rt, int n) {
    const cprime::runtime_metrics before = rt.metrics();
    EXPECT_EQ(before.workers, static_cast<std::size_t>(n));
    cprime::channel<int> ch;
    cprime::mutex mu;
    mu.lock();
    std::vector<cprime::task<void>> ts;
    for (int i = 0; i < 5; ++i)
      ts.push_back(rt.spawn([ch] { (void)cprime::await(ch.recv()); }));
    for (int i = 0; i < 3; ++i)
      ts.push_back(rt.spawn([&mu] {
        mu.lock();
        mu.unlock();
      }));
    // The sleeper naps in short steps until told to stop, so it is parked
    // on "sleep" nearly all the time however slowly the rest gets parked
    // (a single long sleep could end first on a slow, sanitized machine).
    auto stop = std::make_shared<std::atomic<bool>>(false);
    ts.push_back(rt.spawn([stop] {
      while (!stop->load()) cprime::sleep_for(20ms);
    }));
    // Every check reads the one snapshot in which all nine were parked.
    cprime::runtime_metrics m;
    ASSERT_TRUE(eventually([&] {
      m = rt.metrics();
      return m.parked_on("chan recv") == 5 && m.parked_on("mutex") == 3 && m.parked_on("sleep") == 1;
    }));
    EXPECT_EQ(m.parked, 9u);
    EXPECT_EQ(m.coroutines_alive, 9u);
    EXPECT_EQ(m.parked_by_wait.front().first, "chan recv");  // most first
    EXPECT_GE(m.timers_armed, 1u);
    EXPECT_GE(m.spawned_total, before.spawned_total + 9);
    EXPECT_GE(m.parks_total, before.parks_total + 9);
    // The process-wide sum includes this runtime.
    EXPECT_GE(cprime::metrics().parked_on("chan recv"), 5u);
    for (int i = 0; i < 5; ++i) (void)cprime::await(ch.send(i));
    mu.unlock();
    for (int i = 0; i < 8; ++i) ts[static_cast<std::size_t>(i)].join();
    // A joined coroutine may still be on its way off its worker for a moment.
    ASSERT_TRUE(eventually([&] {
      m = rt.metrics();
      return m.parked_on("chan recv") == 0 && m.coroutines_alive <= 1;  // at most the sleeper
    }));
    EXPECT_EQ(m.parked_on("mutex"), 0u);
    EXPECT_GE(m.switches_total, before.switches_total + 9);
    stop->store(true);
    ts.back().join();
    ASSERT_TRUE(eventually([&] { return rt.metrics().coroutines_alive == 0; }));
  });
}

TEST(metrics, steals_are_counted_with_several_workers) {
  for_each_runtime([](cprime::runtime& rt, int n) {
    if (n == 1) return;  // nobody to steal from
    // Bursts of spawns from one coroutine queue on its worker; idle workers
    // steal them. Repeated until a steal shows (a liveness bound, not a rate).
    EXPECT_TRUE(eventually([&] {
      rt.run([] {
        std::vector<cprime::task<void>> ts;
        for (int i = 0; i < 64; ++i)
          ts.push_back(cprime::spawn([] {
            auto end = std::chrono::steady_clock::now() + 20us;
            while (std::chrono::steady_clock::now() < end) {
            }
          }));
        for (auto& t : ts) t.join();
      });
      return rt.metrics().steals_total > 0;
    }));
  });
}

TEST(metrics, blocked_threads_counts_plain_threads_parked_in_the_runtime) {
  cprime::channel<int> ch;
  std::thread t([ch] { (void)cprime::await(ch.recv()); });
  ASSERT_TRUE(eventually([] { return cprime::metrics().blocked_threads >= 1; }));
  cprime::spawn([ch] { (void)cprime::await(ch.send(1)); }).join();
  t.join();
}

}  // namespace
