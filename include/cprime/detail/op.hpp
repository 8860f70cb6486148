// cprime/detail/op.hpp — what makes a runtime operation awaitable.
//
// Every runtime operation (recv_op, send_op, task, yield_op, sleep_op,
// join_all_op, cancelled_op) derives from op_base<Derived, Result> and defines
//     Result perform() &&;
// which does the operation, suspending only the current coroutine (or
// blocking the current plain thread). cprime::await(op) checks cancellation
// and calls perform(). The await_* members make every operation a valid C++20
// awaitable too: inside a native C++20 coroutine the operation completes
// stackfully on whatever coroutine/thread runs it, then resumes at once.
//
// Known to the rewriter: `co_await X` → `::cprime::await(X)`.
#pragma once

#include <coroutine>
#include <type_traits>
#include <utility>

#include "cprime/detail/annotate.hpp"
#include "cprime/detail/park.hpp"

namespace cprime::detail {

template <class Derived, class Result>
class op_base {
 public:
  using result_type = Result;
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  Result await_resume() {
    throw_if_cancelled();
    return std::move(static_cast<Derived&>(*this)).perform();
  }
};

template <class Op>
concept awaitable_op = requires(std::remove_cvref_t<Op>&& op) {
  typename std::remove_cvref_t<Op>::result_type;
  { std::move(op).perform() };
};

}  // namespace cprime::detail

namespace cprime {

// await(op) performs a runtime operation: suspends only the current coroutine
// (at any call depth) until it completes; on a plain OS thread, blocks it.
// Throws cprime::cancelled first if the current coroutine was cancelled.
template <detail::awaitable_op Op>
CPRIME_SUSPENDS decltype(auto) await(Op&& op) {
  detail::throw_if_cancelled();
  // An lvalue (a named task handle, a stored op) is consumed: join() once.
  return std::move(op).perform();
}

}  // namespace cprime
