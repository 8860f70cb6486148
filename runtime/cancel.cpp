// runtime/cancel.cpp — the cancellation tree (see detail/cancel_node.hpp for
// the contract and invariants).
//
// Lock order: a parent's mu_ before a child's is never needed: cancel()
// releases a node's mu_ before descending, and link/unlink of a child takes
// only the parent's mu_.
#include <vector>

#include "fiber.hpp"  // CPRIME_ASAN_FIBERS, CPRIME_TSAN_FIBERS
#include "runtime_impl.hpp"

namespace cprime::detail {

// Race detector (detail/tsan.hpp): the tree's bookkeeping runs hidden;
// cancel() releases on tsan_cancel_sync first, for whoever observes it.

// Nodes are recycled through a small per-thread cache: every parallel and
// timeout block makes one and drops it, usually on the same worker, and
// malloc + free was a tenth of a timeout block's cost. A node released on
// another thread joins that thread's cache. Under the sanitizers nodes come
// from the heap, so ASan sees each use after release and TSan sees each
// reuse as a fresh object.
namespace {
#if defined(CPRIME_ASAN_FIBERS) || defined(CPRIME_TSAN_FIBERS)
constexpr unsigned node_cache_cap = 0;
#else
constexpr unsigned node_cache_cap = 32;
#endif
struct node_cache {
  void* slot[node_cache_cap ? node_cache_cap : 1];
  unsigned n = 0;
};
// Plain storage, no destructor: at thread exit the cached nodes are left to
// the process (at most 32 small blocks per thread that ever made a node).
thread_local constinit node_cache tl_nodes{};
}  // namespace

void* cancel_node::operator new(std::size_t size) {
  if constexpr (node_cache_cap > 0) {
    node_cache& c = tl_nodes;
    if (c.n) return c.slot[--c.n];
  }
  return ::operator new(size);
}

void cancel_node::operator delete(void* p) noexcept {
  if constexpr (node_cache_cap > 0) {
    node_cache& c = tl_nodes;
    if (c.n < node_cache_cap) {
      c.slot[c.n++] = p;
      return;
    }
  }
  ::operator delete(p);
}

cancel_node* cancel_node::make(cancel_node* parent) {
  tsan_hidden hide;
  auto* n = new cancel_node;
  if (parent) {
    parent->retain();
    n->parent_ = parent;
    std::lock_guard g(parent->mu_);
    // Order is important here: linked and checked under the parent's lock,
    // so a concurrent parent->cancel() either sees the child or the child
    // sees the parent cancelled.
    n->next_sibling_ = parent->first_child_;
    if (parent->first_child_) parent->first_child_->prev_sibling_ = n;
    parent->first_child_ = n;
    if (parent->is_cancelled()) n->cancelled_.store(true, std::memory_order_release);
  }
  return n;
}

void cancel_node::release() noexcept {
  tsan_hidden hide;  // dropping a reference orders nothing
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  if (cancel_node* p = parent_) {
    {
      std::lock_guard g(p->mu_);
      if (prev_sibling_)
        prev_sibling_->next_sibling_ = next_sibling_;
      else
        p->first_child_ = next_sibling_;
      if (next_sibling_) next_sibling_->prev_sibling_ = prev_sibling_;
    }
    p->release();
  }
  delete this;
}

void cancel_node::cancel() noexcept {
  tsan_release(&tsan_cancel_sync);
  tsan_hidden hide;
  std::vector<cancel_node*> kids;
  {
    std::lock_guard g(mu_);
    if (cancelled_.load(std::memory_order_relaxed)) {
      // Children made before a cancel are already cancelled by it, and later
      // ones start cancelled.
      return;
    }
    cancelled_.store(true, std::memory_order_release);
    for (exec_ctx* c = members_; c; c = c->node_next) {
      waiter* w = c->cur_waiter;
      if (w && w->cancellable() && w->try_claim()) {
        w->fired = waiter::cancelled;
        w->wake();
      }
    }
    for (cancel_callback* cb = callbacks_; cb; cb = cb->next_) {
      cb->linked_ = false;
      cb->fn(cb->arg);
    }
    callbacks_ = nullptr;
    // A child whose last reference is gone is blocked in release() on our
    // mu_, about to unlink and delete itself: resurrecting it would be a
    // use after free. It has no members and no children left to cancel.
    for (cancel_node* k = first_child_; k; k = k->next_sibling_)
      if (k->try_retain()) kids.push_back(k);
  }
  for (cancel_node* k : kids) {
    k->cancel();
    k->release();
  }
}

bool cancel_node::add_callback(cancel_callback& cb) noexcept {
  tsan_hidden hide;
  std::lock_guard g(mu_);
  if (is_cancelled()) return false;
  cb.prev_ = nullptr;
  cb.next_ = callbacks_;
  if (callbacks_) callbacks_->prev_ = &cb;
  callbacks_ = &cb;
  cb.linked_ = true;
  return true;
}

void cancel_node::remove_callback(cancel_callback& cb) noexcept {
  tsan_hidden hide;
  std::lock_guard g(mu_);
  if (!cb.linked_) return;
  if (cb.prev_)
    cb.prev_->next_ = cb.next_;
  else
    callbacks_ = cb.next_;
  if (cb.next_) cb.next_->prev_ = cb.prev_;
  cb.linked_ = false;
}

void cancel_node::join(exec_ctx* c) noexcept {
  std::lock_guard g(mu_);
  c->node = this;
  c->cur_waiter = nullptr;
  c->node_prev = nullptr;
  c->node_next = members_;
  if (members_) members_->node_prev = c;
  members_ = c;
}

void cancel_node::leave(exec_ctx* c) noexcept {
  std::lock_guard g(mu_);
  if (c->node_prev)
    c->node_prev->node_next = c->node_next;
  else
    members_ = c->node_next;
  if (c->node_next) c->node_next->node_prev = c->node_prev;
  c->node_prev = c->node_next = nullptr;
  c->cur_waiter = nullptr;
  c->node = nullptr;
}

cancel_node* current_cancel_node() noexcept { return current_ctx()->node; }

node_scope::node_scope(cancel_node* n) noexcept {
  exec_ctx* c = ctx_ = current_ctx();
  prev_ = c->node;
  if (prev_ == n) {
    if (n) n->retain();  // balanced in the destructor
    return;
  }
  if (prev_) prev_->leave(c);
  if (n) {
    n->retain();
    n->join(c);
  }
}

node_scope::~node_scope() {
  exec_ctx* c = ctx_;
  cancel_node* n = c->node;
  if (n == prev_) {
    if (n) n->release();
    return;
  }
  if (n) {
    n->leave(c);
    n->release();
  }
  if (prev_) prev_->join(c);
}

}  // namespace cprime::detail
