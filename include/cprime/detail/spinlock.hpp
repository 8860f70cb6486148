// cprime/detail/spinlock.hpp — a tiny test-and-test-and-set lock for short
// runtime critical sections (queue links, never held across a park).
//
// spinlock satisfies Lockable (std::lock_guard, std::unique_lock). It spins
// briefly, then yields the OS thread; it never parks a coroutine, so a
// coroutine holding one must not block.
#pragma once

#include <atomic>
#include <thread>

namespace cprime::detail {

class spinlock {
 public:
  void lock() noexcept {
    for (int spins = 0;; ++spins) {
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins > 64) std::this_thread::yield();
#if defined(__x86_64__) || defined(__i386__)
        else __builtin_ia32_pause();
#endif
      }
    }
  }
  bool try_lock() noexcept {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

  // unlock_fn is a park() unlock callback: arg is the spinlock.
  static void unlock_fn(void* arg) noexcept { static_cast<spinlock*>(arg)->unlock(); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace cprime::detail
