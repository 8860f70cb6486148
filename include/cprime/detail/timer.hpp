// cprime/detail/timer.hpp — one-shot timers driven by the runtime's workers.
//
// A timer calls fn(arg) once at or after `when`, on the runtime's timer thread
// (process-wide, see docs/runtime.md), with
// the timer structure's lock held: fn must be short and must not block (claim
// a waiter and wake it, try_send on a channel, re-arm via add_timer).
// cancel_timer() guarantees that after it returns fn is neither running nor
// will run, so a waiter on the caller's stack may then be destroyed.
//
// Known to channel.cpp (send_timeout/recv_timeout, after, ticker), select.cpp,
// task.cpp (sleep), cancel.cpp (timeout deadlines), poller.cpp.
#pragma once

#include <chrono>
#include <cstdint>

namespace cprime::detail {

using clock = std::chrono::steady_clock;

struct timer_id {
  uint64_t value = 0;  // 0 = no timer
  explicit operator bool() const noexcept { return value != 0; }
};

// add_timer() arms a timer; starts the runtime's timer thread if needed.
// Callable from coroutines, plain threads and timer callbacks.
timer_id add_timer(clock::time_point when, void (*fn)(void*), void* arg);

// cancel_timer() returns true if it removed a timer that had not fired.
// Must not be called from inside a timer callback for that same timer.
bool cancel_timer(timer_id id) noexcept;

}  // namespace cprime::detail
