// runtime/test_util.hpp — helpers for the runtime's GoogleTests.
//
// for_each_worker_count(body) builds a runtime with 1, 2 and 4 workers in
// turn and runs body(n) on a coroutine of each (rt.run), so every concurrent
// test exercises the single-worker, the pair and the stealing cases.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "cprime/detail/cancel_node.hpp"
#include "cprime/runtime.hpp"

namespace cprime::test {

inline constexpr int worker_counts[] = {1, 2, 4};

template <class Body>
void for_each_worker_count(Body&& body) {
  for (int n : worker_counts) {
    SCOPED_TRACE("workers=" + std::to_string(n));
    runtime rt = runtime::builder().worker_threads(static_cast<std::size_t>(n)).build();
    rt.run([&] { body(n); });
  }
}

// for_each_runtime(body) is for_each_worker_count for bodies that drive the
// runtime from the calling plain thread: body(rt, n).
template <class Body>
void for_each_runtime(Body&& body) {
  for (int n : worker_counts) {
    SCOPED_TRACE("workers=" + std::to_string(n));
    runtime rt = runtime::builder().worker_threads(static_cast<std::size_t>(n)).build();
    body(rt, n);
  }
}

// eventually(pred, limit) polls pred until it holds or `limit` passes (a
// generous bound for liveness checks, never a speed assertion).
template <class Pred>
bool eventually(Pred&& pred, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// CPRIME_SANITIZER: 1 under ASan or TSan. Sanitized builds run 2-15x slower
// and TSan maps shadow memory per coroutine, so loop counts and coroutine
// counts shrink there (sized()); what a test asserts never changes.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define CPRIME_SANITIZER 1
#endif
#endif
#if !defined(CPRIME_SANITIZER) && (defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__))
#define CPRIME_SANITIZER 1
#endif
#ifndef CPRIME_SANITIZER
#define CPRIME_SANITIZER 0
#endif

// sized(n, divisor): n, or n / divisor (at least 1) in a sanitized build.
constexpr long sized(long n, long divisor = 10) {
  return CPRIME_SANITIZER ? (n / divisor > 0 ? n / divisor : 1) : n;
}

// watchdog: a test that could hang fails instead — if the watchdog is still
// armed after `limit` (default one minute, under any sanitizer), it prints
// the test's name and aborts the test binary, which ctest reports as a
// failure. Disarmed by its destructor.
class watchdog {
 public:
  explicit watchdog(std::chrono::seconds limit = std::chrono::seconds(60)) {
    const ::testing::TestInfo* t = ::testing::UnitTest::GetInstance()->current_test_info();
    name_ = t ? std::string(t->test_suite_name()) + "." + t->name() : "<no test>";
    thread_ = std::thread([this, limit] {
      std::unique_lock lk(mu_);
      if (!cv_.wait_for(lk, limit, [this] { return done_; })) {
        std::fprintf(stderr, "watchdog: %s did not finish within %llds: failing it\n",
                     name_.c_str(), static_cast<long long>(limit.count()));
        std::fflush(stderr);
        std::abort();
      }
    });
  }
  ~watchdog() {
    {
      std::lock_guard lk(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;

 private:
  std::string name_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace cprime::test

namespace cprime_test {

// run_with_workers(n, body) builds a runtime with n workers and runs body()
// on one of its coroutines (for tests parameterized over worker counts).
template <class Body>
void run_with_workers(int n, Body&& body) {
  cprime::runtime rt = cprime::runtime::builder().worker_threads(static_cast<std::size_t>(n)).build();
  rt.run([&] { body(); });
}

// workers_fixture is the base of a test suite parameterized over worker
// counts: run(body) runs body on a runtime of GetParam() workers. Instantiate
// it with CPRIME_WORKER_COUNTS(Prefix, Fixture): tests named …/w1, /w2, /w4.
class workers_fixture : public ::testing::TestWithParam<int> {
 protected:
  template <class F>
  void run(F&& body) {
    run_with_workers(GetParam(), std::forward<F>(body));
  }
};

// spawn_in_node(node, f) spawns f on a coroutine that runs in `node` rather
// than in the spawner's node, so a test can cancel that coroutine alone.
template <class F>
auto spawn_in_node(cprime::detail::cancel_node* node, F&& f) {
  cprime::detail::spawn_options o;
  o.inherit_node = false;
  o.node = node;
  return cprime::detail::spawn_with(o, std::forward<F>(f));
}

inline std::string worker_count_name(const ::testing::TestParamInfo<int>& info) {
  return "w" + std::to_string(info.param);
}

}  // namespace cprime_test

#define CPRIME_WORKER_COUNTS(prefix, fixture)                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, fixture, ::testing::Values(1, 2, 4), \
                           ::cprime_test::worker_count_name)
