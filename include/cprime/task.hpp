// cprime/task.hpp — spawn, task<R>, yield_now, sleep.
//
//   #include <cprime/task.hpp>
//   int square(int x) { return x * x; }
//   int main() {
//     cprime::task<int> t = cprime::spawn(cprime::here(), square, 7);
//     cprime::spawn([] { cprime::sleep_for(std::chrono::milliseconds(5)); });  // detached
//     return t.join() == 49 ? 0 : 1;          // or: cprime::await(t)
//   }
//
// spawn decay-copies the callable and its arguments (as std::thread does;
// std::ref passes a reference) and runs the call on a new coroutine of the
// current runtime (the default runtime when called from a plain thread).
// Known to the rewriter (docs/lowering.md): spawn(site, f, args…),
// spawn_blocking(site, f, args…), yield_now(), sleep(d).
#pragma once

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <new>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "cprime/detail/tsan.hpp"
#include "cprime/detail/op.hpp"
#include "cprime/detail/site.hpp"
#include "cprime/detail/spinlock.hpp"
#include "cprime/detail/timer.hpp"

namespace cprime::detail {

class runtime_impl;
class cancel_node;

// task_state_base is shared by a task's handle and its coroutine (two
// references). Guard: mu guards joiner and detached; finished is written
// under mu and may be read without it (acquire). The task writes exc/value
// before setting finished; the joiner reads them after seeing it.
struct task_state_base {
  spinlock mu;
  waiter* joiner = nullptr;  // guarded by mu: a parked join()
  bool detached = false;     // guarded by mu: the handle was dropped
  std::atomic<bool> finished{false};
  std::atomic<int> refs{2};
  std::exception_ptr exc;
  site where;
  // supervised: a scope (parallel, timeout, task_group) owns the task's
  // failure, so a detached supervised task's exception is not reported.
  bool supervised = false;  // immutable after spawn
  // node: the cancel node of the block a supervised task belongs to (its
  // join waits such a task out once that block is cancelled: task_wait()).
  // Read only while the task is unfinished, when the block is alive.
  cancel_node* node = nullptr;  // immutable after spawn
  void (*destroy)(task_state_base*) noexcept = nullptr;
};

template <class R>
struct task_state : task_state_base {
  using stored = std::conditional_t<std::is_reference_v<R>, std::remove_reference_t<R>*, R>;
  union {
    stored value;
  };
  bool has_value = false;
  task_state() noexcept { destroy = &destroy_fn; }
  ~task_state() {
    if (has_value) value.~stored();
  }
  static void destroy_fn(task_state_base* b) noexcept { delete static_cast<task_state*>(b); }
};

template <>
struct task_state<void> : task_state_base {
  task_state() noexcept { destroy = &destroy_fn; }
  static void destroy_fn(task_state_base* b) noexcept { delete static_cast<task_state*>(b); }
};

// task_complete() publishes the result (after the task stored value/exc):
// wakes a parked joiner, or reports an exception of a detached task (with its
// spawn site) and terminates. Drops the task's reference.
void task_complete(task_state_base* st) noexcept;
// task_wait() returns once the task is done. Throws cprime::cancelled if the
// waiting coroutine is cancelled first (the handle stays joinable) — unless
// the task's own block is cancelled too: that task is ending, as the block's
// end would wait for it anyway, so the join waits it out and reports its own
// outcome (a child whose failure cancelled the block reports that failure).
void task_wait(task_state_base* st);
// task_detach() drops the handle's reference; an exception already stored is
// reported as for a detached task.
void task_detach(task_state_base* st) noexcept;
void task_release(task_state_base* st) noexcept;
// detached_failed() handles an exception escaping a coroutine started by
// spawn_detached(): cancellation ends it quietly; anything else is reported
// with the coroutine's spawn site, then the program terminates (as for a
// dropped task<R> handle).
void detached_failed(std::exception_ptr e) noexcept;

// spawn_options says where a new coroutine runs.
struct spawn_options {
  site where;
  runtime_impl* rt = nullptr;   // nullptr: the current runtime, else the default one
  bool inherit_node = true;     // true: the spawner's current cancel node
  cancel_node* node = nullptr;  // used when !inherit_node (nullptr = no node)
  bool supervised = false;      // see task_state_base::supervised
  std::size_t stack_size = 0;   // usable stack bytes; 0 or less than the runtime's: its default
};

struct fiber;
using closure_fn = void (*)(void* closure, task_state_base* st) noexcept;

// fiber_prepare() reserves a coroutine and `size` bytes (aligned `align`) for
// its closure, usually on the top page of its own stack. The caller
// constructs the closure there, then calls fiber_start() (or fiber_abort()
// if construction threw).
struct prepared_fiber {
  fiber* f;
  void* closure;
};
prepared_fiber fiber_prepare(const spawn_options& o, std::size_t size, std::size_t align,
                             closure_fn run, task_state_base* st);
void fiber_start(fiber* f) noexcept;
void fiber_abort(fiber* f) noexcept;

// blocking_submit() runs run(closure, st) on the blocking pool; the closure
// was allocated with new and run() deletes it.
void blocking_submit(const spawn_options& o, closure_fn run, void* closure, task_state_base* st);

template <class Fn, class... Args>
struct closure {
  Fn fn;
  std::tuple<Args...> args;
  using result = std::invoke_result_t<Fn, Args...>;

  static void store(task_state<result>* st, closure& c) {
    if constexpr (std::is_void_v<result>) {
      std::apply([&](Args&... a) { std::invoke(std::move(c.fn), std::move(a)...); }, c.args);
    } else if constexpr (std::is_reference_v<result>) {
      result r = std::apply(
          [&](Args&... a) -> result { return std::invoke(std::move(c.fn), std::move(a)...); },
          c.args);
      st->value = &r;
      st->has_value = true;
    } else {
      ::new (static_cast<void*>(&st->value)) result(std::apply(
          [&](Args&... a) -> result { return std::invoke(std::move(c.fn), std::move(a)...); },
          c.args));
      st->has_value = true;
    }
  }
  // run_in_place() runs a closure that lives on the coroutine's stack.
  static void run_in_place(void* p, task_state_base* b) noexcept {
    auto* st = static_cast<task_state<result>*>(b);
    auto& c = *static_cast<closure*>(p);
    try {
      store(st, c);
    } catch (...) {
      st->exc = std::current_exception();
    }
    c.~closure();
    task_complete(st);
  }
  // run_detached() runs a closure that lives on the coroutine's stack, for a
  // coroutine without a task (spawn_detached): the result is dropped.
  static void run_detached(void* p, task_state_base*) noexcept {
    auto& c = *static_cast<closure*>(p);
    std::exception_ptr e;
    try {
      std::apply([&](Args&... a) { (void)std::invoke(std::move(c.fn), std::move(a)...); }, c.args);
    } catch (...) {
      e = std::current_exception();
    }
    c.~closure();
    if (e) detached_failed(std::move(e));  // outside the handler, as for a task
  }
  // run_owned() runs a heap closure and deletes it.
  static void run_owned(void* p, task_state_base* b) noexcept {
    auto* st = static_cast<task_state<result>*>(b);
    auto* c = static_cast<closure*>(p);
    try {
      store(st, *c);
    } catch (...) {
      st->exc = std::current_exception();
    }
    delete c;
    task_complete(st);
  }
};

}  // namespace cprime::detail

namespace cprime {

template <class F, class... Args>
using spawn_result_t = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;

// task<R> is the move-only handle of a spawned coroutine. join() (or
// co_await / cprime::await) waits for it and returns its value or rethrows its
// exception; it works from coroutines and plain threads. A handle dropped
// without join() detaches: the coroutine keeps running, and an exception
// escaping it is reported on stderr with its spawn site, then the program
// terminates (as std::thread does). Joining an empty or already-joined handle
// throws std::logic_error.
template <class R>
class task : public detail::op_base<task<R>, R> {
 public:
  task() noexcept = default;
  task(task&& o) noexcept : st_(std::exchange(o.st_, nullptr)) {}
  task& operator=(task&& o) noexcept {
    if (this != &o) {
      reset();
      st_ = std::exchange(o.st_, nullptr);
    }
    return *this;
  }
  ~task() { reset(); }

  // joinable() is true until join() returned or threw a task's exception, or detach().
  bool joinable() const noexcept { return st_ != nullptr; }
  // done() is true once the coroutine has finished (join() would not wait).
  bool done() const noexcept {
    if (!st_ || !st_->finished.load(std::memory_order_acquire)) return false;
    detail::tsan_acquire(st_);  // race detector: the task's end happens before
    return true;
  }
  // spawn_site() is where the task was spawned (file == nullptr if unknown).
  site spawn_site() const noexcept { return st_ ? st_->where : site{}; }

  // join() waits for the task; returns its value or rethrows its exception.
  // Throws std::logic_error on an empty handle, cprime::cancelled if the
  // caller is cancelled while waiting (the handle then stays joinable).
  CPRIME_SUSPENDS R join() {
    if (!st_)
      throw std::logic_error(
          "cprime::task::join: empty handle (already joined, detached, moved from, or "
          "default-constructed)");
    detail::task_wait(st_);
    detail::task_state<R>* st = std::exchange(st_, nullptr);
    struct releaser {
      detail::task_state<R>* st;
      ~releaser() { detail::task_release(st); }
    } rel{st};
    if (st->exc) std::rethrow_exception(st->exc);
    if constexpr (std::is_void_v<R>) {
      return;
    } else if constexpr (std::is_reference_v<R>) {
      return static_cast<R>(*st->value);
    } else {
      return std::move(st->value);
    }
  }

  // detach() lets the task run on without a handle.
  void detach() noexcept { reset(); }

  // perform() makes task<R> an awaitable operation (detail/op.hpp).
  CPRIME_SUSPENDS R perform() && { return join(); }

 private:
  template <class F, class... A>
  friend task<spawn_result_t<F, A...>> detail_spawn(const detail::spawn_options&, bool, F&&,
                                                    A&&...);
  explicit task(detail::task_state<R>* st) noexcept : st_(st) {}
  void reset() noexcept {
    if (st_) detail::task_detach(std::exchange(st_, nullptr));
  }
  detail::task_state<R>* st_ = nullptr;
};

// detail_spawn() is the one spawn path: on a coroutine (blocking = false) or
// on the blocking pool. Use spawn / spawn_blocking / detail::spawn_with.
template <class F, class... A>
task<spawn_result_t<F, A...>> detail_spawn(const detail::spawn_options& o, bool blocking, F&& f,
                                           A&&... args) {
  using R = spawn_result_t<F, A...>;
  using C = detail::closure<std::decay_t<F>, std::decay_t<A>...>;
  auto* st = new detail::task_state<R>();
  st->where = o.where;
  st->supervised = o.supervised;
  if (o.supervised && !o.inherit_node) st->node = o.node;
  if (blocking) {
    C* c;
    try {
      c = new C{std::forward<F>(f), {std::forward<A>(args)...}};
    } catch (...) {
      delete st;
      throw;
    }
    detail::blocking_submit(o, &C::run_owned, c, st);
    return task<R>(st);
  }
  detail::prepared_fiber p;
  try {
    p = detail::fiber_prepare(o, sizeof(C), alignof(C), &C::run_in_place, st);
  } catch (...) {
    delete st;
    throw;
  }
  try {
    ::new (p.closure) C{std::forward<F>(f), {std::forward<A>(args)...}};
  } catch (...) {
    detail::fiber_abort(p.f);
    delete st;
    throw;
  }
  detail::fiber_start(p.f);
  return task<R>(st);
}

// spawn(where, f, args…) runs std::invoke(decay-copy(f), decay-copy(args)…)
// on a new coroutine; `where` is its spawn site (the rewriter passes here()).
template <class F, class... A>
  requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS CPRIME_UNSTRUCTURED task<spawn_result_t<F, A...>> spawn(site where, F&& f, A&&... args) {
  return detail_spawn(detail::spawn_options{where}, false, std::forward<F>(f),
                      std::forward<A>(args)...);
}

// spawn(f, args…) is spawn with an unknown site.
template <class F, class... A>
  requires(!std::same_as<std::decay_t<F>, site>) && std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS CPRIME_UNSTRUCTURED task<spawn_result_t<F, A...>> spawn(F&& f, A&&... args) {
  return detail_spawn(detail::spawn_options{}, false, std::forward<F>(f),
                      std::forward<A>(args)...);
}

// stack_size(b) is a spawn option: the new coroutine gets at least b usable
// bytes of stack instead of its runtime's (runtime::builder().stack_size(),
// 1 MiB by default), for the rare deep task. A request at or below the
// default gets the default. Such stacks come from pools of the default times
// a power of two (2, 4, … 32768 times), so b = 3 MiB gets 4 MiB; larger
// throws std::length_error. Pages are committed only when touched.
//   auto h = cprime::spawn(cprime::here(), cprime::stack_size(8 << 20), parse, text);
//   spawn with(cprime::stack_size(8 << 20)) parse(text);   // statement form
struct stack_size {
  constexpr explicit stack_size(std::size_t b) noexcept : bytes(b) {}
  std::size_t bytes;
};

// spawn(where, stack_size(b), f, args…): spawn with a larger stack.
template <class F, class... A>
  requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS CPRIME_UNSTRUCTURED task<spawn_result_t<F, A...>> spawn(site where, stack_size s, F&& f, A&&... args) {
  detail::spawn_options o{where};
  o.stack_size = s.bytes;
  return detail_spawn(o, false, std::forward<F>(f), std::forward<A>(args)...);
}
template <class F, class... A>
  requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS CPRIME_UNSTRUCTURED task<spawn_result_t<F, A...>> spawn(stack_size s, F&& f, A&&... args) {
  return spawn(site{}, s, std::forward<F>(f), std::forward<A>(args)...);
}

// spawn_detached(where, f, args…) is spawn(where, f, args…) whose handle is
// dropped at once — what the statement `spawn f(args);` lowers to — without
// allocating a task: no join, the result is discarded, and an exception
// escaping the call is reported with `where` and terminates the program.
template <class F, class... A>
  requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS CPRIME_UNSTRUCTURED void spawn_detached(site where, F&& f, A&&... args) {
  using C = detail::closure<std::decay_t<F>, std::decay_t<A>...>;
  detail::prepared_fiber p =
      detail::fiber_prepare(detail::spawn_options{where}, sizeof(C), alignof(C), &C::run_detached, nullptr);
  try {
    ::new (p.closure) C{std::forward<F>(f), {std::forward<A>(args)...}};
  } catch (...) {
    detail::fiber_abort(p.f);
    throw;
  }
  detail::fiber_start(p.f);
}

// spawn_detached(where, stack_size(b), f, args…): the same with a larger stack.
template <class F, class... A>
  requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS CPRIME_UNSTRUCTURED void spawn_detached(site where, stack_size s, F&& f, A&&... args) {
  using C = detail::closure<std::decay_t<F>, std::decay_t<A>...>;
  detail::spawn_options o{where};
  o.stack_size = s.bytes;
  detail::prepared_fiber p =
      detail::fiber_prepare(o, sizeof(C), alignof(C), &C::run_detached, nullptr);
  try {
    ::new (p.closure) C{std::forward<F>(f), {std::forward<A>(args)...}};
  } catch (...) {
    detail::fiber_abort(p.f);
    throw;
  }
  detail::fiber_start(p.f);
}

template <class F, class... A>
  requires(!std::same_as<std::decay_t<F>, site>) && std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS CPRIME_UNSTRUCTURED void spawn_detached(F&& f, A&&... args) {
  spawn_detached(site{}, std::forward<F>(f), std::forward<A>(args)...);
}

// spawn_blocking(where, f, args…) runs the call on the runtime's blocking
// thread pool (at most max_blocking_threads at once; the rest queue), for
// blocking syscalls and long CPU work. Its task joins like spawn's.
template <class F, class... A>
  requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS_BLOCKING CPRIME_UNSTRUCTURED task<spawn_result_t<F, A...>> spawn_blocking(site where, F&& f, A&&... args) {
  return detail_spawn(detail::spawn_options{where}, true, std::forward<F>(f),
                      std::forward<A>(args)...);
}

template <class F, class... A>
  requires(!std::same_as<std::decay_t<F>, site>) && std::invocable<std::decay_t<F>, std::decay_t<A>...>
CPRIME_SPAWNS_BLOCKING CPRIME_UNSTRUCTURED task<spawn_result_t<F, A...>> spawn_blocking(F&& f, A&&... args) {
  return detail_spawn(detail::spawn_options{}, true, std::forward<F>(f),
                      std::forward<A>(args)...);
}

namespace detail {
// spawn_with(o, f, args…) spawns with explicit options (runtime, cancel node).
template <class F, class... A>
task<spawn_result_t<F, A...>> spawn_with(const spawn_options& o, F&& f, A&&... args) {
  return detail_spawn(o, false, std::forward<F>(f), std::forward<A>(args)...);
}

// yield_current() lets other runnable coroutines run (a plain thread yields
// its OS time slice). sleep_until_point() suspends until `when`; throws
// cprime::cancelled if cancelled first.
void yield_current() noexcept;
void sleep_until_point(clock::time_point when);
}  // namespace detail

// yield_op: awaitable; lets other coroutines run, then continues.
class [[nodiscard]] yield_op : public detail::op_base<yield_op, void> {
 public:
  CPRIME_SUSPENDS void perform() && { detail::yield_current(); }
};

// sleep_op: awaitable; suspends until its deadline (cancellable).
class [[nodiscard]] sleep_op : public detail::op_base<sleep_op, void> {
 public:
  explicit sleep_op(detail::clock::time_point when) noexcept : when_(when) {}
  CPRIME_SUSPENDS void perform() && { detail::sleep_until_point(when_); }

 private:
  detail::clock::time_point when_;
};

// yield_now() returns an operation that, awaited, yields to other coroutines.
inline yield_op yield_now() noexcept { return yield_op{}; }

// sleep(d) returns an operation that, awaited, suspends the current coroutine
// (or blocks the plain thread) for at least d.
template <class Rep, class Period>
sleep_op sleep(std::chrono::duration<Rep, Period> d) noexcept {
  return sleep_op(detail::deadline_now() + std::chrono::ceil<detail::clock::duration>(d));
}

// sleep_for(d) suspends the current coroutine (or blocks the plain thread)
// for at least d, at once. Throws cprime::cancelled if cancelled first.
template <class Rep, class Period>
CPRIME_SUSPENDS void sleep_for(std::chrono::duration<Rep, Period> d) {
  detail::sleep_until_point(detail::deadline_now() + std::chrono::ceil<detail::clock::duration>(d));
}

// sleep_until(t) suspends until the steady-clock time point t.
CPRIME_SUSPENDS inline void sleep_until(detail::clock::time_point t) { detail::sleep_until_point(t); }

}  // namespace cprime
