// runtime/test_util.hpp — helpers for the runtime's GoogleTests.
//
// for_each_worker_count(body) builds a runtime with 1, 2 and 4 workers in
// turn and runs body(n) on a coroutine of each (rt.run), so every concurrent
// test exercises the single-worker, the pair and the stealing cases.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
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
