// cprime/detail/spinlock.hpp — the runtime's one spin-wait hint, cpu_relax(),
// and its one spinlock, for short critical sections (queue links, channel
// state, timer wheels, task state; never held across a park).
//
// spinlock satisfies Lockable (std::lock_guard, std::unique_lock) and is a
// capability for Clang's -Wthread-safety (channel_core.hpp guards a channel's
// fields with it). An uncontended lock() is one exchange, inline. A miss
// spins with exponential backoff (1, 2, 4 … 16 pauses between looks) for
// about spin_limit pauses, then yields the OS thread at every look: a holder
// that runs keeps the lock for a few dozen instructions, and yielding on
// every miss under contention costs far more than waiting for it. It never
// parks a coroutine, so a coroutine holding one must not block.
#pragma once

#include <atomic>
#include <thread>

#if defined(__clang__)
#define CPRIME_SPIN_CAPABILITY __attribute__((capability("mutex")))
#define CPRIME_SPIN_ACQUIRE __attribute__((acquire_capability()))
#define CPRIME_SPIN_TRY_ACQUIRE __attribute__((try_acquire_capability(true)))
#define CPRIME_SPIN_RELEASE __attribute__((release_capability()))
#define CPRIME_SPIN_NO_TSA __attribute__((no_thread_safety_analysis))
#else
#define CPRIME_SPIN_CAPABILITY
#define CPRIME_SPIN_ACQUIRE
#define CPRIME_SPIN_TRY_ACQUIRE
#define CPRIME_SPIN_RELEASE
#define CPRIME_SPIN_NO_TSA
#endif

namespace cprime::detail {

// cpu_relax() is the spin-wait hint: x86 `pause`, AArch64 `yield`, else
// nothing. Every spin loop of the runtime uses it.
[[gnu::always_inline]] inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

class CPRIME_SPIN_CAPABILITY spinlock {
 public:
  void lock() noexcept CPRIME_SPIN_ACQUIRE {
    if (!locked_.exchange(true, std::memory_order_acquire)) return;
    lock_slow();
  }
  bool try_lock() noexcept CPRIME_SPIN_TRY_ACQUIRE {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept CPRIME_SPIN_RELEASE { locked_.store(false, std::memory_order_release); }

  // unlock_fn is a park() unlock callback: arg is the spinlock.
  static void unlock_fn(void* arg) noexcept CPRIME_SPIN_NO_TSA { static_cast<spinlock*>(arg)->unlock(); }

 private:
  [[gnu::noinline]] void lock_slow() noexcept {
    constexpr unsigned spin_limit = 1024;
    unsigned spins = 0, backoff = 1;
    for (;;) {
      if (!locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire)) return;
      if (spins < spin_limit) {
        for (unsigned i = 0; i < backoff; ++i) cpu_relax();
        spins += backoff;
        if (backoff < 16) backoff <<= 1;
      } else {
        std::this_thread::yield();
      }
    }
  }
  std::atomic<bool> locked_{false};
};

}  // namespace cprime::detail
