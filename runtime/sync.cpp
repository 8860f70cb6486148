// runtime/sync.cpp — cprime::mutex and cprime::wait_group.
//
// mutex invariants (guard: q_mu_ for the queue): state_ is 0 unlocked,
// 1 locked, 2 locked with waiters queued. state_ is 2 exactly while the queue
// is non-empty (both change under q_mu_); unlock() of a 2 hands the lock to
// the queue's head without ever passing through 0, so a waiter cannot be
// overtaken forever.
//
// wait_group invariants (guard: q_mu_ for the list): waiters enqueue only
// after reading a non-zero count under q_mu_; the add() that brings the count
// to zero takes q_mu_ afterwards and wakes the whole list; each waiter re-takes
// q_mu_ before leaving, so the waker never touches a dead node.
#include <stdexcept>

#include "cprime/sync.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"

// Race-detector edges (detail/tsan.hpp): unlock() releases on the mutex and
// a lock that succeeds acquires it — an unlock happens before the next lock,
// whichever path either takes; done() (add(n < 0)) releases on the
// wait_group and wait() acquires it once it returns. Both objects' own
// bookkeeping runs hidden.

namespace cprime {

void mutex::lock() {
  {
    detail::tsan_section hide;
    lock_hidden();
  }
  detail::tsan_acquire(this);
}

// No thread-safety analysis: the lock is released by park() (spinlock::unlock_fn).
void mutex::lock_hidden() CPRIME_SPIN_NO_TSA {
  if (try_lock()) return;
  for (int i = 0; i < 100; ++i) {
    if (state_.load(std::memory_order_relaxed) == 0 && try_lock()) return;
    detail::cpu_relax();
  }
  detail::throw_if_cancelled();
  detail::wait_node n(true);
  n.w.reason = "mutex";
  q_mu_.lock();
  // Order is important here: under q_mu_, either the lock is free (take it)
  // or we mark it contended before queueing, so the holder's unlock() takes
  // the slow path and hands it to us.
  for (;;) {
    uint32_t s = state_.load(std::memory_order_relaxed);
    if (s == 0) {
      if (state_.compare_exchange_weak(s, 1, std::memory_order_acquire)) {
        q_mu_.unlock();
        return;
      }
      continue;
    }
    if (s == 2 || state_.compare_exchange_weak(s, 2, std::memory_order_relaxed)) break;
  }
  if (tail_)
    tail_->next = &n;
  else
    head_ = &n;
  tail_ = &n;
  detail::park(n.w, &detail::spinlock::unlock_fn, &q_mu_);
  if (n.w.fired != detail::waiter::cancelled) {
    // The lock was handed to us (state_ stayed non-zero); unlock() dequeued us.
    std::atomic_thread_fence(std::memory_order_acquire);
    return;
  }
  {
    std::lock_guard g(q_mu_);
    detail::wait_node* prev = nullptr;
    for (detail::wait_node* p = head_; p; prev = p, p = p->next) {
      if (p == &n) {
        (prev ? prev->next : head_) = n.next;
        if (tail_ == &n) tail_ = prev;
        break;
      }
    }
    if (!head_ && state_.load(std::memory_order_relaxed) == 2)
      state_.store(1, std::memory_order_relaxed);  // keep: 2 iff waiters queued
  }
  detail::throw_cancelled();
}

void mutex::unlock() noexcept {
  detail::tsan_release(this);
  detail::tsan_hidden hide;
  uint32_t s = 1;
  if (state_.compare_exchange_strong(s, 0, std::memory_order_release)) return;
  if (s == 0) detail::fatal("cprime::mutex::unlock: the mutex is not locked");
  std::lock_guard g(q_mu_);
  // Hand the lock to the first waiter we can claim; a cancelled one (claimed
  // by its canceller) is skipped and unlinks itself.
  while (detail::wait_node* n = head_) {
    head_ = n->next;
    if (!head_) tail_ = nullptr;
    if (n->w.try_claim()) {
      if (!head_) state_.store(1, std::memory_order_release);  // no one else waits
      n->w.fired = 0;
      n->w.wake();
      return;
    }
  }
  state_.store(0, std::memory_order_release);
}

void wait_group::add(int64_t n) {
  if (n < 0) detail::tsan_release(this);
  detail::tsan_hidden hide;
  int64_t v = count_.fetch_add(n, std::memory_order_acq_rel) + n;
  if (v < 0) {
    count_.fetch_sub(n, std::memory_order_acq_rel);
    throw std::logic_error(
        "cprime::wait_group: negative counter (done() called more often than add())");
  }
  if (v != 0 || n >= 0) return;
  std::lock_guard g(q_mu_);
  detail::wait_node* list = head_;
  head_ = nullptr;
  while (list) {
    detail::wait_node* next = list->next;
    list->next = nullptr;
    if (list->w.try_claim()) {
      list->w.fired = 0;
      list->w.wake();
    }
    list = next;
  }
}

void wait_group::wait() {
  {
    detail::tsan_section hide;
    wait_hidden();
  }
  detail::tsan_acquire(this);
}

// No thread-safety analysis: the lock is released by park() (spinlock::unlock_fn).
void wait_group::wait_hidden() CPRIME_SPIN_NO_TSA {
  if (count_.load(std::memory_order_acquire) == 0) return;
  detail::throw_if_cancelled();
  detail::wait_node n(true);
  n.w.reason = "wait_group";
  q_mu_.lock();
  if (count_.load(std::memory_order_acquire) == 0) {
    q_mu_.unlock();
    return;
  }
  n.next = head_;
  head_ = &n;
  detail::park(n.w, &detail::spinlock::unlock_fn, &q_mu_);
  {
    std::lock_guard g(q_mu_);
    for (detail::wait_node** p = &head_; *p; p = &(*p)->next) {
      if (*p == &n) {
        *p = n.next;
        break;
      }
    }
  }
  if (n.w.fired == detail::waiter::cancelled) detail::throw_cancelled();
}

}  // namespace cprime
