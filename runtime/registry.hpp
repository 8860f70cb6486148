// runtime/registry.hpp — private: what the process knows of its runtimes and
// of plain threads blocked in them (registry.cpp): the runtime registry, the
// parked-thread list, the I/O waiter count, and fatal(). Not installed.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "fiber.hpp"

namespace cprime::detail {

class runtime_impl;

// register_runtime()/unregister_runtime() add a started runtime to the
// registry and take a stopping one out (the monitor watches the registered
// ones, debuggers read the list).
void register_runtime(runtime_impl* rt);
void unregister_runtime(runtime_impl* rt);
// for_each_runtime() runs fn on every registered runtime, under the
// registry's lock.
void for_each_runtime(void (*fn)(runtime_impl*, void*), void* arg) noexcept;

// thread_parker is a plain OS thread's side of the runtime: its cancel-node
// membership and, while it is parked, its entry in the parked-thread list.
struct thread_parker : exec_ctx {
  const char* reason = nullptr;    // guarded by parked_mu()
  int64_t since = 0;               // guarded by parked_mu(): steady ms when it parked
  // Where park_thread() blocked: r12-r15, rbx, rbp, return address, stack
  // pointer (capture_frame()), so dumps unwind a parked thread without
  // interrupting it. Guarded by parked_mu().
  uint64_t frame[8] = {};
  thread_parker* prev = nullptr;   // guarded by parked_mu()
  thread_parker* next = nullptr;   // guarded by parked_mu()
  long tid = 0;
};

// The parked-thread list: plain threads parked in the runtime now (deadlock
// detector, dump). parked_link()/parked_unlink() need parked_mu() held.
std::mutex& parked_mu() noexcept;
void parked_link(thread_parker* tp) noexcept;
void parked_unlink(thread_parker* tp) noexcept;
// for_each_parked_thread(): fn(tp) for each thread parked now, under
// parked_mu() (dump.cpp).
void for_each_parked_thread(void (*fn)(thread_parker*, void*), void* arg) noexcept;
// Plain threads parked now, and parks plus unparks ever (the deadlock
// detector's activity count).
extern std::atomic<int> g_parked_threads;
extern std::atomic<uint64_t> g_thread_parks;

// For the I/O poller: coroutines waiting on fds keep the deadlock
// detector quiet while > 0.
std::atomic<int>& io_waiters() noexcept;

// fatal() prints "cprime: fatal: <message>" to stderr in one write and aborts.
[[noreturn]] void fatal(const char* fmt, ...) noexcept __attribute__((format(printf, 1, 2)));

}  // namespace cprime::detail
