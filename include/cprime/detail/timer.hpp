// cprime/detail/timer.hpp — one-shot timers for deadlines that almost never
// fire (docs/runtime.md, "Timers").
//
// A `timer` is embedded in whatever waits on it (a waiter's frame, a timeout
// block, a channel made by after()/ticker()): arming and cancelling allocate
// nothing. arm_timer() puts it on the calling worker's timing wheel (a plain
// thread's go on the process-wide wheel the monitor thread drives); the wheel
// calls fn(arg) once, at or after `when`, on whichever thread drives it (the
// owning worker at a scheduling point or before it sleeps, an idle worker of
// the same runtime helping a busy one, or the monitor for the process wheel).
// fn runs with no timer lock held but must still be short and must not
// block: claim a waiter and wake it, try_send on a channel, cancel a node,
// re-arm its own timer or arm and cancel others.
//
// cancel_timer() guarantees that after it returns fn is neither running nor
// will run, so the timer (and a waiter on the caller's stack) may then be
// destroyed. A timer must not be destroyed while armed.
//
//   struct { timer t; waiter w; } …
//   arm_timer(t, clock::now() + 1s, &on_deadline, &w);
//   park(w, …);
//   cancel_timer(t);                    // O(1); usually the owner's wheel
//
// Known to channel.cpp (send_timeout/recv_timeout, after, ticker), select.cpp
// (after arms), task.cpp (sleep), scope.cpp (timeout deadlines), poller.cpp
// and net.cpp (I/O deadlines), idle.cpp and runq.cpp (driving the wheels),
// monitor.cpp (the process wheel).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cprime::detail {

using clock = std::chrono::steady_clock;

struct timer_wheel;  // runtime/timer.cpp

// timer is one deadline. Fields other than home are owned by the wheel in
// `home` (guarded by its lock) while the timer is armed or firing.
struct timer {
  timer() = default;
  timer(const timer&) = delete;
  timer& operator=(const timer&) = delete;

  void (*fn)(void*) = nullptr;
  void* arg = nullptr;
  uint64_t when = 0;          // deadline in wheel ticks (rounded up)
  timer* prev = nullptr;      // slot list
  timer* next = nullptr;
  uint8_t state = 0;          // idle, armed, fired (timer.cpp)
  uint8_t level = 0;          // where it is linked while armed
  uint8_t slot = 0;
  std::atomic<timer_wheel*> home{nullptr};  // the wheel that owns it, or null
};

// deadline_now() is the start of a deadline: never earlier than
// clock::now() would say and at most about 1 µs later, at roughly a third of
// its cost where the TSC can be used (runtime/deadline_clock.cpp). A deadline
// deadline_now() + d never fires before d has passed since the call. Use
// clock::now() to test whether a deadline has passed.
clock::time_point deadline_now() noexcept;
// deadline_clock_uses_tsc() is true once deadline_now() reads the TSC (after
// its calibration); false where it is clock::now().
bool deadline_clock_uses_tsc() noexcept;

// arm_timer() arms t (idle or fired, never armed) to call fn(arg) at or
// after `when`. Callable from coroutines, plain threads and timer callbacks.
void arm_timer(timer& t, clock::time_point when, void (*fn)(void*), void* arg) noexcept;

// cancel_timer() disarms t and returns true if t was armed and had not
// fired. Returns false for a timer never armed, already cancelled, or fired
// (then waits until its callback has returned). Callable from any thread,
// but not from t's own callback.
bool cancel_timer(timer& t) noexcept;

}  // namespace cprime::detail
