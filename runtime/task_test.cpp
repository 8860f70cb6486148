// runtime/task_test.cpp — spawn, task<R>, join, exceptions, spawn_blocking.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cprime/errors.hpp"
#include "cprime/runtime.hpp"
#include "cprime/sync.hpp"
#include "cprime/task.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::test::for_each_worker_count;

TEST(task, join_returns_value_at_every_worker_count) {
  for_each_worker_count([](int) {
    std::vector<cprime::task<int>> ts;
    for (int i = 0; i < 1000; ++i) ts.push_back(cprime::spawn([i] { return i * 2; }));
    long sum = 0;
    for (auto& t : ts) sum += t.join();
    EXPECT_EQ(sum, 999L * 1000);
  });
}

TEST(task, void_task_join_returns_void) {
  for_each_worker_count([](int) {
    std::atomic<int> ran{0};
    cprime::task<void> t = cprime::spawn([&ran] { ran = 1; });
    static_assert(std::is_void_v<decltype(t.join())>);
    t.join();
    EXPECT_EQ(ran.load(), 1);
  });
}

TEST(task, exception_is_rethrown_by_join) {
  for_each_worker_count([](int) {
    auto t = cprime::spawn([]() -> int { throw std::runtime_error("boom"); });
    try {
      t.join();
      FAIL() << "join did not throw";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "boom");
    }
    EXPECT_FALSE(t.joinable());
  });
}

TEST(task, join_twice_throws_logic_error) {
  for_each_worker_count([](int) {
    auto t = cprime::spawn([] { return 1; });
    EXPECT_EQ(t.join(), 1);
    EXPECT_THROW(t.join(), std::logic_error);
    cprime::task<int> empty;
    EXPECT_THROW(empty.join(), std::logic_error);
  });
}

TEST(task, join_from_main_thread) {
  auto t = cprime::spawn(cprime::here(), [] {
    cprime::sleep_for(2ms);
    return std::string("from a coroutine");
  });
  EXPECT_EQ(t.join(), "from a coroutine");
}

TEST(task, await_from_a_std_thread) {
  int got = 0;
  std::thread th([&] {
    auto t = cprime::spawn([] { return 5; });
    got = cprime::await(t);
  });
  th.join();
  EXPECT_EQ(got, 5);
}

TEST(task, co_await_lowering_consumes_lvalue_handle) {
  for_each_worker_count([](int) {
    auto t = cprime::spawn([] { return 9; });
    EXPECT_EQ(cprime::await(t), 9);
    EXPECT_FALSE(t.joinable());
    EXPECT_EQ(cprime::await(cprime::spawn([] { return 10; })), 10);
  });
}

TEST(task, arguments_are_decay_copied_and_ref_passes_reference) {
  for_each_worker_count([](int) {
    std::string s = "abc";
    int counter = 0;
    auto t = cprime::spawn(
        [](std::string copy, int& ref) {
          copy += "d";
          ref = 7;
          return copy;
        },
        s, std::ref(counter));
    s = "changed";
    EXPECT_EQ(t.join(), "abcd");
    EXPECT_EQ(counter, 7);
  });
}

TEST(task, move_only_arguments_and_results) {
  for_each_worker_count([](int) {
    auto p = std::make_unique<int>(41);
    auto t = cprime::spawn([](std::unique_ptr<int> q) { ++*q; return q; }, std::move(p));
    EXPECT_EQ(*t.join(), 42);
  });
}

TEST(task, reference_result) {
  static int global = 3;
  auto t = cprime::spawn([]() -> int& { return global; });
  int& r = t.join();
  EXPECT_EQ(&r, &global);
}

TEST(task, dropped_handle_detaches_and_task_still_runs) {
  for_each_worker_count([](int) {
    cprime::wait_group wg;
    std::atomic<int> ran{0};
    wg.add(100);
    for (int i = 0; i < 100; ++i) cprime::spawn([&] { ran.fetch_add(1); wg.done(); });
    wg.wait();
    EXPECT_EQ(ran.load(), 100);
  });
}

TEST(task, large_closure_lives_off_stack) {
  for_each_worker_count([](int) {
    struct big {
      char bytes[64 * 1024];
    };
    auto b = std::make_shared<big>();
    b->bytes[100] = 7;
    auto t = cprime::spawn([copy = *b] { return int(copy.bytes[100]); });
    EXPECT_EQ(t.join(), 7);
  });
}

TEST(task, done_reports_completion) {
  auto t = cprime::spawn([] { return 1; });
  EXPECT_TRUE(cprime::test::eventually([&] { return t.done(); }));
  EXPECT_EQ(t.join(), 1);
}

TEST(task_death, detached_exception_reports_site_and_terminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        cprime::spawn(cprime::site{"user_file.cpp", 123},
                      [] { throw std::runtime_error("escaped"); });
        std::this_thread::sleep_for(5s);
      },
      "detached task spawned at user_file.cpp:123: escaped");
}

// spawn_detached: what the statement `spawn f(x);` lowers to (no task).
TEST(task, spawn_detached_runs_every_call_with_copied_arguments) {
  for_each_worker_count([](int) {
    cprime::wait_group wg;
    std::vector<std::atomic<int>> hits(1000);
    wg.add(1000);
    for (int i = 0; i < 1000; ++i)
      cprime::spawn_detached(
          cprime::site{__FILE__, __LINE__},
          [&](int k, std::string s) {
            if (s == "x") hits[k].fetch_add(1);
            wg.done();
          },
          i, std::string("x"));
    wg.wait();
    for (auto& h : hits) EXPECT_EQ(h.load(), 1);
  });
}

TEST(task, spawn_detached_large_closure_and_value_result) {
  for_each_worker_count([](int) {
    struct big {
      char bytes[64 * 1024];
    };
    auto b = std::make_shared<big>();
    b->bytes[100] = 7;
    std::atomic<int> got{0};
    cprime::wait_group wg;
    wg.add(1);
    cprime::spawn_detached([copy = *b, &got, &wg] {
      got = copy.bytes[100];
      wg.done();
      return std::string("dropped");
    });
    wg.wait();
    EXPECT_EQ(got.load(), 7);
  });
}

TEST(task, spawn_detached_cancelled_ends_quietly) {
  cprime::wait_group wg;
  wg.add(1);
  cprime::spawn_detached([&] {
    wg.done();
    throw cprime::cancelled();
  });
  wg.wait();
  // The process is still alive: a cancellation is not reported.
  auto t = cprime::spawn([] { return 1; });
  EXPECT_EQ(t.join(), 1);
}

TEST(task_death, spawn_detached_exception_reports_site_and_terminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        cprime::spawn_detached(cprime::site{"user_file.cpp", 77},
                               [] { throw std::runtime_error("escaped too"); });
        std::this_thread::sleep_for(5s);
      },
      "detached task spawned at user_file.cpp:77: escaped too");
}

TEST(task, spawn_blocking_runs_off_the_workers_and_joins) {
  for_each_worker_count([](int) {
    auto t = cprime::spawn_blocking(cprime::here(), [] {
      EXPECT_FALSE(cprime::detail::in_coroutine());
      std::this_thread::sleep_for(1ms);
      return 11;
    });
    EXPECT_EQ(t.join(), 11);
    auto e = cprime::spawn_blocking([]() -> int { throw std::runtime_error("blk"); });
    EXPECT_THROW(e.join(), std::runtime_error);
  });
}

TEST(task, spawn_blocking_concurrency_is_bounded) {
  cprime::runtime rt = cprime::runtime::builder().worker_threads(2).max_blocking_threads(3).build();
  EXPECT_EQ(rt.max_blocking_threads(), 3u);
  rt.run([] {
    std::atomic<int> now{0}, peak{0};
    std::vector<cprime::task<void>> ts;
    for (int i = 0; i < 12; ++i) {
      ts.push_back(cprime::spawn_blocking([&] {
        int v = now.fetch_add(1) + 1;
        int p = peak.load();
        while (v > p && !peak.compare_exchange_weak(p, v)) {
        }
        std::this_thread::sleep_for(5ms);
        now.fetch_sub(1);
      }));
    }
    for (auto& t : ts) t.join();
    EXPECT_LE(peak.load(), 3);
    EXPECT_GE(peak.load(), 1);
  });
}

// Two jobs submitted back to back while one pool thread is idle must not
// share that thread: a job waiting for the next one would stall.
TEST(task, spawn_blocking_back_to_back_jobs_get_their_own_threads) {
  cprime::runtime rt = cprime::runtime::builder().worker_threads(2).max_blocking_threads(4).build();
  rt.run([] {
    for (int rep = 0; rep < 5; ++rep) {
      cprime::spawn_blocking([] {}).join();  // leaves an idle pool thread
      std::atomic<bool> b_ran{false};
      auto a = cprime::spawn_blocking([&] {
        auto end = std::chrono::steady_clock::now() + 10s;
        while (!b_ran.load() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(100us);
        return b_ran.load();
      });
      auto b = cprime::spawn_blocking([&] { b_ran.store(true); });
      EXPECT_TRUE(a.join()) << "the second job waited behind the first";
      b.join();
    }
  });
}

}  // namespace
