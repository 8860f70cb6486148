// runtime/timer_test.cpp — timers, sleep, and their ordering.
#include <gtest/gtest.h>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "cprime/channel.hpp"
#include "cprime/detail/timer.hpp"
#include "cprime/runtime.hpp"
#include "cprime/scope.hpp"
#include "cprime/select.hpp"
#include "cprime/sync.hpp"
#include "runtime_impl.hpp"
#include "timer_wheel.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::detail::clock;
using cprime::test::for_each_worker_count;
using cprime::detail::arm_timer;
using cprime::detail::cancel_timer;

#if defined(CPRIME_ASAN_FIBERS) || defined(CPRIME_TSAN_FIBERS)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif

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
    constexpr int n = 12;
    wg.add(n);
    // Deadlines from one instant, the first 100 ms out: how late each
    // sleeper starts (slow spawns under a sanitizer, a loaded machine) must
    // not change the order they are due in. A worker that wakes late finds
    // several deadlines due, on several wheels: it readies them in deadline
    // order (wake_batch). What the runtime cannot order is a worker thread
    // descheduled by the OS between readying a sleeper and running it while
    // another worker runs a later one: the spacing (60 ms) is that bound.
    const auto start = std::chrono::steady_clock::now();
    for (int i = n - 1; i >= 0; --i)
      cprime::spawn([&, i] {
        cprime::sleep_for(start + std::chrono::milliseconds(100 + 60 * i) -
                          std::chrono::steady_clock::now());
        {
          std::lock_guard g(mu);
          order.push_back(i);
        }
        wg.done();
      });
    wg.wait();
    ASSERT_EQ(order.size(), size_t(n));
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << ::testing::PrintToString(order);
  });
}

TEST(timer, arm_and_cancel) {
  static std::atomic<int> fired{0};
  fired = 0;
  auto fn = [](void* arg) { fired.fetch_add(*static_cast<int*>(arg)); };
  int one = 1, hundred = 100;
  cprime::detail::timer a, b, never_armed;
  cprime::detail::arm_timer(a, clock::now() + 5ms, fn, &one);
  cprime::detail::arm_timer(b, clock::now() + 5ms, fn, &hundred);
  EXPECT_TRUE(cprime::detail::cancel_timer(b));
  EXPECT_FALSE(cprime::detail::cancel_timer(b));
  EXPECT_TRUE(cprime::test::eventually([] { return fired.load() >= 1; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(fired.load(), 1);
  EXPECT_FALSE(cprime::detail::cancel_timer(a));  // already fired
  EXPECT_FALSE(cprime::detail::cancel_timer(never_armed));
}

TEST(timer, callback_may_rearm) {
  struct state {
    std::atomic<int> count{0};
    cprime::detail::timer t;
  };
  static state s;
  s.count = 0;
  static void (*fn)(void*) = [](void*) {
    if (s.count.fetch_add(1) + 1 < 5) cprime::detail::arm_timer(s.t, clock::now() + 1ms, fn, nullptr);
  };
  cprime::detail::arm_timer(s.t, clock::now() + 1ms, fn, nullptr);
  EXPECT_TRUE(cprime::test::eventually([] { return s.count.load() == 5; }));
  EXPECT_FALSE(cprime::detail::cancel_timer(s.t));
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

// A timer records when it fired and in which sequence; deadlines spread over
// every level of a wheel (0.1 ms .. 1.2 s) must fire at or after their
// deadline, in deadline order up to the wheel's tick (16.4 us), exactly once.
struct probe {
  cprime::detail::timer t;
  clock::time_point deadline;
  clock::time_point at;
  clock::time_point armed;  // arm_timer() had returned by then
  std::atomic<int> fired{0};
  int seq = -1;
};

// wait_until(pred) polls pred with a coroutine sleep (a worker blocked in
// the OS would not drive its own wheel); a liveness bound, not a speed check.
template <class Pred>
bool wait_until(Pred&& pred) {
  const auto give_up = clock::now() + 60s;
  while (!pred()) {
    if (clock::now() > give_up) return false;
    cprime::sleep_for(1ms);
  }
  return true;
}

void check_order(std::vector<std::unique_ptr<probe>>& ps) {
  std::vector<probe*> by_seq(ps.size(), nullptr);
  for (auto& p : ps) {
    ASSERT_EQ(p->fired.load(), 1);
    EXPECT_GE(p->at, p->deadline);  // never early
    ASSERT_GE(p->seq, 0);
    by_seq[static_cast<std::size_t>(p->seq)] = p.get();
  }
  // Order is owed between timers that were both armed when the first one
  // fired: a timer armed after an earlier-firing one fired (the plain thread
  // arming 2,000 probes while the monitor drives the process wheel, slow
  // under a sanitizer) may be due already and fires at once.
  constexpr auto tick = std::chrono::nanoseconds(1 << 14);
  int compared = 0;
  for (std::size_t i = 1; i < by_seq.size(); ++i) {
    if (by_seq[i]->armed > by_seq[i - 1]->at) continue;
    ++compared;
    EXPECT_LE(by_seq[i - 1]->deadline, by_seq[i]->deadline + tick) << "fired out of order at " << i;
  }
  EXPECT_GT(compared, static_cast<int>(by_seq.size()) / 2);  // the check checked
}

void arm_probes(std::vector<std::unique_ptr<probe>>& ps, std::atomic<int>& seq, int n, unsigned seed) {
  static std::atomic<int>* g_seq;
  g_seq = &seq;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> us(100, 1'200'000);
  const auto now = clock::now();
  for (int i = 0; i < n; ++i) {
    auto p = std::make_unique<probe>();
    p->deadline = now + std::chrono::microseconds(us(rng));
    arm_timer(p->t, p->deadline, [](void* a) {
      auto* q = static_cast<probe*>(a);
      q->at = clock::now();
      q->seq = g_seq->fetch_add(1);
      q->fired.fetch_add(1);
    }, p.get());
    p->armed = clock::now();
    ps.push_back(std::move(p));
  }
}

TEST(timer, fire_in_order_never_early_on_a_worker_wheel) {
  for_each_worker_count([](int) {
    std::vector<std::unique_ptr<probe>> ps;
    std::atomic<int> seq{0};
    arm_probes(ps, seq, 2000, 7);  // on this coroutine's worker wheel: one driver at a time
    ASSERT_TRUE(wait_until([&] { return seq.load() == 2000; }));
    check_order(ps);
  });
}

TEST(timer, fire_in_order_never_early_on_the_process_wheel) {
  std::vector<std::unique_ptr<probe>> ps;
  std::atomic<int> seq{0};
  arm_probes(ps, seq, 2000, 11);  // a plain thread: the monitor drives them
  ASSERT_TRUE(wait_until([&] { return seq.load() == 2000; }));
  check_order(ps);
}

// Cancels race expiry: each timer is cancelled about when it is due, from
// another coroutine (often on another worker) or a plain thread. Exactly one
// of "cancel returned true" and "the callback ran" holds for each, and after
// cancel returns the callback has finished (it is never running later).
TEST(timer, cancel_racing_expiry_loses_nothing_and_fires_nothing_twice) {
  for_each_worker_count([](int workers) {
    struct slot {
      cprime::detail::timer t;
      std::atomic<int> fired{0};
      std::atomic<bool> done{false};  // the callback returned
    };
    const int n = sanitized ? 2000 : 20000;
    auto slots = std::make_unique<slot[]>(static_cast<std::size_t>(n));
    std::atomic<int> cancelled{0}, late{0};
    auto fn = [](void* a) {
      auto* s = static_cast<slot*>(a);
      s->fired.fetch_add(1);
      for (int i = 0; i < 50; ++i) std::atomic_signal_fence(std::memory_order_seq_cst);  // widen the window
      s->done.store(true);
    };
    cprime::wait_group wg;
    const int batches = 20;
    wg.add(batches + 1);
    std::mt19937 rng(static_cast<unsigned>(workers));
    for (int b = 0; b < batches; ++b) {
      const int lo = b * n / batches, hi = (b + 1) * n / batches;
      // Armed here (this coroutine's worker), cancelled by another coroutine.
      const auto base = clock::now() + std::chrono::microseconds(200);
      for (int i = lo; i < hi; ++i)
        arm_timer(slots[i].t, base + std::chrono::microseconds(rng() % 400), fn, &slots[i]);
      cprime::spawn([&, lo, hi, base] {
        while (clock::now() < base) cprime::await(cprime::yield_now());
        for (int i = lo; i < hi; ++i) {
          if (cancel_timer(slots[i].t)) {
            cancelled.fetch_add(1);
          } else if (!slots[i].done.load()) {
            late.fetch_add(1);  // cancel returned while the callback still ran
          }
          if (i % 64 == 0) cprime::await(cprime::yield_now());
        }
        wg.done();
      });
    }
    wg.done();
    wg.wait();
    std::this_thread::sleep_for(5ms);  // any (wrongly) surviving timer would fire by now
    int fired = 0;
    for (int i = 0; i < n; ++i) {
      EXPECT_LE(slots[i].fired.load(), 1) << i;
      fired += slots[i].fired.load();
    }
    EXPECT_EQ(fired + cancelled.load(), n);
    EXPECT_EQ(late.load(), 0);
  });
}

// A timer armed on one worker's wheel and cancelled from another worker and
// from a plain thread: the cancel takes the owning wheel's lock.
TEST(timer, armed_on_one_worker_cancelled_from_another) {
  for_each_worker_count([](int workers) {
    static std::atomic<int> fired;
    fired = 0;
    auto fn = [](void*) { fired.fetch_add(1); };
    int elsewhere = 0;
    for (int round = 0; round < 20; ++round) {
      cprime::detail::timer t;
      cprime::detail::worker* home = cprime::detail::this_worker();
      arm_timer(t, clock::now() + 1h, fn, nullptr);
      std::atomic<bool> done{false}, removed{false};
      std::atomic<cprime::detail::worker*> where{nullptr};
      cprime::spawn([&] {
        where = cprime::detail::this_worker();
        removed = cancel_timer(t);
        done = true;
      });
      // Keep this worker busy without switching, so that at two workers or
      // more another worker takes the canceller (steal or retake()).
      while (!done.load())
        if (workers == 1) cprime::await(cprime::yield_now());
      EXPECT_TRUE(removed.load());
      if (where.load() != home) ++elsewhere;
      // And from a plain thread.
      arm_timer(t, clock::now() + 1h, fn, nullptr);
      bool by_thread = false;
      std::thread([&] { by_thread = cancel_timer(t); }).join();
      EXPECT_TRUE(by_thread);
    }
    if (workers > 1) EXPECT_GT(elsewhere, 0);
    EXPECT_EQ(fired.load(), 0);
  });
}

// A worker that runs one coroutine for long without switching does not look
// at its wheel; an idle worker fires its due timers (help_timers, woken by
// the monitor's retake() if asleep). Needs a second worker.
TEST(timer, busy_owner_timers_fire_on_another_worker) {
  for (int workers : {2, 4}) {
    cprime::runtime rt = cprime::runtime::builder().worker_threads(static_cast<std::size_t>(workers)).build();
    rt.run([] {
      static std::atomic<int> fired;
      fired = 0;
      cprime::detail::timer t;
      arm_timer(t, clock::now() + 5ms, [](void*) { fired.fetch_add(1); }, nullptr);
      const auto give_up = clock::now() + 30s;  // liveness bound, not a speed check
      while (fired.load() == 0 && clock::now() < give_up) {
      }
      EXPECT_EQ(fired.load(), 1);
      cancel_timer(t);
    });
  }
}

// ---- timeout blocks -------------------------------------------------------

void busy_for(std::chrono::milliseconds d) {
  const auto end = clock::now() + d;
  while (clock::now() < end) {
  }
}

// `else` (timeout() == true) only when the deadline interrupted the block.
TEST(timer, timeout_else_only_when_the_deadline_interrupted) {
  for_each_worker_count([](int) {
    int r = 0;
    // The body never suspends: it completes, so no else, at any worker count.
    if (cprime::timeout(10ms, [&](cprime::scope&) {
          busy_for(20ms);
          r = 42;
        }))
      r = -1;
    EXPECT_EQ(r, 42);
    // Past the deadline, its next suspension point throws: else.
    bool reached = false;
    EXPECT_TRUE(cprime::timeout(10ms, [&](cprime::scope&) {
      busy_for(20ms);
      cprime::sleep_for(10s);
      reached = true;
    }));
    EXPECT_FALSE(reached);
    // Polling cancel_requested() observes it too (so does the yield, which
    // is a suspension point and throws).
    r = 0;
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) {
      for (;;) {
        if (cprime::detail::cancel_requested()) {
          r = 1;
          return;
        }
        try {
          cprime::await(cprime::yield_now());
        } catch (const cprime::cancelled&) {
          r = 2;
          return;
        }
      }
    }));
    EXPECT_NE(r, 0);
    // So does polling the block's scope.
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope& s) {
      while (!s.is_cancelled()) cprime::detail::yield_current();
    }));
    // A child cut short interrupts the block even if the body completed.
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope& s) { s.spawn([] { cprime::sleep_for(10s); }); }));
    // A block done before its deadline: no else.
    EXPECT_FALSE(cprime::timeout(10s, [&](cprime::scope&) { cprime::await(cprime::yield_now()); }));
  });
}

TEST(timer, nested_timeouts_earliest_wins) {
  for_each_worker_count([](int) {
    bool inner = false;
    bool outer = cprime::timeout(10s, [&](cprime::scope&) {
      inner = cprime::timeout(5ms, [&](cprime::scope&) { cprime::sleep_for(10s); });
    });
    EXPECT_TRUE(inner);
    EXPECT_FALSE(outer);
    bool inner_returned = false;
    outer = cprime::timeout(5ms, [&](cprime::scope&) {
      (void)cprime::timeout(10s, [&](cprime::scope&) { cprime::sleep_for(10s); });
      inner_returned = true;  // not reached: the inner block throws cancelled
    });
    EXPECT_TRUE(outer);
    EXPECT_FALSE(inner_returned);
  });
}

// The body parks on one worker and is resumed on another (its waker runs
// there), then either finishes in time (the deadline is cancelled from the
// other worker's side) or is cancelled by the deadline armed on the first.
TEST(timer, timeout_body_migrating_between_workers) {
  for (int workers : {2, 4}) {
    cprime::runtime rt = cprime::runtime::builder().worker_threads(static_cast<std::size_t>(workers)).build();
    rt.run([] {
      int migrated = 0;
      for (int round = 0; round < 10; ++round) {
        const bool cut = round % 2 == 1;
        cprime::channel<int> ch;
        std::atomic<cprime::detail::worker*> waker_on{nullptr};
        std::atomic<bool> stop{false};
        cprime::detail::worker* before = nullptr;
        cprime::detail::worker* after = nullptr;
        auto waker = cprime::spawn([&] {
          waker_on = cprime::detail::this_worker();
          // Stay on this worker (no switch) until the body is parked on ch:
          // only then does an unbuffered try_send succeed.
          while (!stop.load() && !ch.try_send(1).is_ok()) {
          }
        });
        bool hit = cprime::timeout(cut ? 50ms : 30s, [&](cprime::scope&) {
          before = cprime::detail::this_worker();
          while (!waker_on.load()) {  // busy: the waker is taken by another worker
          }
          (void)cprime::await(ch.recv());
          after = cprime::detail::this_worker();
          if (cut) (void)cprime::await(ch.recv());  // nobody sends: the deadline ends it
        });
        stop = true;
        waker.join();
        EXPECT_EQ(hit, cut);
        if (after != before) ++migrated;
      }
      EXPECT_GT(migrated, 0);
    });
  }
}

// ---- memory: dropped timers release everything at once ---------------------

std::size_t heap_in_use() { return mallinfo2().uordblks; }

TEST(timer, dropped_after_and_ticker_release_their_memory) {
  for_each_worker_count([](int) {
    const std::size_t base = heap_in_use();
    for (int i = 0; i < 300'000; ++i) (void)cprime::after(1h);
    const std::size_t after_growth = heap_in_use() - std::min(heap_in_use(), base);
    for (int i = 0; i < 300'000; ++i) (void)cprime::ticker(1h);
    const std::size_t ticker_growth = heap_in_use() - std::min(heap_in_use(), base);
    // One live after() channel and timer are about 300 bytes: 300,000 kept
    // would be ~90 MB. Allow noise of a few MB.
    EXPECT_LT(after_growth, 4u << 20);
    EXPECT_LT(ticker_growth, 4u << 20);
    // A ticker still held keeps ticking; dropping it stops it.
    {
      auto t = cprime::ticker(1ms);
      EXPECT_TRUE(cprime::await(t.recv()).has_value());
      EXPECT_TRUE(cprime::await(t.recv()).has_value());
    }
  });
}

TEST(timer, select_with_after_arms_keeps_no_memory) {
  for_each_worker_count([](int) {
    cprime::channel<int> ch(1);
    const std::size_t base = heap_in_use();
    for (int i = 0; i < 300'000; ++i) {
      cprime::await(ch.send(i));
      // The lowered form of `_ = cprime::after(1h) =>` and the hand-written
      // one over after()'s channel: neither leaves anything behind.
      cprime::typed_case a(ch.recv());
      cprime::select_case b(cprime::select_after(1h));
      cprime::select_case c(cprime::after(1h));
      EXPECT_EQ(cprime::select(cprime::no_default, a, b, c), 0);
      EXPECT_EQ(a.take(), i);
    }
    EXPECT_LT(heap_in_use() - std::min(heap_in_use(), base), 4u << 20);
  });
}

TEST(timer, select_after_arm_fires_and_cancels) {
  for_each_worker_count([](int) {
    cprime::channel<int> ch;
    auto t0 = clock::now();
    {
      cprime::typed_case a(ch.recv());
      cprime::select_case b(cprime::select_after(20ms));
      cprime::select_case c(cprime::select_after(1h));
      EXPECT_EQ(cprime::select(cprime::no_default, a, b, c), 1);  // the earliest
      EXPECT_GE(clock::now() - t0, 20ms);
    }
    {
      cprime::select_case b(cprime::select_after(0ms));
      EXPECT_EQ(cprime::select(cprime::no_default, b), 0);
      cprime::select_case d(cprime::select_after(1h));
      EXPECT_EQ(cprime::select(cprime::with_default, d), -1);
    }
    // A channel arm that wins cancels the timer: nothing fires later.
    cprime::wait_group wg;
    wg.add(1);
    cprime::spawn([&] {
      cprime::sleep_for(2ms);
      cprime::await(ch.send(7));
      wg.done();
    });
    cprime::typed_case a(ch.recv());
    cprime::select_case b(cprime::select_after(1h));
    EXPECT_EQ(cprime::select(cprime::no_default, a, b), 0);
    EXPECT_EQ(a.take(), 7);
    wg.wait();
  });
}

// ---- many sleepers ---------------------------------------------------------

// 1,000,000 coroutines each sleep a pseudo-random 0-1 s: every one wakes, none
// early. (Under sanitizers, 20,000: shadow memory per stack.) Lateness is
// measured by scripts-free throwaway runs and documented in docs/runtime.md;
// it is printed here, never asserted.
TEST(timer, a_million_sleepers_all_wake_never_early) {
  for (int workers : {1, 2}) {
    SCOPED_TRACE("workers=" + std::to_string(workers));
    cprime::runtime rt = cprime::runtime::builder().worker_threads(static_cast<std::size_t>(workers)).build();
    rt.run([] {
      const int n = sanitized ? 20'000 : 1'000'000;
      std::vector<int32_t> late_us(static_cast<std::size_t>(n), -1);
      cprime::wait_group wg;
      wg.add(n);
      uint64_t x = 88172645463325252ull;
      for (int i = 0; i < n; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const auto d = std::chrono::microseconds(x % 1'000'000);
        cprime::spawn([&, i, d] {
          const auto deadline = clock::now() + d;
          cprime::sleep_until(deadline);
          late_us[static_cast<std::size_t>(i)] =
              static_cast<int32_t>(std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - deadline).count());
          wg.done();
        });
      }
      wg.wait();
      EXPECT_EQ(std::count_if(late_us.begin(), late_us.end(), [](int32_t l) { return l < 0; }), 0);
      std::sort(late_us.begin(), late_us.end());
      std::printf("sleepers: n=%d lateness p50 %d us, p99 %d us, max %d us\n", n, late_us[late_us.size() / 2],
                  late_us[late_us.size() * 99 / 100], late_us.back());
    });
  }
}

// deadline_now() is the start of every deadline: it must never be before
// the clock (a deadline would fire early) and only a little after it. Four
// threads, each with its own anchor, read it between two clock reads for
// 60 ms, across several re-anchorings (every ~1 ms) and, where the kernel's
// clocksource is the TSC, the switch from the clock to the TSC (5 ms after
// the first read).
TEST(timer, deadline_now_is_never_before_the_clock_and_close_after_it) {
  std::atomic<long> early{0}, far{0}, reads{0};
  std::atomic<long> worst_ahead_ns{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      const auto stop = clock::now() + 60ms;
      long n = 0, e = 0, f = 0, worst = 0;
      for (;;) {
        const auto before = clock::now();
        if (before >= stop) break;
        const auto d = cprime::detail::deadline_now();
        const auto after = clock::now();
        ++n;
        if (d < before) ++e;
        const long ahead = static_cast<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(d - after).count());
        // Ahead of the second read by more than 2 ms: more than the design's
        // 1 µs, with room for a preemption between the reads under sanitizers.
        if (ahead > 2'000'000) ++f;
        worst = std::max(worst, ahead);
      }
      reads += n;
      early += e;
      far += f;
      long w = worst_ahead_ns.load();
      while (worst > w && !worst_ahead_ns.compare_exchange_weak(w, worst)) {
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(early.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_EQ(far.load(), 0) << "of " << reads.load() << " reads; worst " << worst_ahead_ns.load() << " ns ahead";
  EXPECT_GT(reads.load(), 1000);
  std::printf("deadline_now: %ld reads, %s, at most %ld ns ahead of the next clock read\n", reads.load(),
              cprime::detail::deadline_clock_uses_tsc() ? "TSC" : "clock::now()", worst_ahead_ns.load());
}

}  // namespace
