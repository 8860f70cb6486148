// cprime/detail/park.hpp — the one blocking primitive every runtime wait uses.
//
// A `waiter` is one blocking wait of one coroutine or one plain OS thread: a
// channel operation, a whole select, a sleep, a join, a mutex wait. It lives on
// the waiting side's stack. Wakers — a channel operation on another
// coroutine, a timer, a canceller — race to claim it; exactly one wins, writes
// `fired`, and calls wake().
//
// Protocol (waiting side):
//   waiter w;                       // binds to the current coroutine/thread
//   lock(q); enqueue &w on q …      // publish it where wakers find it
//   park(w, unlock_q, &q);          // unlock_q(&q) runs only once a wake can no
//                                   // longer be lost; returns after wake()
//   lock(q); unlink &w if still queued; unlock(q)   // before w leaves scope
//   if (w.fired == waiter::cancelled) throw_cancelled();
//
// Once w is published where a waker can find it, its owner must call park(w)
// before w leaves scope unless the owner itself won w.try_claim(): a claimer
// may already be inside wake(), and park() is what waits for it to finish.
//
// Protocol (waking side), with the queue's lock held or not:
//   if (w->try_claim()) { w->fired = k; /* hand over data */ w->wake(); }
//   else { /* someone else completes w: skip it */ }
//
// Invariants:
//   - try_claim() succeeds at most once per waiter.
//   - Only the claimer writes `fired` and the waiter's data slots, and it does
//     so before wake(); park() returns after wake(), with acquire ordering.
//   - Cancellation of the current coroutine claims a parked (or about to park)
//     cancellable waiter with fired == waiter::cancelled and wakes it.
//
// Known to channel.cpp, select.cpp, sync.cpp, timer.cpp, task.cpp, cancel.cpp.
#pragma once

#include <atomic>
#include <cstdint>

namespace cprime::detail {

struct fiber;          // a runtime coroutine (runtime/fiber.cpp)
struct thread_parker;  // a plain OS thread blocked in the runtime

fiber* current_fiber() noexcept;                  // runtime/park.cpp
thread_parker* current_thread_parker() noexcept;  // runtime/park.cpp

class waiter {
 public:
  // fired values below zero are causes other than an arm/operation.
  static constexpr int pending = -1;
  static constexpr int cancelled = -2;
  static constexpr int timed_out = -3;

  // waiter() binds to the calling coroutine, or to the calling plain thread.
  // `cancellable` = false for waits that must not be interrupted (a scope
  // waiting for its own children after cancelling them).
  explicit waiter(bool cancellable = true) noexcept : cancellable_(cancellable) {
    fiber_ = current_fiber();
    if (!fiber_) thread_ = current_thread_parker();
  }
  waiter(const waiter&) = delete;
  waiter& operator=(const waiter&) = delete;

  // try_claim() returns true for exactly one caller over the waiter's life.
  bool try_claim() noexcept {
    if (exclusive_) {  // only lock holders claim: see set_lock_only()
      claimed_.store(1, std::memory_order_relaxed);
      return true;
    }
    uint32_t expected = 0;
    return claimed_.compare_exchange_strong(expected, 1, std::memory_order_acq_rel,
                                            std::memory_order_acquire);
  }
  bool is_claimed() const noexcept { return claimed_.load(std::memory_order_acquire) != 0; }

  // wake() makes the owner runnable. Precondition: the caller won try_claim().
  // Safe with any lock held; never blocks, never switches.
  void wake() noexcept;

  bool cancellable() const noexcept { return cancellable_; }

  // set_lock_only() declares that only holders of the lock passed to park()
  // will ever claim this waiter (no select, no timer). Then, if the owner is
  // a coroutine that no cancellation can reach (it runs in no cancel node),
  // park() makes the waiter exclusive: try_claim() and wake() drop their
  // atomic handshakes, which is safe because park() releases the lock only
  // after the owner's context is saved, so no wake can precede the park.
  // Call it before publishing the waiter.
  void set_lock_only() noexcept { lock_only_ = true; }

  // Written by the claimer before wake(); read by the owner after park().
  int fired = pending;
  // Free for the wait's user (select keeps its case table here, a channel op
  // its value slot). Written before publication or by the claimer.
  void* data = nullptr;
  // reason names the wait in cprime::dump() ("chan recv", "select", "sleep",
  // "join", "mutex" …); a string literal, set before park(). Null = "park".
  const char* reason = nullptr;

 private:
  friend void park(waiter&, void (*)(void*), void*) noexcept;
  friend struct waiter_access;  // runtime/park_internal.hpp
  std::atomic<uint32_t> claimed_{0};
  // park_state_: 0 = owner running, 1 = owner parked, 2 = woken. wake()
  // exchanges in 2; park() commits 0 -> 1 only after the owner's context is
  // saved, so a wake before the commit is seen there and never lost. It is
  // also the futex word a plain thread sleeps on.
  std::atomic<uint32_t> park_state_{0};
  bool cancellable_;
  bool lock_only_ = false;           // see set_lock_only()
  bool exclusive_ = false;           // set by park(), read by claimers under the lock
  fiber* fiber_ = nullptr;           // owner if a coroutine
  thread_parker* thread_ = nullptr;  // owner if a plain thread
};

// park() suspends the calling coroutine (or blocks the calling plain thread)
// until w.wake(). `unlock(arg)` (may be null) is called exactly once, after
// the caller is committed to sleeping, so a wake racing with the unlock is
// never lost. If the current coroutine is cancelled before or while parked
// and w is cancellable, the runtime claims w with fired = waiter::cancelled.
// Never throws; the caller unlinks w from its queues, then checks fired.
void park(waiter& w, void (*unlock)(void*), void* arg) noexcept;

// cancel_requested() is true when the current coroutine (or plain thread,
// while it runs inside a cancellation node, see detail/cancel_node.hpp) has
// been cancelled; false otherwise. throw_if_cancelled() throws
// cprime::cancelled then.
bool cancel_requested() noexcept;
void throw_if_cancelled();
[[noreturn]] void throw_cancelled();

// in_coroutine() is true when called on a runtime coroutine (not a plain thread).
bool in_coroutine() noexcept;

}  // namespace cprime::detail
