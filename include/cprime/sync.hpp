// cprime/sync.hpp — mutex and wait_group for coroutines and plain threads.
//
//   cprime::mutex mu; long counter = 0;
//   cprime::wait_group wg;
//   for (int i = 0; i < 100; ++i) {
//     wg.add(1);
//     cprime::spawn([&] { { std::lock_guard g(mu); ++counter; } wg.done(); });
//   }
//   wg.wait();   // counter == 100
//
// Both suspend only the calling coroutine (a plain thread blocks), never the
// worker thread.
#pragma once

#include <atomic>
#include <cstdint>

#include "cprime/detail/annotate.hpp"
#include "cprime/detail/park.hpp"
#include "cprime/detail/spinlock.hpp"
#include "cprime/detail/tsan.hpp"

namespace cprime {

namespace detail {
// wait_node links one parked waiter into a sync queue (FIFO).
struct wait_node {
  waiter w;
  wait_node* next = nullptr;
  explicit wait_node(bool cancellable) noexcept : w(cancellable) {}
};
}  // namespace detail

// mutex is a non-recursive mutual-exclusion lock (Lockable: std::lock_guard,
// std::unique_lock, std::scoped_lock work). Contended lock() parks the caller;
// unlock() hands the lock directly to the longest waiter (FIFO, no
// starvation). A contended lock() is a cancellation point: if the caller is
// cancelled before it owns the mutex, lock() throws cprime::cancelled and
// holds nothing (an uncontended lock() never throws). unlock() of a mutex
// that is not locked prints a message and aborts.
class mutex {
 public:
  mutex() noexcept = default;
  mutex(const mutex&) = delete;
  mutex& operator=(const mutex&) = delete;
  ~mutex() = default;

  CPRIME_SUSPENDS void lock();
  bool try_lock() noexcept {
    uint32_t expected = 0;
    if (!state_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                        std::memory_order_relaxed))
      return false;
    detail::tsan_acquire(this);  // race detector: the last unlock happens before
    return true;
  }
  void unlock() noexcept;

 private:
  void lock_hidden();  // lock() without its race-detector edge
  // state_: 0 unlocked, 1 locked. A handed-off lock stays 1.
  std::atomic<uint32_t> state_{0};
  detail::spinlock q_mu_;
  detail::wait_node* head_ = nullptr;  // guarded by q_mu_
  detail::wait_node* tail_ = nullptr;  // guarded by q_mu_
};

// wait_group waits for a collection of coroutines to finish: add(n) before
// starting them, done() as each finishes, wait() until the counter is zero.
// A counter driven below zero throws std::logic_error from add()/done().
// wait() is a cancellation point (throws cprime::cancelled).
class wait_group {
 public:
  wait_group() noexcept = default;
  wait_group(const wait_group&) = delete;
  wait_group& operator=(const wait_group&) = delete;

  void add(int64_t n = 1);
  void done() { add(-1); }
  CPRIME_SUSPENDS void wait();
  int64_t count() const noexcept { return count_.load(std::memory_order_acquire); }

 private:
  void wait_hidden();  // wait() without its race-detector edge
  std::atomic<int64_t> count_{0};
  detail::spinlock q_mu_;
  detail::wait_node* head_ = nullptr;  // guarded by q_mu_
};

}  // namespace cprime
