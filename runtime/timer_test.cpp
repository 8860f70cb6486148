// runtime/timer_test.cpp — timers, sleep, and their ordering.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "cprime/detail/timer.hpp"
#include "cprime/runtime.hpp"
#include "cprime/sync.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::detail::clock;
using cprime::test::for_each_worker_count;

TEST(timer, sleep_lasts_at_least_its_duration) {
  for_each_worker_count([](int) {
    auto t0 = clock::now();
    cprime::sleep_for(20ms);
    auto el = clock::now() - t0;
    EXPECT_GE(el, 20ms);
    EXPECT_LT(el, 10s);  // generous: liveness, not speed
    t0 = clock::now();
    cprime::await(cprime::sleep(5ms));
    EXPECT_GE(clock::now() - t0, 5ms);
  });
}

TEST(timer, sleep_on_plain_thread) {
  auto t0 = clock::now();
  cprime::sleep_for(10ms);
  EXPECT_GE(clock::now() - t0, 10ms);
}

TEST(timer, sleepers_wake_in_deadline_order) {
  for_each_worker_count([](int) {
    std::mutex mu;
    std::vector<int> order;
    cprime::wait_group wg;
    constexpr int n = 20;
    wg.add(n);
    // Deadlines from one instant, the first 100 ms out: how late each
    // sleeper starts (slow spawns under a sanitizer, a loaded machine) must
    // not change the order they are due in.
    const auto start = std::chrono::steady_clock::now();
    for (int i = n - 1; i >= 0; --i)
      cprime::spawn([&, i] {
        cprime::sleep_for(start + std::chrono::milliseconds(100 + 15 * i) -
                          std::chrono::steady_clock::now());
        {
          std::lock_guard g(mu);
          order.push_back(i);
        }
        wg.done();
      });
    wg.wait();
    ASSERT_EQ(order.size(), size_t(n));
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  });
}

TEST(timer, add_and_cancel) {
  static std::atomic<int> fired{0};
  fired = 0;
  auto fn = [](void* arg) { fired.fetch_add(*static_cast<int*>(arg)); };
  int one = 1, hundred = 100;
  auto a = cprime::detail::add_timer(clock::now() + 5ms, fn, &one);
  auto b = cprime::detail::add_timer(clock::now() + 5ms, fn, &hundred);
  EXPECT_TRUE(a);
  EXPECT_TRUE(cprime::detail::cancel_timer(b));
  EXPECT_FALSE(cprime::detail::cancel_timer(b));
  EXPECT_TRUE(cprime::test::eventually([] { return fired.load() >= 1; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(fired.load(), 1);
  EXPECT_FALSE(cprime::detail::cancel_timer(a));  // already fired
  EXPECT_FALSE(cprime::detail::cancel_timer(cprime::detail::timer_id{}));
}

TEST(timer, callback_may_rearm) {
  struct state {
    std::atomic<int> count{0};
  };
  static state s;
  s.count = 0;
  static void (*fn)(void*) = [](void*) {
    if (s.count.fetch_add(1) + 1 < 5) cprime::detail::add_timer(clock::now() + 1ms, fn, nullptr);
  };
  cprime::detail::add_timer(clock::now() + 1ms, fn, nullptr);
  EXPECT_TRUE(cprime::test::eventually([] { return s.count.load() == 5; }));
}

TEST(timer, many_sleepers) {
  for_each_worker_count([](int) {
    constexpr int n = int(cprime::test::sized(10000));
    cprime::wait_group wg;
    wg.add(n);
    for (int i = 0; i < n; ++i)
      cprime::spawn([&, i] {
        cprime::sleep_for(std::chrono::microseconds(i % 1000));
        wg.done();
      });
    wg.wait();
    EXPECT_EQ(wg.count(), 0);
  });
}

}  // namespace
