// runtime/sync_test.cpp — mutex and wait_group.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cprime/detail/cancel_node.hpp"
#include "cprime/errors.hpp"
#include "cprime/runtime.hpp"
#include "test_util.hpp"
#include "cprime/sync.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::test::for_each_worker_count;

TEST(mutex, mutual_exclusion_stress) {
  for_each_worker_count([](int) {
    cprime::mutex mu;
    long counter = 0;  // guarded by mu
    int inside = 0;    // guarded by mu
    std::atomic<bool> overlap{false};
    cprime::wait_group wg;
    constexpr int tasks = 64, iters = 2000;
    wg.add(tasks);
    for (int t = 0; t < tasks; ++t) {
      cprime::spawn([&, t] {
        for (int i = 0; i < iters; ++i) {
          std::lock_guard g(mu);
          if (++inside != 1) overlap = true;
          ++counter;
          if ((i + t) % 97 == 0) cprime::await(cprime::yield_now());  // park while holding it
          --inside;
        }
        wg.done();
      });
    }
    wg.wait();
    EXPECT_EQ(counter, long(tasks) * iters);
    EXPECT_FALSE(overlap.load());
  });
}

TEST(mutex, plain_threads_and_coroutines_share_it) {
  cprime::runtime rt = cprime::runtime::builder().worker_threads(2).build();
  cprime::mutex mu;
  long counter = 0;
  std::vector<cprime::task<void>> ts;
  for (int i = 0; i < 8; ++i)
    ts.push_back(rt.spawn([&] {
      for (int k = 0; k < 5000; ++k) {
        std::lock_guard g(mu);
        ++counter;
      }
    }));
  std::vector<std::thread> th;
  for (int i = 0; i < 2; ++i)
    th.emplace_back([&] {
      for (int k = 0; k < 5000; ++k) {
        std::lock_guard g(mu);
        ++counter;
      }
    });
  for (auto& t : th) t.join();
  for (auto& t : ts) t.join();
  EXPECT_EQ(counter, 10 * 5000);
}

TEST(mutex, contended_lock_is_a_cancellation_point) {
  for_each_worker_count([](int) {
    cprime::mutex mu;
    mu.lock();
    auto* n = cprime::detail::cancel_node::make(nullptr);
    cprime::detail::spawn_options o{cprime::here()};
    o.inherit_node = false;
    o.node = n;
    auto waiter_task = cprime::detail::spawn_with(o, [&mu] {
      try {
        std::lock_guard g(mu);
        return false;
      } catch (const cprime::cancelled&) {
        return true;
      }
    });
    auto queued = cprime::spawn([&mu] { std::lock_guard g(mu); return 1; });
    cprime::sleep_for(5ms);
    n->cancel();
    EXPECT_TRUE(waiter_task.join());
    mu.unlock();                  // hands off to `queued`, skipping the cancelled one
    EXPECT_EQ(queued.join(), 1);
    EXPECT_TRUE(mu.try_lock());   // state is consistent afterwards
    mu.unlock();
    n->release();
  });
}

TEST(mutex, try_lock) {
  cprime::mutex mu;
  EXPECT_TRUE(mu.try_lock());
  EXPECT_FALSE(mu.try_lock());
  mu.unlock();
  EXPECT_TRUE(mu.try_lock());
  mu.unlock();
}

TEST(mutex_death, unlock_of_unlocked_mutex_terminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        cprime::mutex mu;
        mu.unlock();
      },
      "mutex::unlock: the mutex is not locked");
}

TEST(wait_group, negative_counter_throws) {
  cprime::wait_group wg;
  EXPECT_THROW(wg.done(), std::logic_error);
  EXPECT_EQ(wg.count(), 0);
  wg.add(1);
  wg.done();
  EXPECT_EQ(wg.count(), 0);
}

TEST(wait_group, wait_on_zero_returns_at_once) {
  cprime::test::watchdog dog;  // a wait that parked here would never wake
  cprime::wait_group wg;
  wg.wait();  // from a plain thread
  EXPECT_EQ(wg.count(), 0);
  cprime::runtime rt = cprime::runtime::builder().worker_threads(1).build();
  EXPECT_EQ(rt.run([&] {
    wg.wait();  // from a coroutine
    wg.add(1);
    wg.done();
    wg.wait();  // back to zero
    return wg.count();
  }), 0);
}

// TSan gives every coroutine its own shadow stack mapping (__tsan_create_fiber),
// so 100k parked coroutines would exceed vm.max_map_count (65530) under TSan
// alone; it still parks enough to exercise the same paths.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CPRIME_TEST_UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) && !defined(CPRIME_TEST_UNDER_TSAN)
#define CPRIME_TEST_UNDER_TSAN 1
#endif
#ifdef CPRIME_TEST_UNDER_TSAN
constexpr int many_parked = 20000;
#else
constexpr int many_parked = 100000;
#endif

TEST(wait_group, hundred_thousand_parked_released) {
  for_each_worker_count([](int) {
    constexpr int n = many_parked;
    cprime::wait_group gate, started, finished;
    gate.add(1);
    started.add(n);
    finished.add(n);
    std::atomic<int> woke{0};
    for (int i = 0; i < n; ++i)
      cprime::spawn([&] {
        started.done();
        gate.wait();
        woke.fetch_add(1, std::memory_order_relaxed);
        finished.done();
      });
    started.wait();
    EXPECT_EQ(woke.load(), 0);
    gate.done();
    finished.wait();
    EXPECT_EQ(woke.load(), n);
  });
}

TEST(wait_group, stress_reuse_with_many_waiters) {
  for_each_worker_count([](int) {
    for (int round = 0; round < 50; ++round) {
      cprime::wait_group wg, waiters;
      constexpr int workers = 20, watchers = 5;
      wg.add(workers);
      waiters.add(watchers);
      std::atomic<int> done_count{0};
      for (int w = 0; w < watchers; ++w)
        cprime::spawn([&] {
          wg.wait();
          EXPECT_EQ(done_count.load(), workers);
          waiters.done();
        });
      for (int w = 0; w < workers; ++w)
        cprime::spawn([&, w] {
          if (w % 3 == 0) cprime::await(cprime::yield_now());
          done_count.fetch_add(1);
          wg.done();
        });
      waiters.wait();
    }
  });
}

TEST(wait_group, plain_thread_waits_for_coroutines) {
  cprime::wait_group wg;
  std::atomic<int> n{0};
  wg.add(50);
  for (int i = 0; i < 50; ++i)
    cprime::spawn([&] {
      cprime::sleep_for(1ms);
      n.fetch_add(1);
      wg.done();
    });
  wg.wait();
  EXPECT_EQ(n.load(), 50);
}

}  // namespace
