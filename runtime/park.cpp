// runtime/park.cpp — park and wake: waiter::wake(), park() for coroutines
// (park_fiber) and plain threads (park_thread), cancellable waits
// (enter_wait/leave_wait), yield, the cancellation checks every channel
// operation starts with, and the calling thread's runtime context (the
// thread-locals they read).
//
// A waiter's park_state_ (0 idle, 1 parked, 2 woken) is the handshake
// between a parking owner and its waker: the owner commits its park (0 -> 1,
// after its context is saved: fiber.cpp, after_switch), the waker moves it
// to 2, and whichever side comes second makes the owner runnable. An
// exclusive waiter (only lock holders claim it) skips the handshake.
//
// Hot path: compiled in one translation unit with fiber.cpp, runq.cpp and
// idle.cpp (UNITY_GROUP switch_path, runtime/CMakeLists.txt) so that
// park_fiber() (flatten) inlines the pick, the switch and its epilogue.
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "cprime/errors.hpp"
#include "dump.hpp"
#include "futex.hpp"
#include "monitor.hpp"
#include "park_internal.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"
#include "timer_wheel.hpp"

namespace cprime::detail {

namespace {

thread_local worker* tl_worker = nullptr;
thread_local runtime_impl* tl_blocking_rt = nullptr;
thread_local thread_parker tl_thread;

}  // namespace

// ---- thread-locals -------------------------------------------------------

__attribute__((noinline)) worker* this_worker() noexcept {
  asm volatile("" ::: "memory");
  return tl_worker;
}
__attribute__((noinline)) void set_this_worker(worker* w) noexcept { tl_worker = w; }
__attribute__((noinline)) static thread_parker* this_thread_parker() noexcept {
  asm volatile("" ::: "memory");
  return &tl_thread;
}
__attribute__((noinline)) fiber* current_fiber() noexcept {
  asm volatile("" ::: "memory");
  worker* w = tl_worker;
  return w ? w->current : nullptr;
}
exec_ctx* current_ctx() noexcept {
  fiber* f = current_fiber();
  if (f) return f;
  return this_thread_parker();
}
__attribute__((noinline)) runtime_impl* current_runtime() noexcept {
  asm volatile("" ::: "memory");
  if (tl_worker) return tl_worker->rt;
  return tl_blocking_rt;
}
__attribute__((noinline)) void set_blocking_runtime(runtime_impl* rt) noexcept { tl_blocking_rt = rt; }


// ---- park / wake -------------------------------------------------------------

thread_parker* current_thread_parker() noexcept { return this_thread_parker(); }

namespace {
// prefetch_resume() starts loading what resuming f touches first: the frames
// above its saved stack pointer (jump_fcontext's saved registers, then
// after_switch, park and the waiting operation's frames). A woken coroutine
// usually runs within a few hundred instructions, on a cold stack: ring at
// 10,000 coroutines spends most of a hop on those misses.
inline void prefetch_resume(const fiber* f) noexcept {
  const char* sp = static_cast<const char*>(f->ctx);
  for (int i = 0; i < 8; ++i) __builtin_prefetch(sp + 64 * i, 1, 3);
}
}  // namespace

namespace {
// ready_next() is ready(f, true) for a woken coroutine, with its common case
// inline: a wake on a worker of f's runtime with an empty runnext is a plain
// store (see ready()).
inline void ready_next(fiber* f) noexcept {
  f->state.store(fiber_state::runnable, std::memory_order_relaxed);
  worker* w = this_worker();
  if (w && w->rt == f->rt) {
    if (w->firing_timers) {
      w->timer_woken.emplace_back(firing_when(), f);  // made runnable by wake_batch()
      return;
    }
    if (!w->runnext.load(std::memory_order_relaxed)) {
      w->runnext.store(f, std::memory_order_release);
      return;
    }
  }
  f->rt->ready(f, true);
}
}  // namespace

void waiter::wake() noexcept {
  // The park protocol's own edge: what the claimer wrote (`fired`, the
  // waiter's data) happens before the owner returns from park(). It shows
  // only where both sides are visible code — a park() user outside the
  // runtime's hidden entry points (tsan.hpp); those take their own edges.
  // Making the owner runnable is the runtime's business only.
  tsan_release(this);
  tsan_hidden hide;
  if (fiber* f = fiber_) {
    // An exclusive waiter was claimed under the lock its owner released only
    // after its context was saved (after_switch): it is parked, and nobody
    // else wakes it. Any other one is ours to make runnable only if its
    // park committed (and then its context is saved too).
    if (exclusive_ || park_state_.exchange(2, std::memory_order_acq_rel) == 1) {
      prefetch_resume(f);
      ready_next(f);
    }
    return;
  }
  if (park_state_.exchange(2, std::memory_order_acq_rel) == 1) futex_wake(&park_state_, 1);
}

namespace {

// enter_wait() records w as ctx's cancellable wait. Returns false when the
// wait is already cancelled (w claimed with fired == cancelled).
bool enter_wait(exec_ctx* c, waiter& w) noexcept {
  cancel_node* n = c->node;
  if (!n) return true;
  std::lock_guard g(n->mu_);
  if (n->is_cancelled() && w.cancellable() && w.try_claim()) {
    w.fired = waiter::cancelled;
    return false;
  }
  c->cur_waiter = &w;
  return true;
}

void leave_wait(exec_ctx* c) noexcept {
  cancel_node* n = c->node;
  if (!n) return;
  std::lock_guard g(n->mu_);
  c->cur_waiter = nullptr;
}

void park_thread(waiter& w, void (*unlock)(void*), void* arg) noexcept {
  // A thread may block before anything started the runtime (main receiving
  // on a channel nobody else knows): the monitor must run to see the
  // deadlock, and to answer SIGQUIT.
  monitor_ensure_started();
  thread_parker* tp = this_thread_parker();
  if (!enter_wait(tp, w)) {
    if (unlock) unlock(arg);
    return;
  }
  {
    std::lock_guard g(parked_mu());
    tp->reason = w.reason ? w.reason : "park";
    tp->since = steady_ms();
    cprime_detail_capture_frame(tp->frame);  // park_thread's frame stays until it leaves
    if (!tp->tid) tp->tid = static_cast<long>(::syscall(SYS_gettid));
    parked_link(tp);
  }
  g_thread_parks.fetch_add(1, std::memory_order_relaxed);
  if (g_parked_threads.fetch_add(1, std::memory_order_acq_rel) == 0) monitor_poke();
  if (unlock) unlock(arg);
  auto& st = waiter_access::state(w);
  uint32_t expected = 0;
  if (st.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
    while (st.load(std::memory_order_acquire) != 2) futex_wait(&st, 1);
  }
  g_parked_threads.fetch_sub(1, std::memory_order_acq_rel);
  g_thread_parks.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard g(parked_mu());
    parked_unlink(tp);
  }
  leave_wait(tp);
  tsan_acquire(&w);  // pairs with waiter::wake()
}

}  // namespace

__attribute__((flatten)) void park_fiber(fiber* f, waiter& w, void (*unlock)(void*), void* arg) noexcept {
  // unlock(arg) runs hidden, in whichever context the switch lands: publish
  // our clock on arg now, so that a visible lock (a spinlock: arg is its
  // atomic) still orders what we did before parking before its next holder.
  if (unlock) tsan_release(arg);
  // Hidden from TSan from here until the owner runs again (tsan.hpp): the
  // switch path ends the stretch in whichever context it resumes.
  tsan_hide_begin();
  if (!f->node) {
    // No canceller can reach this wait: with only lock holders claiming,
    // the handshakes can go (waiter::set_lock_only()).
    waiter_access::make_exclusive_if_lock_only(w);
  } else if (!enter_wait(f, w)) {
    if (unlock) unlock(arg);
    tsan_hide_end();
    return;
  }
  f->reason.store(w.reason ? w.reason : "park", std::memory_order_relaxed);
  f->since = coarse_now_ms();
  worker* wk = this_worker();
  wk->parks.store(wk->parks.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  wk->sw = switch_record{after::park, f, &w, unlock, arg};
  fiber* next = wk->rt->stopping() ? nullptr : wk->rt->pick_next(wk);
  switch_to(wk, next);
  // Resumed, possibly on another worker.
  f->reason.store(nullptr, std::memory_order_relaxed);
  leave_wait(f);
  tsan_hide_end();
  tsan_acquire(&w);  // pairs with waiter::wake()
}

void park(waiter& w, void (*unlock)(void*), void* arg) noexcept {
  // w is bound to its owner, the caller (park.hpp): no thread-local lookup.
  if (fiber* f = w.fiber_)
    park_fiber(f, w, unlock, arg);
  else
    park_thread(w, unlock, arg);
}

bool in_coroutine() noexcept { return current_fiber() != nullptr; }

// cancel_requested() and throw_if_cancelled() start every channel operation:
// one thread-local read (both are noinline, so the read never crosses a
// switch), then the current coroutine's (or thread's) cancel node.
namespace {
[[gnu::always_inline]] inline bool cancelled_here() noexcept {
  asm volatile("" ::: "memory");
  worker* w = tl_worker;
  exec_ctx* c;
  if (w && w->current)
    c = w->current;
  else
    c = this_thread_parker();
  cancel_node* n = c->node;
  return n && n->is_cancelled();
}
}  // namespace

// Whoever sees its cancellation marks its node observed (the timeout block
// reports a deadline only if it interrupted something, see finish_timeout).
__attribute__((noinline)) bool cancel_requested() noexcept {
  if (!cancelled_here()) return false;
  if (cancel_node* n = current_ctx()->node) n->note_observed();
  tsan_cancel_observed();  // race detector: the cancel() happens before
  return true;
}

// Observing a cancellation takes the race detector's cancellation edge
// (detail/tsan.hpp); inside a runtime entry point's hidden stretch the
// stretch takes it as the exception leaves.
void throw_cancelled() {
  if (cancel_node* n = current_ctx()->node) n->note_observed();
  tsan_cancel_observed();
  throw cprime::cancelled();
}

__attribute__((noinline)) void throw_if_cancelled() {
  if (cancelled_here()) throw_cancelled();
}

void yield_current() noexcept {
  fiber* f = current_fiber();
  if (!f) {
    std::this_thread::yield();
    return;
  }
  worker* w = this_worker();
  tsan_hide_begin();  // a yield orders nothing (tsan.hpp)
  w->sw = switch_record{after::yield, f};
  switch_to(w, w->rt->pick_next(w));
  tsan_hide_end();
}

}  // namespace cprime::detail
