// runtime/select.cpp — select over channel arms (Go's runtime/select.go).
//
// select_run() is written as Go's selectgo, in labelled passes:
//   pass 1  poll order: a uniformly random permutation of the arms
//   fast    in poll order, peek at each arm without its lock
//           (chan_maybe_ready); for one that looks ready, lock that channel
//           alone and try it; the first that proceeds fires. Linearizable:
//           it fires at a moment it was ready; an arm passed over was not
//           ready when looked at, as if the select had polled then.
//   pass 0  (only if the fast pass fired nothing) lock order: the distinct
//           channels, sorted by address
//   pass 2  lock every channel, poll the arms in poll order; the first ready
//           arm fires (so the winner is uniform among the ready arms)
//   pass 3  nothing ready: default → -1; no arm can ever fire → throw
//           channel_closed; otherwise enqueue one node per live arm, all on
//           one waiter, and park (park releases every lock)
//   pass 4  woken: unlink the nodes that are still queued, one channel at a
//           time; the fired arm's node was unlinked by its claimer
//
// After arms (`_ = cprime::after(d) =>`, select_case<after_arm>) have no
// channel: pass 2 reads the clock once, fixes each after arm's deadline at
// its first poll (now + timeout) and fires one whose deadline passed; pass 3
// arms one timer for the earliest of them on the select's waiter, cancelled
// when a channel arm fires first. A select whose channel arm is ready in the
// fast pass never reads the clock or touches a timer.
//
// Invariants:
//   - While the select is parked, every live arm has exactly one node linked
//     on its channel, all pointing to one waiter; the first operation (or
//     close) that claims the waiter decides the outcome; every later one
//     finds the waiter claimed and skips the node.
//   - Every lock is held from the start of pass 2 until park() commits the
//     coroutine to sleep (or the select returns or throws), so no arm can
//     become ready unnoticed between the poll and the enqueue.
//   - close() claims a typed arm's waiter with fired = select_retry: the arm
//     is disabled now, and the select re-runs from pass 1; that re-run is
//     how a parked select notices that no arm can fire any more.
//   - The same channel may back several arms (even a send and a receive):
//     it is locked once; an arm never matches a node of its own select,
//     because nodes are enqueued only after every arm was polled.
#include <cstdint>

#include "cprime/detail/channel_core.hpp"
#include "cprime/detail/tsan.hpp"
#include "cprime/errors.hpp"

namespace cprime::detail {

namespace {

// rng_state is a per-thread wyrand generator (cheap, good enough for
// fairness; not for secrets).
thread_local uint64_t rng_state = 0;

// random_permutation() fills order[0..n) with a uniformly random permutation
// (inside-out Fisher–Yates). noinline: a coroutine may resume on another
// thread after park(), so the thread_local is never touched across park().
// One 64-bit draw serves several indices (Lemire's multiply-shift: the high
// half of r * bound is the index, the low half the rest of the randomness);
// a fresh draw every 8 indices keeps the entropy well above what is used.
[[gnu::noinline]] void random_permutation(uint32_t* order, std::size_t n) noexcept {
  uint64_t s = rng_state;
  if (s == 0) s = reinterpret_cast<uintptr_t>(&rng_state) ^ 0x9e3779b97f4a7c15ull;
  auto draw = [&s] {
    s += 0xa0761d6478bd642full;
    __uint128_t m = static_cast<__uint128_t>(s) * (s ^ 0xe7037ed1a0b428dbull);
    return static_cast<uint64_t>(m >> 64) ^ static_cast<uint64_t>(m);
  };
  uint64_t r = draw();
  order[0] = 0;
  for (uint32_t i = 1; i < n; ++i) {
    if (i % 8 == 0) r = draw();
    __uint128_t p = static_cast<__uint128_t>(r) * (i + 1);
    uint32_t j = static_cast<uint32_t>(p >> 64);
    r = static_cast<uint64_t>(p);
    order[i] = order[j];
    order[j] = i;
  }
  rng_state = s;
}

struct lock_set {
  chan_core** locks;
  std::size_t n;
};

void lock_all(const lock_set& ls) noexcept CPRIME_CHAN_NO_TSA {
  for (std::size_t i = 0; i < ls.n; ++i) ls.locks[i]->lock.lock();
}

void unlock_all(const lock_set& ls) noexcept CPRIME_CHAN_NO_TSA {
  for (std::size_t i = ls.n; i-- > 0;) ls.locks[i]->lock.unlock();
}

void unlock_all_cb(void* arg) noexcept { unlock_all(*static_cast<lock_set*>(arg)); }

// unpin_all() drops the pins a select kept across a retry (pass 4 keeps
// them so that the re-run may touch the channels even if their handles went
// away meanwhile).
void unpin_all(select_arm* const* arms, std::size_t n) noexcept CPRIME_CHAN_NO_TSA {
  for (std::size_t i = 0; i < n; ++i) {
    select_arm* a = arms[i];
    if (!a->pinned) continue;
    a->pinned = false;
    a->core->lock.lock();
    bool last = chan_unpin(a->core);
    a->core->lock.unlock();
    if (last) chan_destroy(a->core);
  }
}

// retry_pins releases what unpin_all() covers on every exit of select_run.
struct retry_pins {
  select_arm* const* arms;
  std::size_t n;
  bool any = false;
  ~retry_pins() {
    if (any) unpin_all(arms, n);
  }
};

// select_timer claims the parked select for its earliest after arm.
struct select_timer {
  timer t;
  waiter* w = nullptr;
  int index = -1;
};

void select_timer_fire(void* arg) noexcept {
  auto* st = static_cast<select_timer*>(arg);
  waiter* w = st->w;
  if (w->try_claim()) {
    w->fired = st->index;
    w->wake();  // the select may return at once: st is not touched after this
  }
}

}  // namespace

namespace {
int select_run_hidden(select_arm* const* arms, std::size_t n, bool has_default, uint32_t* order,
                      chan_core** locks) CPRIME_CHAN_NO_TSA {
  throw_if_cancelled();

  lock_set ls{locks, 0};
  bool sorted = false;
  retry_pins kept{arms, n};
  for (;;) {
    // pass 1: poll order.
    if (n > 1) random_permutation(order, n);
    else order[0] = 0;

    // fast pass: one lock per arm that looks ready.
    for (std::size_t k = 0; k < n; ++k) {
      uint32_t i = order[k];
      select_arm* a = arms[i];
      chan_core* c = a->core;
      if (!c || !chan_maybe_ready(c, a->is_send)) continue;
      waiter* wk = nullptr;
      c->lock.lock();
      chan_status s = a->is_send ? send_locked(c, a->elem, &wk) : recv_locked(c, a->elem, &wk);
      c->lock.unlock();
      if (s == chan_status::would_block || (s == chan_status::closed && a->typed)) continue;
      a->result = s;
      if (wk) wk->wake();
      return static_cast<int>(i);
    }

    // pass 0: lock order (insertion sort: selects have few arms).
    if (!sorted) {
      sorted = true;
      for (std::size_t i = 0; i < n; ++i) {
        chan_core* c = arms[i]->core;
        if (!c) continue;
        std::size_t j = ls.n;
        while (j > 0 && locks[j - 1] > c) --j;
        if (j > 0 && locks[j - 1] == c) continue;
        for (std::size_t k = ls.n; k > j; --k) locks[k] = locks[k - 1];
        locks[j] = c;
        ++ls.n;
      }
    }

    // pass 2: lock all, poll.
    lock_all(ls);
    bool live = false;
    int timer_arm = -1;  // the earliest after arm, first in poll order on ties
    clock::time_point start{}, now{};
    for (std::size_t k = 0; k < n; ++k) {
      uint32_t i = order[k];
      select_arm* a = arms[i];
      if (a->timed) {
        bool due;
        if (!a->deadline_set) {  // its first poll: the timeout starts now
          if (start == clock::time_point{}) start = deadline_now();
          a->deadline_set = true;
          a->deadline = a->timeout >= clock::time_point::max() - start ? clock::time_point::max() : start + a->timeout;
          due = a->timeout <= clock::duration::zero();
        } else {  // a retry: has the deadline passed? (deadline_now() may run ahead)
          if (now == clock::time_point{}) now = clock::now();
          due = a->deadline <= now;
        }
        if (due) {
          unlock_all(ls);
          a->result = chan_status::ok;
          return static_cast<int>(i);
        }
        live = true;
        if (timer_arm < 0 || a->deadline < arms[timer_arm]->deadline) timer_arm = static_cast<int>(i);
        continue;
      }
      if (!a->core) continue;
      waiter* wk = nullptr;
      chan_status s = a->is_send ? send_locked(a->core, a->elem, &wk) : recv_locked(a->core, a->elem, &wk);
      a->result = s;
      if (s == chan_status::would_block) {
        live = true;
        continue;
      }
      if (s == chan_status::closed && a->typed) continue;  // disabled
      unlock_all(ls);
      if (wk) wk->wake();
      return static_cast<int>(i);
    }

    // pass 3: nothing ready.
    if (has_default) {
      unlock_all(ls);
      return -1;
    }
    if (!live) {
      unlock_all(ls);
      throw channel_closed();
    }
    waiter w;
    w.reason = "select";
    for (std::size_t i = 0; i < n; ++i) {
      select_arm* a = arms[i];
      if (!a->core || a->result != chan_status::would_block) continue;
      chan_node& nd = a->node;
      nd.w = &w;
      nd.core = a->core;
      nd.elem = a->elem;
      nd.index = static_cast<int>(i);
      nd.is_send = a->is_send;
      nd.typed = a->typed;
      nd.ok = false;
      (a->is_send ? a->core->sendq : a->core->recvq).push(&nd);
      if (!a->pinned) {
        chan_pin(a->core);
        a->pinned = true;
      }
    }
    // One timer for the earliest after arm (the wheel's lock is a leaf, so
    // it is armed with the channel locks held).
    select_timer st;
    if (timer_arm >= 0 && arms[timer_arm]->deadline == clock::time_point::max()) timer_arm = -1;  // never
    if (timer_arm >= 0) {
      st.w = &w;
      st.index = timer_arm;
      arm_timer(st.t, arms[timer_arm]->deadline, &select_timer_fire, &st);
    }
    // Order is important here: every node is queued before park() releases
    // the locks, and park() releases them only once a wake cannot be lost.
    park(w, &unlock_all_cb, &ls);
    int fired = w.fired;
    // A timer that claimed w is done with it once park() returned.
    if (timer_arm >= 0 && fired != timer_arm) cancel_timer(st.t);

    // pass 4: dequeue from the rest. The fired node was unlinked and
    // unpinned by its claimer; on a retry the pins stay for the re-run.
    bool retry = fired == select_retry;
    for (std::size_t i = 0; i < n; ++i) {
      select_arm* a = arms[i];
      if (a->timed || !a->core || a->result != chan_status::would_block) continue;
      if (static_cast<int>(i) == fired) {
        a->pinned = false;
        continue;
      }
      chan_core* c = a->core;
      c->lock.lock();
      if (a->node.linked) (a->is_send ? c->sendq : c->recvq).unlink(&a->node);
      bool last = false;
      if (!retry) {
        a->pinned = false;
        last = chan_unpin(c);
      }
      c->lock.unlock();
      if (last) chan_destroy(c);
    }
    if (fired == waiter::cancelled) throw_cancelled();
    if (retry) {
      kept.any = true;
      continue;
    }
    select_arm* a = arms[fired];
    a->result = a->timed || a->node.ok ? chan_status::ok : chan_status::closed;
    return fired;
  }
}

}  // namespace

// The race-detector edges are a plain operation's (channel.cpp): every arm
// announces its operation before the select starts, the arm that fires
// takes its operation's edge once it returns.
int select_run(select_arm* const* arms, std::size_t n, bool has_default, uint32_t* order,
               chan_core** locks) {
  for (std::size_t i = 0; i < n; ++i) chan_tsan_begin(arms[i]->core, arms[i]->is_send);
  int fired;
  {
    tsan_section hide;
    fired = select_run_hidden(arms, n, has_default, order, locks);
  }
  if (fired >= 0) chan_tsan_end(arms[fired]->core, arms[fired]->is_send, arms[fired]->result);
  return fired;
}

}  // namespace cprime::detail
