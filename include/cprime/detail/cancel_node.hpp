// cprime/detail/cancel_node.hpp — the cancellation tree under parallel,
// timeout, task_group and cancellation_token.
//
// Every coroutine runs in at most one cancel_node (none = never cancelled).
// spawn() puts the new coroutine in the spawner's current node unless told
// otherwise (spawn_options::node). cancel() on a node marks it and every
// descendant cancelled, then claims and wakes — with fired ==
// waiter::cancelled — every cancellable waiter parked by a coroutine or plain
// thread that is a member of one of those nodes; cancel_requested() turns
// true for them, and cprime::await / throw_if_cancelled() throw
// cprime::cancelled at their next suspension point.
//
//   cancel_node* n = cancel_node::make(current_cancel_node());
//   auto t = spawn_in(n, …);                  // child runs in n
//   node_scope in(n);                         // this coroutine joins n too
//   n->cancel();                              // wakes parked members
//   n->release();
//
// Invariants (guard: each node's mu_):
//   - cancelled_ only goes false -> true, under mu_, before the members and
//     children are scanned; members and children link under mu_ and read
//     cancelled_ there, so a member parking races no cancel: either cancel()
//     sees its parked waiter, or park() sees cancelled_.
//   - A child created after its parent was cancelled starts cancelled.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "cprime/detail/spinlock.hpp"

namespace cprime::detail {

struct exec_ctx;  // a coroutine or plain thread (runtime/fiber.hpp)

// cancel_callback is run once, under the node's lock, when its node is
// cancelled: it must be short and must not block (claim-and-wake a waiter).
struct cancel_callback {
  void (*fn)(void* arg) = nullptr;
  void* arg = nullptr;
  cancel_callback* prev_ = nullptr;  // guarded by the node's mu_
  cancel_callback* next_ = nullptr;  // guarded by the node's mu_
  bool linked_ = false;              // guarded by the node's mu_
};

class cancel_node {
 public:
  // make(parent) returns a new node with one reference, a child of `parent`
  // (nullptr: a root that only its own cancel() cancels).
  static cancel_node* make(cancel_node* parent);

  void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  // try_retain() takes a reference unless the count already reached zero
  // (the node is being released: it waits for its parent's mu_ to unlink).
  bool try_retain() noexcept {
    int r = refs_.load(std::memory_order_relaxed);
    while (r > 0)
      if (refs_.compare_exchange_weak(r, r + 1, std::memory_order_relaxed)) return true;
    return false;
  }
  // release() drops a reference; the last one unlinks the node from its parent.
  void release() noexcept;

  // cancel() cancels this node and its subtree; idempotent, never throws,
  // callable from any coroutine, plain thread or timer callback.
  void cancel() noexcept;
  bool is_cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }

  // note_observed() records that a member saw the cancellation (a suspension
  // point threw cprime::cancelled, or cancel_requested() returned true), on
  // this node and its ancestors; observed() reads it. A timeout block uses it
  // to tell a deadline that interrupted work from one that passed unnoticed.
  void note_observed() noexcept {
    for (cancel_node* n = this; n && !n->observed_.load(std::memory_order_relaxed); n = n->parent_)
      n->observed_.store(true, std::memory_order_relaxed);
  }
  bool observed() const noexcept { return observed_.load(std::memory_order_relaxed); }
  cancel_node* parent() const noexcept { return parent_; }

  // add_callback(cb) registers cb to run at cancel(); returns false (and does
  // not register) if the node is already cancelled. remove_callback(cb)
  // unregisters it; after it returns cb is neither running nor will run.
  bool add_callback(cancel_callback& cb) noexcept;
  void remove_callback(cancel_callback& cb) noexcept;

  // join()/leave() make ctx a member (runtime use; see node_scope).
  void join(exec_ctx* ctx) noexcept;
  void leave(exec_ctx* ctx) noexcept;

  spinlock mu_;

 private:
  cancel_node() = default;
  // Nodes come from a per-thread cache of released ones (runtime/cancel.cpp).
  static void* operator new(std::size_t size);
  static void operator delete(void* p) noexcept;
  std::atomic<int> refs_{1};
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> observed_{false};
  cancel_node* parent_ = nullptr;       // immutable; holds a reference
  cancel_node* first_child_ = nullptr;  // guarded by mu_
  cancel_node* prev_sibling_ = nullptr; // guarded by parent_->mu_
  cancel_node* next_sibling_ = nullptr; // guarded by parent_->mu_
  exec_ctx* members_ = nullptr;         // guarded by mu_
  cancel_callback* callbacks_ = nullptr;// guarded by mu_
};

// current_cancel_node() is the node the current coroutine (or plain thread)
// runs in, or nullptr.
cancel_node* current_cancel_node() noexcept;

// node_scope makes the current coroutine (or plain thread) a member of `n`
// (nullptr: of no node) until destroyed, then restores the previous node.
// Used to run a parallel/timeout body "inside" its node.
class node_scope {
 public:
  explicit node_scope(cancel_node* n) noexcept;
  ~node_scope();
  node_scope(const node_scope&) = delete;
  node_scope& operator=(const node_scope&) = delete;

 private:
  exec_ctx* ctx_;  // the member: a coroutine's context stays the same across workers
  cancel_node* prev_;
};

// run_in_node(n, f) runs f() on the current coroutine as a member of n and
// returns its result (exceptions propagate; the previous node is restored).
template <class F>
decltype(auto) run_in_node(cancel_node* n, F&& f) {
  node_scope in(n);
  return std::forward<F>(f)();
}

}  // namespace cprime::detail
