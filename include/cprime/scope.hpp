// cprime/scope.hpp — structured concurrency: parallel, timeout, task_group,
// scoped_task.
//
//   #include <cprime/scope.hpp>
//
//   // parallel: every task spawned on `s` finishes before parallel returns,
//   // so the children may capture the caller's locals by reference.
//   std::vector<int> out(3);
//   int total = cprime::parallel([&](cprime::scope& s) {
//     for (int i = 0; i < 3; ++i) s.spawn(cprime::here(), [&, i] { out[i] = i * i; });
//     return 42;                           // parallel's value, once all are done
//   });
//
//   // timeout: true when the deadline hit; the body and its children were
//   // cancelled at their next suspension point, the cprime::cancelled consumed.
//   if (cprime::timeout(std::chrono::milliseconds(50), [&](cprime::scope& s) {
//         s.spawn([&] { cprime::sleep_for(std::chrono::seconds(10)); });
//       })) {
//     std::puts("timed out");
//   }
//
//   // task_group: an errgroup; join_all() rethrows the first error.
//   cprime::task_group g;
//   g.spawn([] { fetch("a"); });
//   g.spawn([] { fetch("b"); });
//   cprime::await(g.join_all());
//
//   // scoped_task: a handle that cancels and joins its task when it leaves scope.
//   {
//     auto pinger = cprime::spawn_scoped([] { for (;;) ping(), cprime::sleep_for(1s); });
//     work();
//   }                                      // pinger cancelled and joined here
//
// CPrime syntax lowers to exactly these calls (docs/lowering.md):
// `parallel { … }` → `::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW([[maybe_unused]] ::cprime::scope& __cprime_scope)) { … })`,
// `timeout (d) { … } else { … }` → `if (::cprime::timeout(d, [&](CPRIME_DETAIL_NOSHADOW([[maybe_unused]] ::cprime::scope& __cprime_scope)) { … })) { … }`,
// a `spawn` directly inside either → `__cprime_scope.spawn(::cprime::here(), …)`
// (or `.spawn_blocking`). Known to the rewriter (rewriter/LowerParallel.cpp,
// LowerTimeout.cpp, LowerSpawn.cpp): the names parallel, timeout, scope,
// scope::spawn and scope::spawn_blocking and their signatures.
//
// The model (docs/cancellation.md): each block owns a cancellation node, a
// child of the node its caller runs in; its body and its children run in it.
// The first exception of the body or of a child (other than a cprime::cancelled
// caused by the block's own cancellation) is recorded and cancels the node:
// every sibling gets cprime::cancelled at its next suspension point. The block
// waits for all children (that wait cannot be interrupted), then rethrows the
// first error.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "cprime/detail/cancel_node.hpp"
#include "cprime/detail/op.hpp"
#include "cprime/detail/park.hpp"
#include "cprime/detail/site.hpp"
#include "cprime/detail/spinlock.hpp"
#include "cprime/detail/timer.hpp"
#include "cprime/errors.hpp"
#include "cprime/task.hpp"

namespace cprime::detail {

// scope_core tracks the children of one structured block (parallel, timeout,
// task_group, scoped_task): how many are still running, the first error, and
// the block's cancellation node.
//
// Invariants (guard: mu_):
//   - pending_ counts children whose function has not returned yet; it is
//     raised before the spawn and lowered by the child as its last access to
//     the scope, so once a waiter sees 0 the scope may be destroyed.
//   - error_ is written once (first error wins) and cleared only by take_error().
//   - a child that lowers pending_ to 0 claims and wakes joiner_ under mu_; the
//     joiner re-takes mu_ before its waiter leaves scope.
//   - touched_ turns true (under mu_) before the first child is counted or
//     the first error or cancellation recorded. The first of these always
//     happens on the block's own coroutine (the body) or on a child, which
//     exists only after that, so the owner that reads touched_ == false
//     knows pending_ == 0 and nothing is recorded: it skips mu_ (a block
//     that spawned nothing, the common timeout, takes no scope lock).
class scope_core {
 public:
  // scope_core(parent) makes the block's node, a child of `parent` (nullptr:
  // a root, cancelled only through this scope).
  explicit scope_core(cancel_node* parent);
  // ~scope_core() releases the node. Precondition: no child is pending.
  ~scope_core();
  scope_core(const scope_core&) = delete;
  scope_core& operator=(const scope_core&) = delete;

  cancel_node* node() const noexcept { return node_; }

  // child_started() counts a child about to be spawned; child_finished()
  // uncounts it (also when its spawn threw).
  void child_started() noexcept;
  void child_finished() noexcept;

  // record_error(e) records e as the first error (if none yet) and cancels
  // the node. record_cancelled(e) is for a cprime::cancelled: expected if the
  // node is cancelled (noted, not an error), else an error (it came from an
  // inner token the block does not own).
  void record_error(std::exception_ptr e) noexcept;
  void record_cancelled(std::exception_ptr e) noexcept;

  // wait_children(cancellable) parks until no child is pending. Returns false
  // (children still running) only if `cancellable` and the caller was
  // cancelled first.
  bool wait_children(bool cancellable) noexcept;
  bool wait_children_hidden(bool cancellable) noexcept;  // without its race-detector edge

  // take_error() returns the first error and clears it.
  std::exception_ptr take_error() noexcept;
  // saw_cancel() is true when the body or a child ended with cprime::cancelled
  // because the node was cancelled.
  bool saw_cancel() noexcept;
  bool has_pending() noexcept;

  // finish_parallel() ends a parallel block after wait_children(): rethrows
  // the first error; else throws cprime::cancelled if the block was
  // interrupted by an enclosing cancellation; else returns.
  void finish_parallel();
  // finish_timeout(hit) ends a timeout block likewise, `hit` = its own
  // deadline passed first: rethrows the first error; else returns true if
  // hit and the block was interrupted (a member saw the cancellation: a
  // suspension point threw cprime::cancelled or cancel_requested() returned
  // true); else throws cprime::cancelled if interrupted by an
  // enclosing cancellation; else returns false (the block completed).
  bool finish_timeout(bool hit);

 private:
  bool take_outcome();
  spinlock mu_;
  std::size_t pending_ = 0;    // guarded by mu_
  waiter* joiner_ = nullptr;   // guarded by mu_
  std::exception_ptr error_;   // guarded by mu_
  bool saw_cancel_ = false;    // guarded by mu_
  std::atomic<bool> touched_{false};  // written under mu_, read by the owner
  cancel_node* const node_;    // immutable; holds one reference
};

// scoped_fn wraps a child's callable: it reports the child's exception to the
// scope (then lets it reach the task's handle too) and uncounts the child
// when the callable returns, after its locals are destroyed.
template <class F>
struct scoped_fn {
  scope_core* sc;
  F f;

  template <class... A>
  std::invoke_result_t<F, A...> operator()(A&&... a) {
    struct finished {
      scope_core* sc;
      ~finished() { sc->child_finished(); }
    } done{sc};
    try {
      return std::invoke(std::move(f), std::forward<A>(a)...);
    } catch (const cancelled&) {
      sc->record_cancelled(std::current_exception());
      throw;
    } catch (...) {
      sc->record_error(std::current_exception());
      throw;
    }
  }
};

// spawn_child() is the one spawn path of every structured block: the child
// runs in the block's node, as a supervised task (its exception is reported
// by the block, never as a detached task's).
template <class F, class... A>
task<spawn_result_t<F, A...>> spawn_child(scope_core& sc, spawn_options o, bool blocking, F&& f,
                                          A&&... a) {
  o.inherit_node = false;
  o.node = sc.node();
  o.supervised = true;
  sc.child_started();
  try {
    return detail_spawn(o, blocking, scoped_fn<std::decay_t<F>>{&sc, std::forward<F>(f)},
                        std::forward<A>(a)...);
  } catch (...) {
    sc.child_finished();
    throw;
  }
}

template <class F, class... A>
task<spawn_result_t<F, A...>> spawn_child(scope_core& sc, site where, bool blocking, F&& f,
                                          A&&... a) {
  return spawn_child(sc, spawn_options{where}, blocking, std::forward<F>(f), std::forward<A>(a)...);
}

// deadline_after(d) is now + d, saturated at time_point::max() (never armed).
template <class Rep, class Period>
clock::time_point deadline_after(std::chrono::duration<Rep, Period> d) noexcept {
  const auto now = deadline_now();
  if (d <= d.zero()) return now;
  using D = clock::duration;
  if (std::chrono::duration<long double, std::nano>(d) >=
      std::chrono::duration<long double, std::nano>(clock::time_point::max() - now))
    return clock::time_point::max();
  return now + std::chrono::ceil<D>(d);
}

// deadline_timer cancels a scope's node when `when` passes, unless the node
// was already cancelled (an earlier deadline or an error wins).
class deadline_timer {
 public:
  deadline_timer(scope_core& sc, clock::time_point when);
  // ~deadline_timer() disarms; after it the timer callback is not running.
  ~deadline_timer();
  deadline_timer(const deadline_timer&) = delete;
  deadline_timer& operator=(const deadline_timer&) = delete;

  // disarm() stops the timer and returns true if the deadline hit first.
  bool disarm() noexcept;

 private:
  static void fire(void* self) noexcept;
  scope_core* sc_;
  timer t_;
  bool armed_ = false;
  std::atomic<bool> hit_{false};  // written by the timer callback
};

// report_unjoined(e, where) prints an error no one joined (a scoped_task or
// task_group destroyed with it) on stderr; null e prints nothing.
void report_unjoined(std::exception_ptr e, site where) noexcept;

// body_result holds the value of a parallel body until the children finish.
template <class R>
struct body_result {
  std::optional<R> v;
  template <class F, class S>
  void run(F& fn, S& s) { v.emplace(std::invoke(fn, s)); }
  R take() { return std::move(*v); }
};
template <class R>
struct body_result<R&> {
  R* v = nullptr;
  template <class F, class S>
  void run(F& fn, S& s) { v = &std::invoke(fn, s); }
  R& take() { return *v; }
};
template <class R>
struct body_result<R&&> {
  R* v = nullptr;
  template <class F, class S>
  void run(F& fn, S& s) { v = &static_cast<R&>(std::invoke(fn, s)); }
  R&& take() { return std::move(*v); }
};
template <>
struct body_result<void> {
  template <class F, class S>
  void run(F& fn, S& s) { std::invoke(fn, s); }
  void take() {}
};

// spawner<D> gives a structured block's handle (scope, task_group) its spawn
// entry points, all on D's scope_core through spawn_child():
//   spawn(where, f, args…)           spawn(f, args…)            (site unknown)
//   spawn_blocking(where, f, args…)  spawn_blocking(f, args…)
//   spawn(where, stack_size(b), f, args…)   spawn(stack_size(b), f, args…)
// Known to the rewriter: `__cprime_scope.spawn(::cprime::here(), …)`.
template <class D>
class spawner {
 public:
  template <class F, class... A>
    requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
  CPRIME_SPAWNS task<spawn_result_t<F, A...>> spawn(site where, F&& f, A&&... a) {
    return spawn_child(core(), where, false, std::forward<F>(f), std::forward<A>(a)...);
  }
  template <class F, class... A>
    requires(!std::same_as<std::decay_t<F>, site>) &&
            std::invocable<std::decay_t<F>, std::decay_t<A>...>
  CPRIME_SPAWNS task<spawn_result_t<F, A...>> spawn(F&& f, A&&... a) {
    return spawn_child(core(), site{}, false, std::forward<F>(f), std::forward<A>(a)...);
  }
  // spawn(where, stack_size(b), f, args…): a child with a larger stack.
  template <class F, class... A>
    requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
  CPRIME_SPAWNS task<spawn_result_t<F, A...>> spawn(site where, cprime::stack_size s, F&& f, A&&... a) {
    spawn_options o{where};
    o.stack_size = s.bytes;
    return spawn_child(core(), o, false, std::forward<F>(f), std::forward<A>(a)...);
  }
  template <class F, class... A>
    requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
  CPRIME_SPAWNS task<spawn_result_t<F, A...>> spawn(cprime::stack_size s, F&& f, A&&... a) {
    return spawn(site{}, s, std::forward<F>(f), std::forward<A>(a)...);
  }
  template <class F, class... A>
    requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
  CPRIME_SPAWNS_BLOCKING task<spawn_result_t<F, A...>> spawn_blocking(site where, F&& f, A&&... a) {
    return spawn_child(core(), where, true, std::forward<F>(f), std::forward<A>(a)...);
  }
  template <class F, class... A>
    requires(!std::same_as<std::decay_t<F>, site>) &&
            std::invocable<std::decay_t<F>, std::decay_t<A>...>
  CPRIME_SPAWNS_BLOCKING task<spawn_result_t<F, A...>> spawn_blocking(F&& f, A&&... a) {
    return spawn_child(core(), site{}, true, std::forward<F>(f), std::forward<A>(a)...);
  }

 private:
  scope_core& core() noexcept { return static_cast<D&>(*this).core_; }
};

}  // namespace cprime::detail

namespace cprime {

class scope;

template <class F>
  requires std::invocable<F&, scope&>
CPRIME_SUSPENDS std::invoke_result_t<F&, scope&> parallel(F&& fn);

template <class Rep, class Period, class F>
  requires std::invocable<F&, scope&>
CPRIME_SUSPENDS bool timeout(std::chrono::duration<Rep, Period> d, F&& fn);

// scope is the handle of one parallel or timeout block, passed to its body.
// Tasks spawned on it run in the block's cancellation node and are waited
// for before the block returns. It cannot be copied or moved; spawning on a
// scope whose block has returned is undefined behaviour.
class scope : public detail::spawner<scope> {
 public:
  scope(const scope&) = delete;
  scope& operator=(const scope&) = delete;

  // spawn(where, f, args…) runs f(args…) (decay-copied, as cprime::spawn) on a
  // new coroutine attached to the block; spawn_blocking(where, f, args…) runs
  // it on the blocking thread pool, attached the same way. The returned handle
  // may be joined or dropped; either way the block waits for the task, and its
  // exception (if any) also fails the block. Overloads without `where` record
  // an unknown site (detail::spawner).
  using detail::spawner<scope>::spawn;
  using detail::spawner<scope>::spawn_blocking;

  // is_cancelled() is true once the block was cancelled (an error, its
  // deadline, or an enclosing cancellation). Seeing true counts as noticing
  // the cancellation (a timeout block then reports its deadline).
  bool is_cancelled() const noexcept {
    detail::cancel_node* n = core_.node();
    if (!n->is_cancelled()) return false;
    n->note_observed();
    return true;
  }

 private:
  friend class detail::spawner<scope>;
  template <class F>
    requires std::invocable<F&, scope&>
  friend std::invoke_result_t<F&, scope&> parallel(F&& fn);
  template <class Rep, class Period, class F>
    requires std::invocable<F&, scope&>
  friend bool timeout(std::chrono::duration<Rep, Period> d, F&& fn);

  scope() : core_(detail::current_cancel_node()) {}

  // run_body() runs fn(*this) inside the block's node and records its
  // exception; then waits for every child.
  template <class R, class F>
  void run_body(detail::body_result<R>& r, F& fn) {
    {
      detail::node_scope in(core_.node());
      try {
        r.run(fn, *this);
      } catch (const cancelled&) {
        core_.record_cancelled(std::current_exception());
      } catch (...) {
        core_.record_error(std::current_exception());
      }
    }
    core_.wait_children(false);
  }

  detail::scope_core core_;
};

// parallel(fn) runs fn(scope) on the calling coroutine (or plain thread),
// waits for every task spawned on the scope, and returns fn's value. The
// first exception — of fn or of a child — cancels the rest and is rethrown
// after all have finished. If an enclosing cancellation interrupted the
// block, it throws cprime::cancelled once all have finished.
template <class F>
  requires std::invocable<F&, scope&>
std::invoke_result_t<F&, scope&> parallel(F&& fn) {
  using R = std::invoke_result_t<F&, scope&>;
  scope s;
  detail::body_result<R> r;
  s.run_body(r, fn);
  s.core_.finish_parallel();
  return r.take();
}

// timeout(d, fn) runs fn(scope) like parallel, under a deadline d from now.
// When the deadline passes first, the block's node is cancelled: fn and every
// task it spawned get cprime::cancelled at their next suspension point (a
// coroutine already parked is woken); once all have finished, timeout returns
// true, having consumed that cancelled. It returns false when everything ran
// to completion — before the deadline, or after it without ever reaching a
// suspension point that observed it (the work was done: `else` does not
// run). Deadlines nest: an enclosing block whose
// deadline comes first cancels this one too, and then this call throws
// cprime::cancelled for the enclosing timeout to consume. The first real
// error is rethrown as in parallel.
template <class Rep, class Period, class F>
  requires std::invocable<F&, scope&>
bool timeout(std::chrono::duration<Rep, Period> d, F&& fn) {
  using R = std::invoke_result_t<F&, scope&>;
  scope s;
  bool hit;
  {
    detail::deadline_timer dl(s.core_, detail::deadline_after(d));
    detail::body_result<R> r;
    s.run_body(r, fn);
    hit = dl.disarm();
  }
  return s.core_.finish_timeout(hit);
}

class task_group;

// join_all_op is the awaitable of task_group::join_all().
class [[nodiscard]] join_all_op : public detail::op_base<join_all_op, void> {
 public:
  explicit join_all_op(task_group& g) noexcept : g_(&g) {}
  CPRIME_SUSPENDS void perform() &&;

 private:
  task_group* g_;
};

// task_group runs tasks that fail together, like Go's errgroup.WithContext:
// spawn() starts a task in the group's cancellation node (a child of the node
// the constructing coroutine runs in); the first exception of a task cancels
// the others; join_all() waits for all and rethrows that first error.
// cancel_remaining() cancels every task of the group (tasks spawned later
// start cancelled). The destructor cancels whatever still runs and waits for
// it; an error nobody joined is reported on stderr. Not copyable or movable.
class task_group : public detail::spawner<task_group> {
 public:
  task_group() : core_(detail::current_cancel_node()) {}
  ~task_group();
  task_group(const task_group&) = delete;
  task_group& operator=(const task_group&) = delete;

  // spawn(where, f, args…) starts f(args…) as a task of the group (and
  // spawn_blocking on the blocking pool); the handle may be joined or dropped.
  using detail::spawner<task_group>::spawn;
  using detail::spawner<task_group>::spawn_blocking;

  // join_all() returns an operation that, awaited, waits for every task of
  // the group and rethrows the first error (clearing it: the group can be
  // reused). It is a cancellation point: if the awaiting coroutine is
  // cancelled, it throws cprime::cancelled and the tasks keep running.
  join_all_op join_all() noexcept { return join_all_op(*this); }

  // cancel_remaining() cancels every running task of the group, and every
  // task spawned on it later. Their cprime::cancelled is not an error.
  void cancel_remaining() noexcept { core_.node()->cancel(); }
  bool is_cancelled() const noexcept { return core_.node()->is_cancelled(); }

 private:
  friend class join_all_op;
  friend class detail::spawner<task_group>;
  detail::scope_core core_;
};

// scoped_task<R> is a task handle bound to a C++ scope: if it was not joined
// by the time it is destroyed, its task is cancelled and waited for (like
// std::jthread's request_stop + join). join() (or cprime::await) returns the
// value or rethrows the task's exception; an exception nobody joined is
// reported on stderr by the destructor (a cprime::cancelled is not).
template <class R>
class scoped_task : public detail::op_base<scoped_task<R>, R> {
 public:
  scoped_task() = default;
  scoped_task(scoped_task&& o) noexcept = default;
  scoped_task& operator=(scoped_task&& o) noexcept {
    if (this != &o) {
      finish();
      core_ = std::move(o.core_);
      t_ = std::move(o.t_);
    }
    return *this;
  }
  ~scoped_task() { finish(); }

  // join() waits for the task (a cancellation point) and returns its value
  // or rethrows its exception.
  CPRIME_SUSPENDS R join() { return t_.join(); }
  CPRIME_SUSPENDS R perform() && { return join(); }
  // cancel() cancels the task (cprime::cancelled at its next suspension point).
  void cancel() noexcept {
    if (core_) core_->node()->cancel();
  }
  bool joinable() const noexcept { return t_.joinable(); }
  bool done() const noexcept { return t_.done(); }

 private:
  template <class F, class... A>
  friend scoped_task<spawn_result_t<F, A...>> spawn_scoped(site, F&&, A&&...);

  void finish() noexcept {
    if (!core_) return;
    if (t_.joinable()) core_->node()->cancel();
    core_->wait_children(false);
    if (t_.joinable()) detail::report_unjoined(core_->take_error(), t_.spawn_site());
    t_.detach();
    core_.reset();
  }

  std::unique_ptr<detail::scope_core> core_;
  task<R> t_;
};

// spawn_scoped(where, f, args…) spawns f(args…) like cprime::spawn, in its own
// cancellation node (a child of the caller's), and returns a scoped_task.
template <class F, class... A>
CPRIME_SPAWNS scoped_task<spawn_result_t<F, A...>> spawn_scoped(site where, F&& f, A&&... a) {
  scoped_task<spawn_result_t<F, A...>> st;
  st.core_ = std::make_unique<detail::scope_core>(detail::current_cancel_node());
  st.t_ = detail::spawn_child(*st.core_, where, false, std::forward<F>(f), std::forward<A>(a)...);
  return st;
}
template <class F, class... A>
  requires(!std::same_as<std::decay_t<F>, site>)
CPRIME_SPAWNS scoped_task<spawn_result_t<F, A...>> spawn_scoped(F&& f, A&&... a) {
  return spawn_scoped(site{}, std::forward<F>(f), std::forward<A>(a)...);
}

}  // namespace cprime

// `spawn` in a macro body outside any block (see the header).
#include "cprime/detail/unscoped.hpp"
