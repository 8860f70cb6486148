// runtime/futex.cpp — futex waits and wakes (private futex.hpp): workers
// sleep on them when idle, plain threads when parked, the monitor between
// ticks.
#include "futex.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ctime>

namespace cprime::detail {

void futex_wait(std::atomic<uint32_t>* a, uint32_t expected) noexcept {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(a), FUTEX_WAIT_PRIVATE, expected, nullptr,
            nullptr, 0);
}

void futex_wait_until(std::atomic<uint32_t>* a, uint32_t expected,
                      std::chrono::steady_clock::time_point until) noexcept {
  if (until == std::chrono::steady_clock::time_point::max()) return futex_wait(a, expected);
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(until.time_since_epoch()).count();
  if (ns < 0) ns = 0;
  timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
  // steady_clock is CLOCK_MONOTONIC; FUTEX_WAIT_BITSET takes an absolute time on it.
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(a), FUTEX_WAIT_BITSET_PRIVATE, expected, &ts,
            nullptr, FUTEX_BITSET_MATCH_ANY);
}

void futex_wake(std::atomic<uint32_t>* a, int n) noexcept {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(a), FUTEX_WAKE_PRIVATE, n, nullptr, nullptr, 0);
}

}  // namespace cprime::detail
