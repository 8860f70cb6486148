// runtime/io_test_util.hpp — shared by poller_test.cpp and net_test.cpp.
//
//   class my_test : public cprime::test::io_workers {};
//   TEST_P(my_test, x) { run([] { /* on a coroutine of a runtime with GetParam() workers */ }); }
//   INSTANTIATE_TEST_SUITE_P(workers, my_test, ::testing::Values(1, 2, 4));
//
// Every run() is bounded: a watchdog thread aborts the test binary with a
// message if the body has not returned within 120 s (a hang never stalls CI).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "cprime/runtime.hpp"
#include "cprime/task.hpp"
#include "cprime/errors.hpp"
#include "cprime/detail/cancel_node.hpp"
#include "cprime/detail/timer.hpp"
#include "test_util.hpp"

namespace cprime::test {

// watchdog: test_util.hpp.

// io_workers runs a test body on a coroutine of a runtime with GetParam()
// worker threads (cprime_test::run_with_workers from test_util.hpp).
class io_workers : public ::testing::TestWithParam<int> {
 protected:
  template <class F>
  void run(F&& body) {
    watchdog dog(std::chrono::seconds(120));
    cprime_test::run_with_workers(GetParam(), std::forward<F>(body));
  }
};

// run_with_deadline() runs body in a fresh cancellation node that a timer
// cancels after d (what `timeout (d) { body }` lowers to, built on the core's
// cancel_node so these tests do not depend on scope.hpp). Returns true when
// the deadline cancelled body (the cprime::cancelled is consumed).
template <class F>
bool run_with_deadline(std::chrono::milliseconds d, F&& body) {
  detail::cancel_node* node = detail::cancel_node::make(detail::current_cancel_node());
  detail::timer t;
  detail::arm_timer(
      t, detail::clock::now() + d, [](void* n) { static_cast<detail::cancel_node*>(n)->cancel(); }, node);
  bool hit = false;
  try {
    detail::run_in_node(node, body);
  } catch (const cprime::cancelled&) {
    hit = true;
  }
  detail::cancel_timer(t);
  node->release();
  return hit;
}

}  // namespace cprime::test
