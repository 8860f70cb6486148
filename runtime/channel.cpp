// runtime/channel.cpp — the non-template channel core (Go's runtime/chan.go).
//
// Invariants (c->lock held):
//   - At least one of c->sendq and c->recvq holds no claimable node, except
//     while a select is parked with both a send and a receive arm on c.
//   - For a buffered channel: count > 0 implies recvq holds no claimable
//     node; count < cap implies sendq holds no claimable node. A sender
//     parks only when the buffer is full, a receiver only when it is empty.
//   - For an unbuffered channel count == 0 always.
//   - closed never goes back to false; once closed, both queues hold no
//     claimable node (close claimed them all) and nothing is enqueued again.
//   - A queued node may be stale: its waiter was claimed by another arm of
//     its select, a timer or a cancellation. Whoever pops it skips it; its
//     owner unlinks it under the lock if it is still linked.
//   - A node is unlinked before its waiter is woken by a channel operation,
//     so an owner whose waiter fired with an operation result (fired >= 0)
//     never needs the lock again for that node.
//   - pins counts the waits that may still touch c: every linked node, and
//     every unlinked node whose owner has yet to unpin (stale, or told to
//     retry by close). c is freed when refs and pins are both zero: by the
//     last chan_release if pins == 0, else by the owner of the last pin.
//
// Lock order: select takes several channel locks in address order; every
// other path holds at most one channel lock. A timer's lock is a leaf (its
// callbacks run without it), so timers are armed with a channel lock held.
// wake() is called after the lock is released whenever the code allows, to
// keep critical sections short.
//
// after()/ticker() channels own their timer (chan_core::timer): the last
// handle's release cancels it (waiting out a callback in flight) and frees
// both at once, however far the deadline.
#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <thread>

#include "cprime/channel.hpp"
#include "cprime/detail/channel_core.hpp"
#include "cprime/detail/tsan.hpp"

namespace cprime::detail {

// chan_timer is the timer of an after()/ticker() channel. Its callbacks only
// try_send; the channel outlives them (chan_last_ref cancels the timer first).
struct chan_timer {
  timer t;
  chan_core* c;
  clock::duration period;  // ticker; zero for after
  clock::time_point next;
};

void chan_queue::push(chan_node* n) noexcept {
  n->prev = tail;
  n->next = nullptr;
  if (tail)
    tail->next = n;
  else
    head.store(n, std::memory_order_relaxed);
  tail = n;
  n->linked = true;
}

void chan_queue::unlink(chan_node* n) noexcept {
  if (n->prev)
    n->prev->next = n->next;
  else
    head.store(n->next, std::memory_order_relaxed);
  if (n->next)
    n->next->prev = n->prev;
  else
    tail = n->prev;
  n->prev = n->next = nullptr;
  n->linked = false;
}

chan_node* chan_queue::pop_claimed() noexcept {
  while (chan_node* n = head.load(std::memory_order_relaxed)) {
    unlink(n);
    if (n->w->try_claim()) return n;
  }
  return nullptr;
}

namespace {

std::byte* slot_at(chan_core* c, std::size_t i) noexcept CPRIME_CHAN_REQUIRES(c->lock) {
  std::size_t k = c->head + i;
  if (k >= c->cap) k -= c->cap;
  return c->buf + k * c->slot_size;
}

// move_item() moves one item. Trivially copyable items of the common small
// sizes are copied with a fixed-size memcpy (a load and a store) rather than
// a call to memcpy or to the move constructor.
inline void move_item(const elem_ops* ops, void* dst, void* src) noexcept {
  if (ops->trivial) {
    switch (ops->size) {
      case 8: std::memcpy(dst, src, 8); return;
      case 4: std::memcpy(dst, src, 4); return;
      case 16: std::memcpy(dst, src, 16); return;
      case 1: std::memcpy(dst, src, 1); return;
      default: std::memcpy(dst, src, ops->size); return;
    }
  }
  ops->move_construct(dst, src);
}

void destroy_item(const elem_ops* ops, void* p) noexcept {
  if (!ops->trivial) ops->destroy(p);
}

// complete() records that the claimed node n of c's queue completed: its
// operation happened (ok) or found c closed. It drops n's pin: the owner
// will not touch c for n again. The caller wakes n->w after unlocking c.
void complete(chan_core* c, chan_node* n, bool ok) noexcept CPRIME_CHAN_REQUIRES(c->lock) {
  n->ok = ok;
  n->w->fired = n->index;
  c->pins--;  // never the last reference: the caller holds one
}

void unlock_core(void* arg) noexcept CPRIME_CHAN_NO_TSA { static_cast<chan_core*>(arg)->lock.unlock(); }

void on_deadline(void* arg) noexcept {
  auto* w = static_cast<waiter*>(arg);
  if (w->try_claim()) {
    w->fired = waiter::timed_out;
    w->wake();
  }
}

// deadline_in(timeout) is the deadline of an operation that must wait now
// for at most timeout (> 0); duration::max() and overflow saturate to never.
clock::time_point deadline_in(clock::duration timeout) noexcept {
  const clock::time_point now = deadline_now();
  return timeout >= clock::time_point::max() - now ? clock::time_point::max() : now + timeout;
}

// wait_nil() is an operation on the nil channel: it never proceeds.
chan_status wait_nil(chan_wait wait, clock::duration timeout) {
  if (wait == chan_wait::never) return chan_status::would_block;
  const bool timed = wait == chan_wait::within;
  if (timed && timeout <= timeout.zero()) return chan_status::timed_out;
  const clock::time_point deadline = timed ? deadline_in(timeout) : clock::time_point{};
  for (;;) {
    waiter w;
    w.reason = "chan nil";
    timer t;
    if (timed) arm_timer(t, deadline, &on_deadline, &w);
    park(w, nullptr, nullptr);
    if (timed && w.fired != waiter::timed_out) cancel_timer(t);
    if (w.fired == waiter::cancelled) throw_cancelled();
    if (w.fired == waiter::timed_out) return chan_status::timed_out;
  }
}

// send_impl()/recv_impl() are send_locked()/recv_locked(), inlined into the
// single operations of run_single().
[[gnu::always_inline]] inline chan_status send_impl(chan_core* c, void* elem, waiter** wake) noexcept
    CPRIME_CHAN_REQUIRES(c->lock) {
  if (c->closed.load(std::memory_order_relaxed)) return chan_status::closed;
  if (chan_node* r = c->recvq.pop_claimed()) {
    // Direct handoff: the item goes straight into the receiver's storage.
    move_item(c->ops, r->elem, elem);
    complete(c, r, true);
    *wake = r->w;
    return chan_status::ok;
  }
  if (const std::size_t n = c->count.load(std::memory_order_relaxed); n < c->cap) {
    move_item(c->ops, slot_at(c, n), elem);
    c->count.store(n + 1, std::memory_order_relaxed);
    return chan_status::ok;
  }
  return chan_status::would_block;
}

[[gnu::always_inline]] inline chan_status recv_impl(chan_core* c, void* dst, waiter** wake) noexcept
    CPRIME_CHAN_REQUIRES(c->lock) {
  if (std::size_t n = c->count.load(std::memory_order_relaxed); n > 0) {
    std::byte* h = slot_at(c, 0);
    move_item(c->ops, dst, h);
    destroy_item(c->ops, h);
    if (++c->head == c->cap) c->head = 0;
    --n;
    // The buffer was full if a sender is parked: its item takes the freed
    // tail slot, keeping FIFO order.
    if (chan_node* s = c->sendq.pop_claimed()) {
      move_item(c->ops, slot_at(c, n), s->elem);
      ++n;
      complete(c, s, true);
      *wake = s->w;
    }
    c->count.store(n, std::memory_order_relaxed);
    return chan_status::ok;
  }
  if (chan_node* s = c->sendq.pop_claimed()) {
    move_item(c->ops, dst, s->elem);
    complete(c, s, true);
    *wake = s->w;
    return chan_status::ok;
  }
  if (c->closed.load(std::memory_order_relaxed)) return chan_status::closed;
  return chan_status::would_block;
}

// run_single() is every single (non-select) send or receive: try under the
// lock; if it would block and the caller waits, park one node on the queue.
template <bool is_send>
chan_status run_single(chan_core* c, void* elem, chan_wait wait, clock::duration timeout) CPRIME_CHAN_NO_TSA {
  if (!c) return wait_nil(wait, timeout);
  constexpr auto op = is_send ? &send_impl : &recv_impl;  // a constant: inlined
  waiter* wk = nullptr;
  c->lock.lock();
  chan_status s = op(c, elem, &wk);
  if (s != chan_status::would_block || wait == chan_wait::never) {
    c->lock.unlock();
    if (wk) wk->wake();
    return s;
  }

  const bool timed = wait == chan_wait::within;
  if (timed && timeout <= timeout.zero()) {
    c->lock.unlock();
    return chan_status::timed_out;
  }
  waiter w;
  // One timer, armed only once the operation must wait (on this worker's
  // wheel, under the channel lock: the wheel's lock is a leaf), cancelled
  // when the operation completes first. The clock is read here, once.
  timer t;
  if (timed) arm_timer(t, deadline_in(timeout), &on_deadline, &w);

  w.reason = is_send ? "chan send" : "chan recv";
  if (!timed) w.set_lock_only();  // no timer, no select: only lock holders claim w
  chan_node n;
  n.w = &w;
  n.core = c;
  n.elem = elem;
  n.is_send = is_send;
  chan_queue& q = is_send ? c->sendq : c->recvq;
  q.push(&n);
  chan_pin(c);
  // Order is important here: n is on the queue before park() releases the
  // lock, and park() releases it only once a wake can no longer be lost.
  park(w, &unlock_core, c);
  // A timer that claimed w is done with it once park() returned.
  if (timed && w.fired != waiter::timed_out) cancel_timer(t);
  // Completed by an operation or close: n is unlinked and unpinned.
  if (w.fired >= 0) return n.ok ? chan_status::ok : chan_status::closed;
  // Timed out or cancelled: another operation may have unlinked n (skipping
  // it as stale) or not; only the lock tells.
  c->lock.lock();
  if (n.linked) q.unlink(&n);
  bool last = chan_unpin(c);
  c->lock.unlock();
  if (last) chan_destroy(c);
  if (w.fired == waiter::cancelled) throw_cancelled();
  return chan_status::timed_out;
}

}  // namespace

chan_core* chan_make(const elem_ops* ops, std::size_t cap) {
  std::size_t slot = (ops->size + ops->align - 1) / ops->align * ops->align;
  std::size_t align = std::max<std::size_t>(alignof(chan_core), ops->align);
  std::size_t header = (sizeof(chan_core) + ops->align - 1) / ops->align * ops->align;
  if (slot != 0 && cap > (SIZE_MAX - header) / slot) throw std::length_error("cprime::channel: capacity too large");
  void* mem = ::operator new(header + cap * slot, std::align_val_t(align));
  return ::new (mem) chan_core(ops, cap, slot, static_cast<std::byte*>(mem) + header);
}

void chan_last_ref(chan_core* c) noexcept {
  tsan_hidden hide;
  if (chan_timer* t = c->timer) {
    // after()/ticker(): no handle remains, so nobody can receive; stop the
    // timer (a callback in flight finishes first) and free it now.
    cancel_timer(t->t);
    delete t;
    c->timer = nullptr;
  }
  c->lock.lock();
  bool pinned = c->pins > 0;
  c->orphaned = pinned;
  c->lock.unlock();
  if (!pinned) chan_destroy(c);
}

void chan_destroy(chan_core* c) noexcept CPRIME_CHAN_NO_TSA {
  tsan_hidden hide;
  // No handle, operation or pinned wait can reach c any more.
  if (!c->ops->trivial)
    for (std::size_t i = 0, n = c->count.load(std::memory_order_relaxed); i < n; ++i)
      c->ops->destroy(slot_at(c, i));
  std::size_t align = std::max<std::size_t>(alignof(chan_core), c->ops->align);
  c->~chan_core();
  ::operator delete(static_cast<void*>(c), std::align_val_t(align));
}

chan_status send_locked(chan_core* c, void* elem, waiter** wake) noexcept { return send_impl(c, elem, wake); }

chan_status recv_locked(chan_core* c, void* dst, waiter** wake) noexcept { return recv_impl(c, dst, wake); }

// Race-detector edges (detail/tsan.hpp, docs/race-detector.md); the
// operations themselves run hidden. A send releases on the channel's send
// address before it starts; a receive that gets an item acquires it, so the
// send happens before the receive completes — buffered, handed to a parked
// receiver, or taken from a parked sender alike. A receive releases on the
// receive address; a send acquires it once it completes: on an unbuffered
// channel the receive happens before the send completes, and on a buffered
// one an earlier receive happens before a send that needed its room (the
// channel-as-semaphore idiom). A close releases on the close address; a
// receive or send that reports `closed` acquires it.
void chan_tsan_begin(chan_core* c, bool is_send) noexcept {
  if (c) tsan_release(is_send ? chan_tsan_send(c) : chan_tsan_recv(c));
}

void chan_tsan_end(chan_core* c, bool is_send, chan_status s) noexcept {
  if (!c) return;
  if (s == chan_status::ok)
    tsan_acquire(is_send ? chan_tsan_recv(c) : chan_tsan_send(c));
  else if (s == chan_status::closed)
    tsan_acquire(chan_tsan_close(c));
}

namespace {
// run_traced() is run_single() between the race detector's channel edges.
template <bool is_send>
chan_status run_traced(chan_core* c, void* elem, chan_wait wait, clock::duration timeout) {
  chan_tsan_begin(c, is_send);
  chan_status s;
  {
    tsan_section hide;
    s = run_single<is_send>(c, elem, wait, timeout);
  }
  chan_tsan_end(c, is_send, s);
  return s;
}
}  // namespace

chan_status chan_send(chan_core* c, void* elem, chan_wait wait, clock::duration timeout) {
  return run_traced<true>(c, elem, wait, timeout);
}

chan_status chan_recv(chan_core* c, void* dst, chan_wait wait, clock::duration timeout) {
  return run_traced<false>(c, dst, wait, timeout);
}

bool chan_close(chan_core* c) noexcept {
  tsan_release(chan_tsan_close(c));
  tsan_hidden hide;
  chan_node* woken = nullptr;  // claimed nodes, chained through next
  c->lock.lock();
  if (c->closed.load(std::memory_order_relaxed)) {
    c->lock.unlock();
    return false;
  }
  c->closed.store(true, std::memory_order_release);
  while (chan_node* n = c->recvq.pop_claimed()) {
    if (n->typed) {
      // The select re-evaluates and unpins n itself.
      n->ok = false;
      n->w->fired = select_retry;
    } else {
      complete(c, n, false);
    }
    n->next = woken;
    woken = n;
  }
  while (chan_node* n = c->sendq.pop_claimed()) {
    complete(c, n, false);
    n->next = woken;
    woken = n;
  }
  c->lock.unlock();
  while (woken) {
    // Order is important here: read next before wake(), after which the
    // owner may return and destroy the node.
    chan_node* next = woken->next;
    woken->w->wake();
    woken = next;
  }
  return true;
}

std::size_t chan_size(chan_core* c) noexcept {
  tsan_hidden hide;
  c->lock.lock();
  std::size_t n = c->count.load(std::memory_order_relaxed);
  c->lock.unlock();
  return n;
}

namespace {

void send_now(chan_core* c) noexcept CPRIME_CHAN_NO_TSA {
  clock::time_point now = clock::now();
  waiter* wk = nullptr;
  c->lock.lock();
  send_locked(c, &now, &wk);
  c->lock.unlock();
  if (wk) wk->wake();
}

void after_fire(void* arg) noexcept { send_now(static_cast<chan_timer*>(arg)->c); }

void ticker_fire(void* arg) noexcept {
  auto* t = static_cast<chan_timer*>(arg);
  if (t->c->closed.load(std::memory_order_acquire)) return;  // stopped; freed with the channel
  send_now(t->c);
  clock::time_point now = clock::now();
  t->next += t->period;
  if (t->next <= now) t->next += ((now - t->next) / t->period + 1) * t->period;  // drop missed ticks
  arm_timer(t->t, t->next, &ticker_fire, t);
}

}  // namespace

}  // namespace cprime::detail

namespace cprime {

time_channel after(std::chrono::nanoseconds d) {
  using detail::clock;
  detail::chan_core* c = detail::chan_make(&detail::elem_ops_for<clock::time_point>, 1);
  time_channel ch(detail::adopt_t{}, c);
  if (d <= d.zero()) {
    detail::send_now(c);
    return ch;
  }
  auto* t = new detail::chan_timer{{}, c, {}, clock::now() + d};
  c->timer = t;
  detail::arm_timer(t->t, t->next, &detail::after_fire, t);
  return ch;
}

time_channel ticker(std::chrono::nanoseconds d) {
  using detail::clock;
  if (d <= d.zero()) throw std::invalid_argument("cprime::ticker: non-positive period");
  detail::chan_core* c = detail::chan_make(&detail::elem_ops_for<clock::time_point>, 1);
  time_channel ch(detail::adopt_t{}, c);
  auto* t = new detail::chan_timer{{}, c, d, clock::now() + d};
  c->timer = t;
  detail::arm_timer(t->t, t->next, &detail::ticker_fire, t);
  return ch;
}

}  // namespace cprime
