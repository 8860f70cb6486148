// runtime/futex.hpp — private: futex waits and wakes on 32-bit atomics
// (futex.cpp). Not installed.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cprime::detail {

// futex_wait() sleeps while *a == expected (spurious returns allowed: callers
// loop on their condition).
void futex_wait(std::atomic<uint32_t>* a, uint32_t expected) noexcept;
// futex_wait_until() waits at most until the steady-clock point `until`.
void futex_wait_until(std::atomic<uint32_t>* a, uint32_t expected,
                      std::chrono::steady_clock::time_point until) noexcept;
void futex_wake(std::atomic<uint32_t>* a, int n) noexcept;

}  // namespace cprime::detail
