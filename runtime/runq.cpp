// runtime/runq.cpp — run queues: a worker's ring and runnext, work stealing,
// the runtime's global queue, and the pick of what a worker runs next.
//
// Model: Go's scheduler. Each worker owns a bounded ring (single producer,
// stealers CAS the head) and a `runnext` slot; a runtime has one global
// (injection) queue. A wake from a worker of the same runtime goes to that
// worker's runnext (message-passing locality: the woken coroutine runs next,
// on the same core); anything else goes to the global queue (idle.cpp,
// ready()).
//
// Invariants:
//   - runnext is taken at most runnext_limit times in a row while the ring
//     has work, so a ping-pong pair cannot starve the rest of the ring; the
//     global queue is polled every 61st pick so it cannot starve either.
//   - A runnext is stolen only from a victim that did not switch for
//     runnext_grace, a short ring only from one that did not switch for
//     ring_grace (steal()); the monitor's retake() covers a runnext stuck
//     while no worker spins.
//   - In a one-worker runtime nobody steals, so the owner moves runnext and
//     the ring's head with plain stores (other threads only read them).
//
// Hot path: compiled in one translation unit with fiber.cpp, park.cpp and
// idle.cpp (UNITY_GROUP switch_path, runtime/CMakeLists.txt).
#include <algorithm>
#include <chrono>

#include "cprime/detail/spinlock.hpp"
#include "runtime_impl.hpp"
#include "timer_wheel.hpp"

namespace cprime::detail {

namespace {

constexpr uint32_t runnext_limit = 16;
// LIFO picks in a row before a ring holding FIFO-only entries gives its head
// a turn (see pick_local()).
constexpr uint32_t lifo_limit = 16;
constexpr auto runnext_grace = std::chrono::microseconds(3);
// A victim's ring shorter than steal_backlog is stolen only after the owner
// made no progress (no switch) for ring_grace (see steal()). 3 µs (runnext_grace)
// let a producer that fills a buffered channel for ~15 µs without switching
// lose its consumers to the other worker, and the two then fought over one
// channel lock: mpmc at 2 workers 38 -> 15.7 ns/item with 20 µs; skynet,
// select, ring, pingpong unchanged or better. Work that computes for longer
// than that is stolen after it; short tasks stay with their cluster.
constexpr auto ring_grace = std::chrono::microseconds(20);
constexpr uint32_t steal_backlog = 8;

constexpr uint32_t N = worker::ring_size;

// Ring entries carry a "LIFO ok" bit in the low bit (fibers are 64-byte
// aligned), so a pick can look at an entry it has not claimed without
// touching the fiber, which a thief may already be running. Set for a fresh
// spawn and for a wake displaced from runnext (a message-passing partner
// that runnext would have run next); clear for a yield and the like, which
// must wait their FIFO turn.
inline fiber* entry(fiber* f, bool lifo_ok) noexcept {
  return reinterpret_cast<fiber*>(reinterpret_cast<uintptr_t>(f) | uintptr_t{lifo_ok});
}
inline fiber* untag(fiber* e) noexcept {
  return reinterpret_cast<fiber*>(reinterpret_cast<uintptr_t>(e) & ~uintptr_t{1});
}
inline bool lifo_entry(fiber* e) noexcept { return reinterpret_cast<uintptr_t>(e) & 1; }

}  // namespace

// runq_put() appends f to w's ring; a full ring moves half of itself and f to
// the global queue. Owner only.
bool runtime_impl::runq_put(worker* w, fiber* f, bool lifo_ok) noexcept {
  for (;;) {
    uint32_t h = w->head.load(std::memory_order_acquire);
    uint32_t t = w->tail.load(std::memory_order_relaxed);
    if (t - h < N) {
      fiber* e = entry(f, lifo_ok);
      if (!lifo_entry(e)) ++w->ring_stale;
      w->ring[t % N].store(e, std::memory_order_relaxed);
      w->tail.store(t + 1, std::memory_order_release);
      return true;
    }
    constexpr uint32_t n = N / 2;
    fiber* batch[n];
    for (uint32_t i = 0; i < n; ++i)
      batch[i] = untag(w->ring[(h + i) % N].load(std::memory_order_relaxed));
    if (!w->head.compare_exchange_strong(h, h + n, std::memory_order_acq_rel)) continue;
    fiber* all[n + 1];
    std::copy(batch, batch + n, all);
    all[n] = f;
    global_push(all, n + 1);
    return false;
  }
}

// runq_get() takes the ring's head, as a tagged entry. Owner only (stealers
// use steal()).
fiber* runtime_impl::runq_get(worker* w) noexcept {
  for (;;) {
    uint32_t h = w->head.load(std::memory_order_acquire);
    uint32_t t = w->tail.load(std::memory_order_relaxed);
    if (t == h) return nullptr;
    fiber* f = w->ring[h % N].load(std::memory_order_relaxed);
    if (w->head.compare_exchange_weak(h, h + 1, std::memory_order_acq_rel)) return f;  // tagged
  }
}

// steal() moves half of victim's ring into thief's (empty) ring and returns
// one of them; with take_runnext, an empty ring yields the victim's runnext.
// runq_pop_lifo() takes the ring's tail entry if its LIFO bit is set (a
// fresh spawn or a displaced wake, see pick_local). Owner only. The Chase-Lev deque's take:
// publish the lower tail, then read head; thieves read head, then tail
// (steal()), all seq_cst, so at most one side gets an entry both could reach.
// A thief takes at most half (rounded up) of what it sees, which never
// includes the tail entry while two or more remain; the last entry is
// settled by a CAS on head.
fiber* runtime_impl::runq_pop_lifo(worker* w) noexcept {
  uint32_t t = w->tail.load(std::memory_order_relaxed);
  uint32_t h = w->head.load(std::memory_order_acquire);
  if (t == h) return nullptr;
  // The tag is a hint only: the entry may be stolen by now; the protocol
  // below decides who has it.
  if (!lifo_entry(w->ring[(t - 1) % N].load(std::memory_order_relaxed))) return nullptr;
  --t;
  // seq_cst exchange + seq_cst load: the store-load order Chase-Lev needs,
  // with a locked instruction instead of mfence (several times slower on
  // AMD). Pairs with the seq_cst loads and CAS in steal().
  w->tail.exchange(t, std::memory_order_seq_cst);
  h = w->head.load(std::memory_order_seq_cst);
  if (static_cast<int32_t>(t - h) > 0) return untag(w->ring[t % N].load(std::memory_order_relaxed));
  fiber* got = nullptr;
  if (t == h) {
    got = untag(w->ring[t % N].load(std::memory_order_relaxed));
    if (!w->head.compare_exchange_strong(h, h + 1, std::memory_order_seq_cst,
                                         std::memory_order_relaxed))
      got = nullptr;
  }
  // Empty now (the last entry taken by us or a thief): tail back to head.
  w->tail.store(t + 1, std::memory_order_relaxed);
  return got;
}

// stalled_for() spins for `grace` and tells whether victim made no progress
// (no switch) meanwhile. runs is read twice only: each read costs the victim
// a cache miss.
static bool stalled_for(worker* victim, std::chrono::microseconds grace) noexcept {
  const uint64_t r0 = victim->runs.load(std::memory_order_relaxed);
  const auto until = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < until)
    for (int i = 0; i < 16; ++i) cpu_relax();
  return victim->runs.load(std::memory_order_relaxed) == r0;
}

fiber* runtime_impl::steal(worker* thief, worker* victim, bool take_runnext) noexcept {
  uint32_t tt = thief->tail.load(std::memory_order_relaxed);
  bool waited = false;
  for (;;) {
    // seq_cst: pairs with runq_pop_lifo() (Chase-Lev; plain loads on x86).
    uint32_t h = victim->head.load(std::memory_order_seq_cst);
    uint32_t t = victim->tail.load(std::memory_order_seq_cst);
    if (static_cast<int32_t>(t - h) < 0) t = h;  // the owner is taking its last entry
    uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) {
      if (!take_runnext) return nullptr;
      fiber* nx = victim->runnext.load(std::memory_order_acquire);
      if (!nx) return nullptr;
      // Go's rule: a runnext was usually just readied by the victim's running
      // coroutine, which is about to park and let it run on the same core
      // (a message-passing pair). Give the victim runnext_grace; steal only
      // if it made no progress meanwhile.
      if (!stalled_for(victim, runnext_grace)) return nullptr;
      if (victim->runnext.compare_exchange_strong(nx, nullptr, std::memory_order_acq_rel)) return nx;
      return nullptr;
    }
    if (n > N / 2) continue;  // h and t read inconsistently
    if (t - h < steal_backlog && !waited) {
      // A short queue on a worker that keeps switching is a message-passing
      // cluster (coroutines that wake each other, Go's runnext case): its
      // owner runs them within microseconds on a warm cache, and splitting
      // the cluster over two cores makes every later hand-off a cache-line
      // transfer (select at 2 workers: 149 -> ~90 ns/item). Steal only if
      // the owner made no progress for ring_grace. A backlog of
      // steal_backlog or more is stolen at once.
      waited = true;
      if (!stalled_for(victim, ring_grace)) return nullptr;
      continue;  // re-read the queue
    }
    for (uint32_t i = 0; i < n; ++i)
      thief->ring[(tt + i) % N].store(victim->ring[(h + i) % N].load(std::memory_order_relaxed),
                                      std::memory_order_relaxed);
    if (!victim->head.compare_exchange_strong(h, h + n, std::memory_order_seq_cst)) continue;
    fiber* f = untag(thief->ring[(tt + n - 1) % N].load(std::memory_order_relaxed));
    for (uint32_t i = 0; i + 1 < n; ++i)
      if (!lifo_entry(thief->ring[(tt + i) % N].load(std::memory_order_relaxed))) ++thief->ring_stale;
    if (n > 1) thief->tail.store(tt + n - 1, std::memory_order_release);
    return f;
  }
}

void runtime_impl::global_push(fiber* const* fs, std::size_t n) noexcept {
  std::lock_guard g(global_mu_);
  global_.insert(global_.end(), fs, fs + n);
  global_size_.store(global_.size(), std::memory_order_release);
}

// global_take() takes a fair share of the global queue: one to run, the rest
// onto w's ring.
fiber* runtime_impl::global_take(worker* w) noexcept {
  if (global_size_.load(std::memory_order_acquire) == 0) return nullptr;
  fiber* batch[N / 2];
  std::size_t n;
  {
    std::lock_guard g(global_mu_);
    std::size_t size = global_.size();
    if (size == 0) return nullptr;
    n = std::min<std::size_t>(size / workers_.size() + 1, N / 2);
    n = std::min(n, size);
    std::copy(global_.begin(), global_.begin() + n, batch);
    global_.erase(global_.begin(), global_.begin() + n);
    global_size_.store(global_.size(), std::memory_order_release);
  }
  for (std::size_t i = 1; i < n; ++i)
    runq_put(w, batch[i], batch[i]->fresh.load(std::memory_order_relaxed));
  return batch[0];
}

// pick_local() chooses what w runs next, in this order: the global queue
// every 61st pick; runnext (at most runnext_limit in a row); the ring's tail
// if its LIFO bit is set (see below); the ring's head (FIFO).
//
// LIFO for fresh spawns (Cilk's work-first order; Chase-Lev deque): a
// coroutine that spawns children and waits for them gets its newest child
// run first, so a spawn tree is walked depth-first and only a path's worth
// of stacks is alive and cache-hot (skynet: ~500 stacks instead of ~80,000).
// A wake displaced from runnext by a newer one is LIFO too (it is what
// runnext would have run next; queued FIFO it would let the oldest, biggest
// subtree start and the walk turn breadth-first). Thieves still take the
// oldest half (whole subtrees). Fairness: a FIFO-only entry (a yield, a
// coroutine from the global queue) stops the LIFO walk below it, and while
// the ring holds any (ring_stale, an overestimate), the head gets a turn
// after lifo_limit LIFO picks; LIFO entries left at the bottom get a turn
// whenever the monitor sees the head unmoved for a tick (fifo_due,
// retake()).
fiber* runtime_impl::pick_local(worker* w) noexcept {
  if (++w->tick % 61 == 0 && global_size_.load(std::memory_order_relaxed) > 0) {
    if (fiber* f = global_take(w)) return f;
  }
  fiber* nx = w->runnext.load(std::memory_order_relaxed);
  const bool lifo_ok = (w->ring_stale == 0 || w->lifo_streak < lifo_limit) &&
                       !w->fifo_due.load(std::memory_order_relaxed);
  if (workers_.size() == 1) {
    // No stealers in a one-worker runtime: runnext and the ring are this
    // thread's alone (others only read them), so no atomic RMW is needed.
    if (nx && w->runnext_streak < runnext_limit) {
      ++w->runnext_streak;
      w->runnext.store(nullptr, std::memory_order_relaxed);
      return nx;
    }
    w->runnext_streak = 0;
    const uint32_t h = w->head.load(std::memory_order_relaxed);
    const uint32_t t = w->tail.load(std::memory_order_relaxed);
    if (h != t) {
      if (lifo_ok) {
        fiber* e = w->ring[(t - 1) % N].load(std::memory_order_relaxed);
        if (lifo_entry(e)) {
          ++w->lifo_streak;
          w->tail.store(t - 1, std::memory_order_release);
          return untag(e);
        }
      }
      return take_head_done(w, w->ring[h % N].load(std::memory_order_relaxed), h + 1);
    }
    w->ring_stale = 0;
    if (nx) w->runnext.store(nullptr, std::memory_order_relaxed);
    return nx;
  }
  if (nx && w->runnext_streak < runnext_limit &&
      w->runnext.compare_exchange_strong(nx, nullptr, std::memory_order_acq_rel)) {
    ++w->runnext_streak;
    return nx;
  }
  w->runnext_streak = 0;
  if (lifo_ok) {
    if (fiber* f = runq_pop_lifo(w)) {
      ++w->lifo_streak;
      return f;
    }
  }
  if (fiber* f = runq_get(w)) return take_head_done(w, f, 0);
  w->ring_stale = 0;
  return w->runnext.exchange(nullptr, std::memory_order_acq_rel);
}

// take_head_done() does the bookkeeping of a pick from the ring's head (and,
// with new_head != 0, publishes the head of a one-worker runtime).
fiber* runtime_impl::take_head_done(worker* w, fiber* e, uint32_t new_head) noexcept {
  if (new_head) w->head.store(new_head, std::memory_order_release);
  w->lifo_streak = 0;
  if (w->fifo_due.load(std::memory_order_relaxed))
    w->fifo_due.store(false, std::memory_order_relaxed);
  if (w->ring_stale && !lifo_entry(e)) --w->ring_stale;
  return untag(e);
}

bool runtime_impl::any_work() noexcept {
  if (global_size_.load(std::memory_order_acquire) > 0) return true;
  for (worker* v : workers_) {
    if (v->tail.load(std::memory_order_acquire) != v->head.load(std::memory_order_acquire))
      return true;
    if (v->runnext.load(std::memory_order_acquire)) return true;
  }
  return false;
}

bool runtime_impl::takeable_work(worker* self, bool runnext) noexcept {
  if (global_size_.load(std::memory_order_acquire) > 0) return true;
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    worker* v = workers_[i];
    if (v == self) continue;
    const uint32_t t = v->tail.load(std::memory_order_acquire);
    const uint32_t h = v->head.load(std::memory_order_acquire);
    const auto len = static_cast<int32_t>(t - h);
    if (len >= static_cast<int32_t>(steal_backlog)) return true;
    const bool some = len > 0 || (runnext && v->runnext.load(std::memory_order_acquire));
    if (some && v->runs.load(std::memory_order_relaxed) == self->seen_runs[i]) return true;
  }
  return false;
}

// pick_next() is pick_local() for a coroutine switching away (park, yield,
// exit): coroutine-to-coroutine switches never pass through find_runnable(),
// so every timer_check_every of them look at the wheel, and when a timer is
// due, go to the scheduler context (find_runnable() fires it first).
fiber* runtime_impl::pick_next(worker* w) noexcept {
  if (++w->timer_tick >= timer_check_every) {
    w->timer_tick = 0;
    const int64_t nx = wheel_next_ns(w->wheel);
    if (nx != INT64_MAX && now_ns() >= nx) return nullptr;
  }
  return pick_local(w);
}

// wake_batch() makes the coroutines the timers just woke runnable, latest

}  // namespace cprime::detail
