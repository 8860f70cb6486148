// runtime/task.cpp — the join protocol of task<R> and detached-exception
// reporting.
//
// Invariants (guard: task_state_base::mu): joiner is the one parked join();
// the completing task claims and wakes it under mu, and the joiner re-takes
// mu before its waiter leaves scope, so the waker never touches a dead waiter.
// finished goes true once, under mu, after exc/value were written.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>

#include "cprime/errors.hpp"
#include "runtime_impl.hpp"

namespace cprime::detail {
namespace {

[[noreturn]] void report_escape(const std::exception_ptr& exc, const site& where) noexcept {
  const char* what = "unknown exception";
  std::string msg;
  try {
    std::rethrow_exception(exc);
  } catch (const std::exception& e) {
    msg = e.what();
    what = msg.c_str();
  } catch (...) {
  }
  std::fprintf(stderr, "cprime: exception escaped the detached task spawned at %s:%u: %s\n",
               where.file ? where.file : "<unknown site>", where.line, what);
  std::fflush(stderr);
  // The report must be the last word. std::terminate() with no exception in
  // flight makes libstdc++'s default handler add "terminate called without
  // an active exception" (and with it in flight, a second, cruder report).
  // So: with the default handler, end as it would (SIGABRT, core dump) but
  // silently; a handler the program installed gets the exception, active, so
  // std::current_exception() works in it.
#if defined(__GLIBCXX__)
  if (std::get_terminate() == &__gnu_cxx::__verbose_terminate_handler) std::abort();
#endif
  try {
    std::rethrow_exception(exc);
  } catch (...) {
    std::terminate();
  }
}

[[noreturn]] void report_detached(task_state_base* st) noexcept { report_escape(st->exc, st->where); }

// A cancelled detached task ends quietly: cancellation asked it to stop.
bool reportable(const std::exception_ptr& e) noexcept {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const cprime::cancelled&) {
    return false;
  } catch (...) {
    return true;
  }
}

}  // namespace

void detached_failed(std::exception_ptr e) noexcept {
  if (!reportable(e)) return;
  fiber* f = current_fiber();
  report_escape(e, f ? f->where : site{});
}

void task_release(task_state_base* st) noexcept {
  // Hidden with its reference count: dropping a handle orders nothing (a
  // visible acq_rel count would order whoever drops last after the task).
  tsan_hidden hide;
  if (st->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) st->destroy(st);
}

// Race-detector edges (detail/tsan.hpp): task_complete() releases on the
// task state as the coroutine's last act, and task_wait() acquires it when it
// returns — a coroutine's end (its result included) happens before join()
// or co_await on its task returns. The join bookkeeping and the reference
// count run hidden (a hidden free is not checked against earlier accesses).
void task_complete(task_state_base* st) noexcept {
  tsan_release(st);
  bool detached;
  {
    tsan_hidden hide;
    std::lock_guard g(st->mu);
    st->finished.store(true, std::memory_order_release);
    detached = st->detached;
    if (waiter* j = std::exchange(st->joiner, nullptr)) {
      if (j->try_claim()) {
        j->fired = 0;
        j->wake();
      }
    }
  }
  if (detached && !st->supervised && reportable(st->exc)) report_detached(st);
  task_release(st);
}

namespace {
void task_wait_hidden(task_state_base* st);
}  // namespace

void task_wait(task_state_base* st) {
  {
    tsan_section hide;
    task_wait_hidden(st);
  }
  tsan_acquire(st);
}

namespace {
// ending(st): the task belongs to a block that is being cancelled, so it is
// on its way out (its block's end waits for it in any case).
bool ending(const task_state_base* st) noexcept { return st->node && st->node->is_cancelled(); }

// No thread-safety analysis: the lock is released by park() (spinlock::unlock_fn).
void task_wait_hidden(task_state_base* st) CPRIME_SPIN_NO_TSA {
  if (st->finished.load(std::memory_order_acquire)) return;
  bool cancellable = !ending(st);
  if (cancellable) throw_if_cancelled();
  for (;;) {
    waiter w(cancellable);
    w.reason = "join";
    st->mu.lock();
    if (st->finished.load(std::memory_order_relaxed)) {
      st->mu.unlock();
      return;
    }
    st->joiner = &w;
    park(w, &spinlock::unlock_fn, &st->mu);
    {
      std::lock_guard g(st->mu);
      if (st->joiner == &w) st->joiner = nullptr;
    }
    if (w.fired != waiter::cancelled) return;
    // Cancelled while waiting. A task of a block being cancelled is ending:
    // wait it out and report its own result or exception.
    if (!ending(st)) throw_cancelled();
    cancellable = false;
  }
}
}  // namespace

void task_detach(task_state_base* st) noexcept {
  bool finished;
  {
    tsan_hidden hide;
    std::lock_guard g(st->mu);
    st->detached = true;
    finished = st->finished.load(std::memory_order_relaxed);
  }
  if (finished && !st->supervised && reportable(st->exc)) report_detached(st);
  task_release(st);
}

}  // namespace cprime::detail
