// cprime/detail/channel_core.hpp — the non-template channel core.
//
// channel<T> (cprime/channel.hpp) and select (cprime/select.hpp) are thin
// templates over this core. The core is type-erased by an elem_ops table
// (size, alignment, move-construct, destroy), so every operation is written
// once, here and in runtime/channel.cpp:
//
//   send, try_send, send_timeout, select's send arm  → send_locked()
//   recv, try_recv, recv_timeout, select's recv arm  → recv_locked()
//   blocking waits of a single operation             → chan_send()/chan_recv()
//   close                                            → chan_close()
//   select                                           → select_run() (select.cpp)
//
// A blocked operation is a chan_node (Go's sudog) on the blocked side's stack,
// linked into the channel's sendq or recvq and pointing at a detail::waiter.
// A whole select parks on one waiter with one node per arm.
//
// Known to runtime/channel.cpp and runtime/select.cpp. The invariants are
// written at the top of runtime/channel.cpp.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

#include "cprime/detail/park.hpp"
#include "cprime/detail/spinlock.hpp"
#include "cprime/detail/tsan.hpp"
#include "cprime/detail/timer.hpp"

#if defined(__clang__)
#define CPRIME_CHAN_CAPABILITY(x) __attribute__((capability(x)))
#define CPRIME_CHAN_GUARDED_BY(x) __attribute__((guarded_by(x)))
#define CPRIME_CHAN_REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define CPRIME_CHAN_ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define CPRIME_CHAN_RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define CPRIME_CHAN_NO_TSA __attribute__((no_thread_safety_analysis))
#else
#define CPRIME_CHAN_CAPABILITY(x)
#define CPRIME_CHAN_GUARDED_BY(x)
#define CPRIME_CHAN_REQUIRES(...)
#define CPRIME_CHAN_ACQUIRE(...)
#define CPRIME_CHAN_RELEASE(...)
#define CPRIME_CHAN_NO_TSA
#endif

namespace cprime::detail {

// elem_ops describes a channel's element type to the type-erased core.
// move_construct(dst, src) constructs a T at dst from std::move(*src); src
// stays alive (moved-from) and its owner destroys it. A throwing move
// constructor terminates (the core moves items with its lock held).
struct elem_ops {
  std::size_t size;
  std::size_t align;
  bool trivial;  // trivially copyable and destructible: memcpy, no destroy
  void (*move_construct)(void* dst, void* src) noexcept;
  void (*destroy)(void* p) noexcept;
};

template <class T>
inline constexpr elem_ops elem_ops_for{
    sizeof(T),
    alignof(T),
    std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
    [](void* dst, void* src) noexcept { ::new (dst) T(std::move(*static_cast<T*>(src))); },
    [](void* p) noexcept { static_cast<T*>(p)->~T(); },
};

struct chan_core;
struct chan_timer;  // runtime/channel.cpp: the timer of an after()/ticker() channel

// chan_node is one blocked operation on one channel (Go's sudog): a single
// send or receive, or one arm of a parked select. It lives on the blocked
// side's stack. Fields marked "owner" are written before the node is linked
// and not changed while it is; fields marked "claimer" are written only by
// whoever wins w->try_claim(), before w->wake().
struct chan_node {
  waiter* w = nullptr;        // owner
  chan_core* core = nullptr;  // owner: the channel whose queue holds the node
  void* elem = nullptr;       // owner: send — the item to move from;
                              //        recv — raw storage to construct into
  int index = 0;              // owner: the value the claimer stores in w->fired
  bool is_send = false;       // owner
  bool typed = false;         // owner: recv arm disabled by close; close makes
                              //        the owner re-evaluate instead of firing
  bool ok = false;            // claimer: true = item moved, false = closed
  bool linked = false;        // guarded by core->lock
  chan_node* prev = nullptr;  // guarded by core->lock
  chan_node* next = nullptr;  // guarded by core->lock
};

// chan_queue is an intrusive FIFO of chan_nodes (sendq or recvq). head is
// written only under the channel's lock but is atomic (relaxed: plain moves)
// so that select may peek at it without the lock (chan_maybe_ready()).
struct chan_queue {
  std::atomic<chan_node*> head{nullptr};
  chan_node* tail = nullptr;
  bool empty() const noexcept { return head.load(std::memory_order_relaxed) == nullptr; }
  void push(chan_node* n) noexcept;
  void unlink(chan_node* n) noexcept;
  // pop_claimed() unlinks nodes from the head until one whose waiter it can
  // claim, and returns it (claimed, unlinked), or null. Nodes whose waiter
  // was claimed by someone else (a select that fired elsewhere, a timeout, a
  // cancellation) are unlinked and skipped: their owners will not touch them
  // again except to check `linked` under the lock.
  chan_node* pop_claimed() noexcept;
};

// select_retry is the waiter::fired value close() stores for a typed select
// arm: the arm is now disabled, so the select must re-evaluate (it may have
// no arm left that can fire, and then throws channel_closed).
inline constexpr int select_retry = -100;

// chan_status is the outcome of one channel operation.
enum class chan_status : uint8_t { ok, would_block, closed, timed_out };

// chan_wait selects how a single operation waits when it cannot proceed:
// not at all, until it can, or for at most a timeout counted from the moment
// it finds it must wait (so an operation that proceeds at once never reads
// the clock).
enum class chan_wait : uint8_t { never, forever, within };

// chan_core is one channel: its lock, buffer and wait queues, followed in the
// same allocation by `cap` element slots.
struct alignas(64) chan_core {
  std::atomic<uint32_t> refs{1};  // handles, ops and timers referring to it
  // The channel lock (detail/spinlock.hpp): critical sections are a few dozen
  // instructions and never park, switch or call user code other than T's move
  // constructor.
  spinlock lock;
  std::atomic<bool> closed{false};  // written under lock; read anywhere
  std::size_t head CPRIME_CHAN_GUARDED_BY(lock) = 0;   // slot of the oldest buffered item
  // buffered items; written under lock, atomic (relaxed) for the same peek
  std::atomic<std::size_t> count{0};
  chan_queue recvq CPRIME_CHAN_GUARDED_BY(lock);    // blocked receivers
  chan_queue sendq CPRIME_CHAN_GUARDED_BY(lock);    // blocked senders
  // pins counts queued waits whose owners may still touch the core (see
  // chan_pin); orphaned is set when refs reached zero while pins > 0: the
  // owner that drops the last pin then frees the core.
  uint32_t pins CPRIME_CHAN_GUARDED_BY(lock) = 0;
  bool orphaned CPRIME_CHAN_GUARDED_BY(lock) = false;
  chan_timer* timer = nullptr;  // after()/ticker(): set once before publication
  const elem_ops* ops;                              // immutable
  std::size_t cap;                                  // immutable
  std::size_t slot_size;                            // immutable: size rounded to align
  std::byte* buf;                                   // immutable: cap slots

  chan_core(const elem_ops* o, std::size_t c, std::size_t s, std::byte* b) noexcept
      : ops(o), cap(c), slot_size(s), buf(b) {}
};

// chan_maybe_ready() peeks, without the lock, whether a send (is_send) or a
// receive on c might proceed now: false means it would have blocked a moment
// ago. A hint for select's fast pass only; the locked try decides.
inline bool chan_maybe_ready(const chan_core* c, bool is_send) noexcept CPRIME_CHAN_NO_TSA {
  if (c->closed.load(std::memory_order_relaxed)) return true;
  const std::size_t n = c->count.load(std::memory_order_relaxed);
  if (is_send) return n < c->cap || !c->recvq.empty();
  return n > 0 || !c->sendq.empty();
}

// chan_make() allocates a channel with one reference. Throws std::bad_alloc.
chan_core* chan_make(const elem_ops* ops, std::size_t cap);
// chan_destroy() destroys buffered items and frees c. refs and pins must be
// zero.
void chan_destroy(chan_core* c) noexcept;
// chan_last_ref() runs when refs reaches zero: frees c, or marks it orphaned
// if a parked wait still pins it.
void chan_last_ref(chan_core* c) noexcept;

inline void chan_retain(chan_core* c) noexcept {
  if (c) c->refs.fetch_add(1, std::memory_order_relaxed);
}
inline void chan_release(chan_core* c) noexcept {
  tsan_hidden hide;  // race detector: dropping a handle orders nothing
  if (c && c->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) chan_last_ref(c);
}

// Pins keep a channel alive while a parked wait refers to it, even if every
// handle goes away meanwhile (an operation borrows its handle, see chan_ref),
// without an atomic operation: they are counted under the lock the wait
// holds anyway. The owner pins when it enqueues its node; whoever completes
// the node with an operation result (fired = node.index) unpins, since the
// owner will not touch the core for that node again; in every other case
// (timeout, cancellation, a select woken elsewhere or told to retry) the
// owner unpins after unlinking.
inline void chan_pin(chan_core* c) noexcept CPRIME_CHAN_REQUIRES(c->lock) { ++c->pins; }
// chan_unpin() returns true if the caller must free c (chan_destroy) after
// unlocking it.
inline bool chan_unpin(chan_core* c) noexcept CPRIME_CHAN_REQUIRES(c->lock) {
  return --c->pins == 0 && c->orphaned;
}

// chan_ref is how an operation (send_op, recv_op, a select case) refers to
// its channel: borrowed from an lvalue handle, which must still refer to the
// channel when the operation is performed (as a std::string_view must
// outlive nothing it views), or owning one reference (made from an rvalue
// handle: `make_chan().recv()`, `select_case c(cprime::after(1s))`).
// Borrowing keeps two atomic read-modify-writes off every operation; a
// blocking operation pins the channel while it waits (chan_pin).
class chan_ref {
 public:
  chan_ref(chan_core* c, bool owned) noexcept : c_(c), owned_(owned) {}
  chan_ref(chan_ref&& o) noexcept : c_(o.c_), owned_(o.owned_) { o.owned_ = false; }
  chan_ref& operator=(chan_ref&&) = delete;
  ~chan_ref() {
    if (owned_) chan_release(c_);
  }
  chan_core* get() const noexcept { return c_; }

 private:
  chan_core* c_;
  bool owned_;
};

// send_locked() is the send operation (every flavour): with c locked, hand
// *elem to a blocked receiver, or buffer it, or report would_block/closed.
// On ok, *elem is moved-from; otherwise untouched. If a blocked receiver was
// claimed, it is returned in *wake: call (*wake)->wake() after unlocking c.
chan_status send_locked(chan_core* c, void* elem, waiter** wake) noexcept CPRIME_CHAN_REQUIRES(c->lock);
// recv_locked() is the receive operation (every flavour): with c locked,
// construct the next item at dst (raw storage) from the buffer or a blocked
// sender, or report would_block/closed. A blocked sender that was claimed is
// returned in *wake, to be woken after unlocking c.
chan_status recv_locked(chan_core* c, void* dst, waiter** wake) noexcept CPRIME_CHAN_REQUIRES(c->lock);

// chan_send()/chan_recv() run one send/receive on c (null = nil channel),
// waiting per `wait` (for at most `timeout` with chan_wait::within: <= 0
// gives up at once, clock::duration::max() never). Throw cprime::cancelled
// if the current coroutine is cancelled while waiting.
chan_status chan_send(chan_core* c, void* elem, chan_wait wait, clock::duration timeout);
chan_status chan_recv(chan_core* c, void* dst, chan_wait wait, clock::duration timeout);

// chan_close() closes c, waking every blocked sender (closed) and receiver
// (closed, or re-evaluate for a typed select arm). True the first time.
bool chan_close(chan_core* c) noexcept;
std::size_t chan_size(chan_core* c) noexcept;

// Race-detector edges of one operation on c (runtime/channel.cpp explains
// them): chan_tsan_begin() before it starts, chan_tsan_end() with its
// outcome. The addresses are fields of c used only as names.
inline const void* chan_tsan_send(const chan_core* c) noexcept { return &c->sendq; }
inline const void* chan_tsan_recv(const chan_core* c) noexcept { return &c->recvq; }
inline const void* chan_tsan_close(const chan_core* c) noexcept { return &c->closed; }
void chan_tsan_begin(chan_core* c, bool is_send) noexcept;
void chan_tsan_end(chan_core* c, bool is_send, chan_status s) noexcept;

// select_arm is one arm of a select, as the select.hpp templates fill it in.
struct select_arm {
  chan_core* core = nullptr;  // null: nil channel, never ready (unless timed)
  bool timed = false;         // an after arm: ready `timeout` after the select
                              // first polls it, at `deadline`; no channel
  bool deadline_set = false;  // select_run: `deadline` computed (first poll)
  clock::duration timeout{};
  clock::time_point deadline{};
  void* elem = nullptr;       // send: the item; recv: raw storage for the item
  bool is_send = false;
  bool typed = false;         // recv arm disabled once closed and drained
  chan_status result = chan_status::would_block;  // set when the arm fires
  bool pinned = false;        // select_run: this arm's node pins core
  chan_node node;             // enqueued while the select is parked
};

// select_run() is selectgo: it fires exactly one arm and returns its index,
// or returns -1 if `has_default` and no arm is ready. Throws
// cprime::channel_closed when no arm can ever fire, cprime::cancelled if
// the current coroutine is cancelled while parked. `order` and `locks` are
// scratch space for n entries each.
int select_run(select_arm* const* arms, std::size_t n, bool has_default, uint32_t* order,
               chan_core** locks);

}  // namespace cprime::detail
