// runtime/timer_wheel.hpp — private: the timing wheels (timer.cpp), one per
// worker and one for the process, as the scheduler and the monitor drive
// them. Not installed.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "cprime/detail/timer.hpp"

namespace cprime::detail {

struct timer_wheel;

// wheel_acquire()/wheel_retire() give a worker its wheel and take it back
// (armed timers move to the process wheel). wheel_run() fires what is due at
// now_ns (false if nothing fired, or another thread is driving it);
// wheel_next_ns() is a lower bound of its next event (INT64_MAX: none).
timer_wheel* wheel_acquire();
void wheel_retire(timer_wheel* w) noexcept;
bool wheel_run(timer_wheel* w, int64_t now_ns) noexcept;
int64_t wheel_next_ns(const timer_wheel* w) noexcept;
// process_wheel() is the wheel of timers armed off the workers (plain
// threads, retired wheels' timers); the monitor drives it.
timer_wheel* process_wheel() noexcept;
int64_t now_ns() noexcept;  // steady clock, ns
inline int64_t to_ns(clock::time_point t) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
inline clock::time_point from_ns(int64_t ns) noexcept {
  return clock::time_point(std::chrono::duration_cast<clock::duration>(std::chrono::nanoseconds(ns)));
}
// firing_when() is the deadline (wheel ticks) of the timer whose callback this
// thread runs, 0 outside a callback: wakes made by timers are readied in
// deadline order (runtime_impl::wake_batch).
uint64_t firing_when() noexcept;
bool timers_pending() noexcept;
std::size_t timers_armed() noexcept;  // metrics
std::atomic<uint64_t>& timer_fires() noexcept;

}  // namespace cprime::detail
