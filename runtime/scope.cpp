// runtime/scope.cpp — the non-template parts of structured concurrency
// (scope.hpp) and cancellation tokens (cancel.hpp), built on cancel_node.
//
// Invariants:
//   - scope_core: see scope.hpp (guard: scope_core::mu_). A child's
//     child_finished() is its last touch of the scope; it wakes the joiner
//     under mu_, and the joiner re-takes mu_ before it returns, so the scope
//     (on the joiner's stack) outlives every access.
//   - deadline_timer: the timer callback touches the scope only until
//     cancel_timer() returns in disarm(); hit_ is written only there. The
//     timer lives in the deadline_timer (the caller's frame): a deadline
//     that does not hit allocates and frees nothing.
//   - token_scope: the bridge callback on the caller's node is unregistered
//     before the bridged node's reference is dropped.
//
// Lock order: a node's mu_ (a cancel callback runs under it) before the
// bridged node's mu_ (token_scope::bridge cancels it). Timer callbacks run
// with no timer lock held (deadline_timer::fire cancels a node).
#include <cstdio>
#include <exception>
#include <mutex>
#include <string>

#include "cprime/cancel.hpp"
#include "cprime/errors.hpp"
#include "cprime/scope.hpp"

namespace cprime::detail {

// ---- scope_core ----
//
// Race-detector edges (detail/tsan.hpp): child_finished() releases on the
// scope as each child's last act; wait_children() acquires it when it
// returns — every child's end happens before the end of its parallel /
// timeout block or task_group::join_all(). The bookkeeping runs hidden.

scope_core::scope_core(cancel_node* parent) : node_(cancel_node::make(parent)) {}

scope_core::~scope_core() { node_->release(); }

void scope_core::child_started() noexcept {
  tsan_hidden hide;
  std::lock_guard g(mu_);
  touched_.store(true, std::memory_order_relaxed);
  ++pending_;
}

void scope_core::child_finished() noexcept {
  tsan_release(this);
  tsan_hidden hide;
  std::lock_guard g(mu_);
  if (--pending_ != 0) return;
  if (waiter* w = std::exchange(joiner_, nullptr)) {
    if (w->try_claim()) {
      w->fired = 0;
      w->wake();
    }
  }
}

void scope_core::record_error(std::exception_ptr e) noexcept {
  tsan_hidden hide;
  {
    std::lock_guard g(mu_);
    touched_.store(true, std::memory_order_relaxed);
    if (error_) return;
    error_ = std::move(e);
  }
  node_->cancel();
}

void scope_core::record_cancelled(std::exception_ptr e) noexcept {
  tsan_hidden hide;
  if (node_->is_cancelled()) {
    std::lock_guard g(mu_);
    touched_.store(true, std::memory_order_relaxed);
    saw_cancel_ = true;
    return;
  }
  record_error(std::move(e));
}

bool scope_core::wait_children(bool cancellable) noexcept {
  bool done;
  {
    tsan_hidden hide;
    done = wait_children_hidden(cancellable);
  }
  tsan_acquire(this);
  return done;
}

// No thread-safety analysis: the lock is released by park() (spinlock::unlock_fn).
bool scope_core::wait_children_hidden(bool cancellable) noexcept CPRIME_SPIN_NO_TSA {
  if (!touched_.load(std::memory_order_acquire)) return true;  // no child ever
  waiter w(cancellable);
  w.reason = "scope join";
  mu_.lock();
  if (pending_ == 0) {
    mu_.unlock();
    return true;
  }
  joiner_ = &w;
  park(w, &spinlock::unlock_fn, &mu_);
  {
    std::lock_guard g(mu_);
    if (joiner_ == &w) joiner_ = nullptr;
  }
  return w.fired != waiter::cancelled;
}

std::exception_ptr scope_core::take_error() noexcept {
  if (!touched_.load(std::memory_order_acquire)) return nullptr;
  tsan_hidden hide;
  std::lock_guard g(mu_);
  saw_cancel_ = false;
  return std::exchange(error_, nullptr);
}

bool scope_core::saw_cancel() noexcept {
  if (!touched_.load(std::memory_order_acquire)) return false;
  tsan_hidden hide;
  std::lock_guard g(mu_);
  return saw_cancel_;
}

bool scope_core::has_pending() noexcept {
  if (!touched_.load(std::memory_order_acquire)) return false;
  tsan_hidden hide;
  std::lock_guard g(mu_);
  return pending_ != 0;
}

// take_outcome() rethrows the first error, else returns whether the block
// was interrupted (the body or a child saw the cancellation).
bool scope_core::take_outcome() {
  if (!touched_.load(std::memory_order_acquire)) return false;  // nothing recorded
  bool interrupted;
  std::exception_ptr e;
  {
    tsan_hidden hide;
    std::lock_guard g(mu_);
    e = std::exchange(error_, nullptr);
    interrupted = saw_cancel_;
  }
  if (e) std::rethrow_exception(e);
  return interrupted;
}

void scope_core::finish_parallel() {
  if (take_outcome()) throw cancelled();
}

bool scope_core::finish_timeout(bool hit) {
  const bool interrupted = take_outcome();
  // The deadline counts only if it interrupted something: a body and
  // children that never saw the cancellation (no suspension point threw
  // cprime::cancelled, cancel_requested() never said so) ran to completion
  // and did their work, even if the deadline passed meanwhile
  // (docs/timeout.md). Whoever saw it marked the node (note_observed), and
  // every child has finished, so the flag is final here.
  if (hit) return interrupted || node_->observed();
  if (interrupted) throw cancelled();
  return false;
}

// ---- deadline_timer ----

deadline_timer::deadline_timer(scope_core& sc, clock::time_point when) : sc_(&sc) {
  tsan_hidden hide;
  if (when != clock::time_point::max()) {
    armed_ = true;
    arm_timer(t_, when, &fire, this);
  }
}

deadline_timer::~deadline_timer() { disarm(); }

void deadline_timer::fire(void* self) noexcept {
  auto* d = static_cast<deadline_timer*>(self);
  cancel_node* n = d->sc_->node();
  // An earlier cancellation (an enclosing deadline, an error) wins: the block
  // then reports that one, not this deadline.
  if (n->is_cancelled()) return;
  d->hit_.store(true, std::memory_order_release);
  n->cancel();
}

bool deadline_timer::disarm() noexcept {
  tsan_hidden hide;
  if (armed_) {
    cancel_timer(t_);
    armed_ = false;
  }
  return hit_.load(std::memory_order_acquire);
}

// ---- reports ----

void report_unjoined(std::exception_ptr e, site where) noexcept {
  if (!e) return;
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    what = x.what();
  } catch (...) {
  }
  std::fprintf(stderr, "cprime: unjoined error of the task spawned at %s:%u: %s\n",
               where.file ? where.file : "<unknown site>", where.line, what.c_str());
  std::fflush(stderr);
}

// ---- cancellation tokens ----

namespace {
void wake_token_waiter(void* arg) noexcept {
  auto* w = static_cast<waiter*>(arg);
  if (w->try_claim()) {
    w->fired = 0;
    w->wake();
  }
}
}  // namespace

namespace {
void wait_cancelled_hidden(cancel_node* n);
}  // namespace

void wait_cancelled(cancel_node* n) {
  {
    tsan_section hide;
    wait_cancelled_hidden(n);
  }
  tsan_cancel_observed();  // the cancel() we waited for happens before
}

namespace {
void wait_cancelled_hidden(cancel_node* n) {
  if (n->is_cancelled()) return;
  waiter w(true);
  w.reason = "token";
  cancel_callback cb{&wake_token_waiter, &w};
  if (!n->add_callback(cb)) return;
  park(w, nullptr, nullptr);
  // After remove_callback the callback is neither running nor will run, so
  // w may leave scope.
  n->remove_callback(cb);
  if (w.fired == waiter::cancelled) throw_cancelled();
}
}  // namespace

token_scope::token_scope(cancel_node* tok)
    : outer_(current_cancel_node()),
      node_(cancel_node::make(tok)),
      cb_{&bridge, node_},
      in_(node_) {
  tsan_hidden hide;
  if (outer_) {
    linked_ = outer_->add_callback(cb_);
    if (!linked_) node_->cancel();
  }
}

token_scope::~token_scope() {
  tsan_hidden hide;
  if (linked_) outer_->remove_callback(cb_);
  node_->release();  // in_ still holds its own reference until it is destroyed
}

void token_scope::bridge(void* node) noexcept { static_cast<cancel_node*>(node)->cancel(); }

}  // namespace cprime::detail

namespace cprime {

// ---- task_group ----

void join_all_op::perform() && {
  if (!g_->core_.wait_children(true)) detail::throw_cancelled();
  if (std::exception_ptr e = g_->core_.take_error()) std::rethrow_exception(e);
}

task_group::~task_group() {
  if (core_.has_pending()) {
    core_.node()->cancel();
    core_.wait_children(false);
  }
  detail::report_unjoined(core_.take_error(), site{});
}

}  // namespace cprime
