// cprime/cancel.hpp — cancellation_token: cancellation you hold in your hand,
// the CPrime counterpart of Go's context.WithCancel.
//
//   #include <cprime/cancel.hpp>
//
//   cprime::cancellation_token stop;                 // a new root token
//   auto worker = cprime::spawn(cprime::here(), stop, [](cprime::channel<int> jobs) {
//     for (int j : jobs) handle(j);                  // every wait here is cancellable
//   }, jobs);
//   …
//   stop.cancel();                                   // worker gets cprime::cancelled
//                                                    // at its next suspension point
//   // Run a piece of the current coroutine under a token (and still under
//   // the caller's own scope: either cancels it):
//   try {
//     cprime::with_token(stop, [&] { serve(conn); });
//   } catch (const cprime::cancelled&) { log("stopped"); }
//
//   // Wait for cancellation (a cancellation point itself):
//   cprime::await(stop.cancelled());
//
//   // Derive: child tokens are cancelled with their parent, not vice versa.
//   cprime::cancellation_token req = stop.child();
//   // A token that follows the current block (parallel, timeout, task_group …):
//   cprime::cancellation_token here = cprime::cancellation_token::inherit();
//
// Mapping from Go: context.Background()+WithCancel → cancellation_token();
// WithCancel(ctx) → ctx.child() / cancellation_token::inherit(); cancel() →
// cancel(); ctx.Err() != nil → is_cancelled(); <-ctx.Done() →
// cprime::await(tok.cancelled()); passing ctx to `go f(ctx)` → spawn(where,
// tok, f, …) (the coroutine and everything it spawns follow the token);
// WithTimeout/WithDeadline → cprime::timeout (scope.hpp). Unlike Go, a
// cancelled coroutine does not have to poll: every suspension point throws
// cprime::cancelled (docs/cancellation.md).
#pragma once

#include <concepts>
#include <type_traits>
#include <utility>

#include "cprime/detail/cancel_node.hpp"
#include "cprime/detail/tsan.hpp"
#include "cprime/detail/op.hpp"
#include "cprime/detail/site.hpp"
#include "cprime/task.hpp"

namespace cprime::detail {

// wait_cancelled(n) parks until n is cancelled. Throws cprime::cancelled if
// the waiting coroutine itself is cancelled first.
void wait_cancelled(cancel_node* n);

// token_scope makes the current coroutine (or plain thread) run, until
// destroyed, in a fresh node that is a child of the token's node `tok` and
// is also cancelled when the node the caller ran in is cancelled.
class token_scope {
 public:
  explicit token_scope(cancel_node* tok);
  ~token_scope();
  token_scope(const token_scope&) = delete;
  token_scope& operator=(const token_scope&) = delete;

 private:
  static void bridge(void* node) noexcept;
  cancel_node* outer_;   // the caller's node before (may be null)
  cancel_node* node_;    // the fresh node; one reference
  cancel_callback cb_;   // on outer_: cancels node_
  bool linked_ = false;  // cb_ registered on outer_
  node_scope in_;
};

}  // namespace cprime::detail

namespace cprime {

class cancellation_token;

// cancelled_op is the awaitable of cancellation_token::cancelled().
class [[nodiscard]] cancelled_op : public detail::op_base<cancelled_op, void> {
 public:
  cancelled_op(const cancelled_op& o) noexcept : node_(o.node_) { node_->retain(); }
  cancelled_op& operator=(const cancelled_op&) = delete;
  ~cancelled_op() { node_->release(); }
  // perform() returns once the token is cancelled.
  CPRIME_SUSPENDS void perform() && { detail::wait_cancelled(node_); }

 private:
  friend class cancellation_token;
  explicit cancelled_op(detail::cancel_node* n) noexcept : node_(n) { node_->retain(); }
  detail::cancel_node* node_;
};

// cancellation_token is a copyable handle to one cancellation node: copies
// share it. Cancelling a token cancels every coroutine running under it
// (spawned with spawn(where, tok, …), or inside with_token(tok, …)) and every
// token derived from it, at their next suspension point — including one
// already parked. Thread-safe; usable from coroutines and plain threads.
class cancellation_token {
 public:
  // cancellation_token() is a new root token: only its own cancel() (or a
  // parent's, for children) cancels it.
  cancellation_token() : node_(detail::cancel_node::make(nullptr)) {}
  cancellation_token(const cancellation_token& o) noexcept : node_(o.node_) { node_->retain(); }
  cancellation_token& operator=(const cancellation_token& o) noexcept {
    o.node_->retain();
    node_->release();
    node_ = o.node_;
    return *this;
  }
  ~cancellation_token() { node_->release(); }

  // inherit() is a new token that is cancelled when the caller's current
  // cancellation scope is (the enclosing parallel, timeout, task_group,
  // token), or by its own cancel(). With no enclosing scope it is a root.
  static cancellation_token inherit() {
    return cancellation_token(detail::cancel_node::make(detail::current_cancel_node()));
  }
  // child() is a new token cancelled when this one is, or by its own cancel().
  cancellation_token child() const { return cancellation_token(detail::cancel_node::make(node_)); }

  // cancel() cancels the token and its children; idempotent, never throws.
  void cancel() const noexcept { node_->cancel(); }
  // is_cancelled() is true once the token (or an ancestor) was cancelled.
  bool is_cancelled() const noexcept {
    if (!node_->is_cancelled()) return false;
    detail::tsan_cancel_observed();  // race detector: the cancel() happens before
    return true;
  }
  // cancelled() returns an operation that, awaited, returns once the token
  // is cancelled (at once if it already is). Awaiting it is a cancellation
  // point of the awaiting coroutine like any other.
  cancelled_op cancelled() const noexcept { return cancelled_op(node_); }

  friend bool operator==(const cancellation_token& a, const cancellation_token& b) noexcept {
    return a.node_ == b.node_;
  }

  // node() is the underlying cancellation node (runtime use).
  detail::cancel_node* node() const noexcept { return node_; }

 private:
  explicit cancellation_token(detail::cancel_node* adopted) noexcept : node_(adopted) {}
  detail::cancel_node* node_;  // never null; holds one reference
};

// with_token(tok, fn) runs fn() on the current coroutine (or plain thread)
// and returns its value; while it runs, cancelling tok — or the caller's own
// enclosing scope — makes fn's suspension points throw cprime::cancelled
// (which propagates out of with_token). Coroutines spawned inside fn follow
// tok for their whole life, and the caller's scope while fn runs.
template <class F>
  requires std::invocable<F&>
std::invoke_result_t<F&> with_token(const cancellation_token& tok, F&& fn) {
  detail::token_scope in(tok.node());
  detail::throw_if_cancelled();
  return std::invoke(fn);
}

// spawn(where, tok, f, args…) spawns f(args…) (decay-copied, like
// cprime::spawn) on a new coroutine that runs under tok instead of the
// spawner's scope: tok.cancel() cancels it and everything it spawns. Like
// Go's `go f(ctx, …)`.
template <class F, class... A>
  requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
task<spawn_result_t<F, A...>> spawn(site where, const cancellation_token& tok, F&& f,
                                    A&&... args) {
  detail::spawn_options o{where};
  o.inherit_node = false;
  o.node = tok.node();
  return detail::spawn_with(o, std::forward<F>(f), std::forward<A>(args)...);
}
template <class F, class... A>
  requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
task<spawn_result_t<F, A...>> spawn(const cancellation_token& tok, F&& f, A&&... args) {
  return spawn(site{}, tok, std::forward<F>(f), std::forward<A>(args)...);
}

}  // namespace cprime
