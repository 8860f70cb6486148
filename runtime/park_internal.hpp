// runtime/park_internal.hpp — private: the runtime's side of park()/wake()
// (park.cpp, fiber.cpp). Not installed.
#pragma once

#include <atomic>
#include <cstdint>

#include "cprime/detail/park.hpp"

namespace cprime::detail {

struct fiber;

// waiter_access reaches waiter's private fields for the runtime.
struct waiter_access {
  static std::atomic<uint32_t>& state(waiter& w) noexcept { return w.park_state_; }
  static fiber* owner_fiber(waiter& w) noexcept { return w.fiber_; }
  static thread_parker* owner_thread(waiter& w) noexcept { return w.thread_; }
  static bool exclusive(waiter& w) noexcept { return w.exclusive_; }
  static void make_exclusive_if_lock_only(waiter& w) noexcept {
    if (w.lock_only_) w.exclusive_ = true;
  }
};

// park_fiber() parks coroutine f (the caller) on w: park()'s coroutine side.
void park_fiber(fiber* f, waiter& w, void (*unlock)(void*), void* arg) noexcept;

}  // namespace cprime::detail
