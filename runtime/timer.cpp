// runtime/timer.cpp — hierarchical timing wheels (one per worker, one for the
// process, which the monitor drives: monitor.cpp), arm/cancel, and sleep.
//
// The wheel is the Linux kernel's / Tokio's: 6 levels of 64 slots; a slot of
// level L spans 64^L ticks of 2^14 ns (16.4 µs), so level 0 covers 1 ms,
// level 1 67 ms, level 2 (a 1 s deadline) 4.3 s, level 5 about 13 days;
// farther timers wait on an overflow list. The tick bounds what the wheel
// adds to a timer's lateness (a deadline is rounded up to the next tick). A timer sits in the slot of the highest level at
// which its deadline differs from `elapsed`; when elapsed reaches the start
// of a slot above level 0, the slot's timers cascade down; a level-0 slot's
// timers fire. Arm and cancel are O(1) (link/unlink plus a bitmap bit); a
// timer cancelled before it gets near its deadline (the common case: a
// deadline that did not hit) never cascades.
//
// Invariants (guard: the wheel's mu):
//   - A timer is linked in exactly the slot (level, slot) its fields name
//     iff state == armed; occupied[L] has bit s iff slots[L][s] is non-empty.
//   - Every armed timer of level L < 6 has the same bits above 6(L+1) as
//     elapsed and a larger level-L digit (level 0: larger or equal), so the
//     lowest non-empty level holds the next event, at the start of its
//     lowest occupied slot; overflow timers are in a later 2^36-tick block.
//   - next_ns is a lower bound of the earliest event (a cancel leaves it
//     early; the driver then finds nothing due and recomputes it).
//   - At most one thread drives a wheel (driving); it pops a due timer,
//     marks it fired and running, and calls fn without the lock. After that
//     call it never touches the timer again (fn may free it). cancel_timer()
//     unlinks an armed timer and then waits while running == the timer, so
//     when it returns fn is not running and will not run.
//   - A callback that re-arms its own timer re-arms it on the wheel that is
//     firing it (so a cancel waits on the right `running`).
//   - home changes only under the old and new wheels' locks (arm, cancel,
//     retire); cancel re-checks it after locking.
//
// Lock order: a worker wheel's mu before the process wheel's (retire); no
// other lock is taken under a wheel lock, and callbacks run without it, so
// arm_timer/cancel_timer may be called with channel or node locks held.
#include <algorithm>
#include <mutex>
#include <vector>

#include "cprime/detail/spinlock.hpp"
#include "cprime/detail/timer.hpp"
#include "cprime/task.hpp"
#include "monitor.hpp"
#include "timer_wheel.hpp"
#include "worker.hpp"

namespace cprime::detail {

namespace {

constexpr unsigned tick_shift = 14;  // 16.384 µs
constexpr unsigned level_bits = 6;
constexpr unsigned nslots = 1u << level_bits;
constexpr unsigned nlevels = 6;
constexpr uint8_t overflow_level = nlevels;
constexpr int64_t never = INT64_MAX;
enum : uint8_t { st_idle = 0, st_armed = 1, st_fired = 2 };

// A deadline rounds up to a tick and fires once the clock's tick (rounded
// down) reaches it: never early.
inline uint64_t tick_ceil(clock::time_point t) noexcept {
  if (t == clock::time_point::max()) return UINT64_MAX >> 1;
  const int64_t ns = to_ns(t);
  if (ns <= 0) return 0;
  return (static_cast<uint64_t>(ns) + ((uint64_t{1} << tick_shift) - 1)) >> tick_shift;
}
inline uint64_t tick_floor(int64_t ns) noexcept { return ns <= 0 ? 0 : static_cast<uint64_t>(ns) >> tick_shift; }
inline int64_t tick_ns(uint64_t tick) noexcept {
  return tick >= (static_cast<uint64_t>(never) >> tick_shift) ? never : static_cast<int64_t>(tick << tick_shift);
}

}  // namespace

struct timer_wheel {
  spinlock mu;
  uint64_t elapsed = 0;               // guarded by mu: the wheel's time, in ticks
  uint64_t occupied[nlevels] = {};    // guarded by mu
  timer* slots[nlevels][nslots] = {}; // guarded by mu
  timer* overflow = nullptr;          // guarded by mu
  uint64_t overflow_min = UINT64_MAX; // guarded by mu: lower bound of overflow deadlines
  timer* running = nullptr;           // guarded by mu: the timer whose fn runs now
  bool driving = false;               // guarded by mu
  bool process = false;               // immutable: the process wheel (monitor-driven)
  std::atomic<int64_t> next_ns{never};  // written under mu; read anywhere
  std::atomic<uint32_t> count{0};       // armed timers; written under mu
  timer_wheel* pool_next = nullptr;     // guarded by the pool mutex
};

namespace {

// ---- wheel internals (mu held) ---------------------------------------------

void link_at(timer_wheel* w, timer* t) noexcept {
  const uint64_t when = t->when < w->elapsed ? w->elapsed : t->when;
  const uint64_t masked = (w->elapsed ^ when) | (nslots - 1);
  const unsigned level = (63 - __builtin_clzll(masked)) / level_bits;
  timer** head;
  if (level >= nlevels) {
    t->level = overflow_level;
    head = &w->overflow;
    if (when < w->overflow_min) w->overflow_min = when;
  } else {
    t->level = static_cast<uint8_t>(level);
    t->slot = static_cast<uint8_t>((when >> (level * level_bits)) & (nslots - 1));
    head = &w->slots[level][t->slot];
    w->occupied[level] |= uint64_t{1} << t->slot;
  }
  t->prev = nullptr;
  t->next = *head;
  if (*head) (*head)->prev = t;
  *head = t;
}

void unlink_from(timer_wheel* w, timer* t) noexcept {
  timer** head = t->level == overflow_level ? &w->overflow : &w->slots[t->level][t->slot];
  if (t->prev)
    t->prev->next = t->next;
  else
    *head = t->next;
  if (t->next) t->next->prev = t->prev;
  t->prev = t->next = nullptr;
  if (t->level != overflow_level && !*head) w->occupied[t->level] &= ~(uint64_t{1} << t->slot);
}

// next_event() is the tick of the wheel's next event (a level-0 slot to fire,
// a higher slot to cascade, the overflow to re-place), or UINT64_MAX.
uint64_t next_event(const timer_wheel* w, unsigned* level, unsigned* slot) noexcept {
  for (unsigned l = 0; l < nlevels; ++l) {
    if (!w->occupied[l]) continue;
    const unsigned s = static_cast<unsigned>(__builtin_ctzll(w->occupied[l]));
    const unsigned shift = (l + 1) * level_bits;
    const uint64_t block = w->elapsed >> shift << shift;
    *level = l;
    *slot = s;
    return block + (uint64_t{s} << (l * level_bits));
  }
  if (w->overflow) {
    *level = overflow_level;
    const unsigned shift = nlevels * level_bits;
    const uint64_t ev = w->overflow_min >> shift << shift;
    return ev < w->elapsed ? w->elapsed : ev;
  }
  return UINT64_MAX;
}

void publish_next(timer_wheel* w) noexcept {
  unsigned l, s;
  const uint64_t ev = next_event(w, &l, &s);
  w->next_ns.store(ev == UINT64_MAX ? never : tick_ns(ev), std::memory_order_release);
}

// ---- the process wheel, the pool ----------------------------------------------

// Worker wheels are pooled, never freed: a cancel_timer() racing with a
// runtime's shutdown may still read a retired wheel's lock.
std::mutex& pool_mu() {
  static std::mutex* m = new std::mutex;
  return *m;
}
timer_wheel* g_pool = nullptr;                  // guarded by pool_mu
std::vector<timer_wheel*>* g_live = nullptr;    // guarded by pool_mu: wheels in use

std::atomic<uint64_t> g_fires{0};

// The timer whose callback this thread runs, for arm_timer's re-arm rule.
// Callbacks run on scheduler contexts and the monitor, never across a switch.
thread_local timer* tl_firing = nullptr;
[[gnu::noinline]] timer* firing_here() noexcept {
  asm volatile("" ::: "memory");
  return tl_firing;
}

}  // namespace

uint64_t firing_when() noexcept {
  const timer* t = firing_here();
  return t ? t->when : 0;
}

timer_wheel* process_wheel() noexcept {
  static timer_wheel* w = [] {
    auto* p = new timer_wheel;  // leaked: the monitor drives it during exit
    p->process = true;
    return p;
  }();
  return w;
}

// ---- driving ----------------------------------------------------------------

bool wheel_run(timer_wheel* w, int64_t now_ns) noexcept {
  // Hidden (detail/tsan.hpp): the wheel is the runtime's, and a timer firing
  // orders nothing, as in Go.
  tsan_hidden hide;
  const uint64_t now = tick_floor(now_ns);
  w->mu.lock();
  if (w->driving) {
    w->mu.unlock();
    return false;
  }
  w->driving = true;
  bool fired = false;
  for (;;) {
    unsigned l = 0, s = 0;
    const uint64_t ev = next_event(w, &l, &s);
    if (ev > now) break;
    if (ev > w->elapsed) w->elapsed = ev;
    if (l == overflow_level) {
      timer* list = std::exchange(w->overflow, nullptr);
      w->overflow_min = UINT64_MAX;
      while (timer* t = list) {
        list = t->next;
        link_at(w, t);
      }
      continue;
    }
    if (l > 0) {
      // Cascade: every timer of the slot now differs from elapsed below l.
      timer* list = std::exchange(w->slots[l][s], nullptr);
      w->occupied[l] &= ~(uint64_t{1} << s);
      while (timer* t = list) {
        list = t->next;
        link_at(w, t);
      }
      continue;
    }
    // The earliest of the slot first: overdue timers (deadline before the
    // wheel's time when placed or cascaded) share one slot. O(slot length).
    timer* t = w->slots[0][s];
    for (timer* c = t->next; c; c = c->next)
      if (c->when < t->when) t = c;
    unlink_from(w, t);
    t->state = st_fired;
    w->count.store(w->count.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
    w->running = t;
    void (*fn)(void*) = t->fn;
    void* arg = t->arg;
    w->mu.unlock();
    tl_firing = t;
    fn(arg);  // may free t
    tl_firing = nullptr;
    g_fires.fetch_add(1, std::memory_order_relaxed);
    fired = true;
    w->mu.lock();
    w->running = nullptr;
  }
  if (now > w->elapsed) w->elapsed = now;
  publish_next(w);
  w->driving = false;
  w->mu.unlock();
  return fired;
}

int64_t wheel_next_ns(const timer_wheel* w) noexcept { return w->next_ns.load(std::memory_order_acquire); }

int64_t now_ns() noexcept { return to_ns(clock::now()); }

timer_wheel* wheel_acquire() {
  tsan_hidden hide;
  std::lock_guard g(pool_mu());
  timer_wheel* w = g_pool;
  if (w)
    g_pool = w->pool_next;
  else
    w = new timer_wheel;
  if (!g_live) g_live = new std::vector<timer_wheel*>;
  g_live->push_back(w);
  w->mu.lock();
  w->elapsed = tick_floor(now_ns());
  w->mu.unlock();
  return w;
}

void wheel_retire(timer_wheel* w) noexcept {
  tsan_hidden hide;
  // Timers still armed here belong to no coroutine of the stopped runtime
  // (it has none left) but to channels (after, ticker) and plain threads'
  // objects: they move to the process wheel, which the monitor drives.
  timer_wheel* pw = process_wheel();
  bool earlier = false;
  w->mu.lock();
  pw->mu.lock();
  auto move = [&](timer* list) {
    while (timer* t = list) {
      list = t->next;
      t->home.store(pw, std::memory_order_release);
      link_at(pw, t);
      pw->count.store(pw->count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      earlier = true;
    }
  };
  for (unsigned l = 0; l < nlevels; ++l)
    for (unsigned s = 0; s < nslots; ++s) move(std::exchange(w->slots[l][s], nullptr));
  move(std::exchange(w->overflow, nullptr));
  for (auto& o : w->occupied) o = 0;
  w->overflow_min = UINT64_MAX;
  w->count.store(0, std::memory_order_relaxed);
  w->next_ns.store(never, std::memory_order_release);
  if (earlier) publish_next(pw);
  pw->mu.unlock();
  w->mu.unlock();
  if (earlier) monitor_poke();
  std::lock_guard g(pool_mu());
  if (g_live) g_live->erase(std::remove(g_live->begin(), g_live->end(), w), g_live->end());
  w->pool_next = g_pool;
  g_pool = w;
}

bool timers_pending() noexcept { return timers_armed() != 0; }
std::size_t timers_armed() noexcept {
  tsan_hidden hide;  // the wheels are the runtime's (detail/tsan.hpp)
  std::size_t n = process_wheel()->count.load(std::memory_order_acquire);
  std::lock_guard g(pool_mu());
  if (g_live)
    for (timer_wheel* w : *g_live) n += w->count.load(std::memory_order_acquire);
  return n;
}
std::atomic<uint64_t>& timer_fires() noexcept { return g_fires; }

// ---- arm / cancel -------------------------------------------------------------

void arm_timer(timer& t, clock::time_point when, void (*fn)(void*), void* arg) noexcept {
  tsan_hidden hide;  // the wheels are the runtime's (detail/tsan.hpp)
  timer_wheel* w;
  timer_wheel* h = t.home.load(std::memory_order_acquire);
  if (h && firing_here() == &t) {
    w = h;  // a callback re-arming itself: stay where `running` names it
  } else if (worker* k = this_worker()) {
    w = k->wheel;
  } else {
    monitor_ensure_started();
    w = process_wheel();
  }
  // A fired timer's home may still name another wheel (cancel clears it):
  // moving it needs that wheel's lock too, so take them in turn.
  if (h && h != w) {
    h->mu.lock();
    while (h->running == &t) {  // its callback still returning elsewhere
      h->mu.unlock();
      cpu_relax();
      h->mu.lock();
    }
    t.home.store(nullptr, std::memory_order_relaxed);
    h->mu.unlock();
  }
  w->mu.lock();
  t.fn = fn;
  t.arg = arg;
  t.when = tick_ceil(when);
  t.state = st_armed;
  t.home.store(w, std::memory_order_release);
  link_at(w, &t);
  w->count.store(w->count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  bool earlier = false;
  // The deadline's own tick will do as the next event: at that time every
  // event before it (the cascades that bring t down) is due too.
  const int64_t ev = tick_ns(t.when < w->elapsed ? w->elapsed : t.when);
  if (ev < w->next_ns.load(std::memory_order_relaxed)) {
    w->next_ns.store(ev, std::memory_order_release);
    earlier = true;
  }
  w->mu.unlock();
  // A worker wheel is driven by its owner, who is the caller (it looks at
  // its wheel before it sleeps) or a helper firing this very timer.
  if (earlier && w->process) monitor_poke();
}

bool cancel_timer(timer& t) noexcept {
  tsan_hidden hide;
  for (;;) {
    timer_wheel* h = t.home.load(std::memory_order_acquire);
    if (!h) return false;
    h->mu.lock();
    if (t.home.load(std::memory_order_relaxed) != h) {  // retired to the process wheel
      h->mu.unlock();
      continue;
    }
    bool removed = false;
    for (;;) {
      if (t.state == st_armed) {
        unlink_from(h, &t);
        t.state = st_idle;
        h->count.store(h->count.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
        removed = true;
      }
      if (h->running != &t) break;
      // Its callback runs on the driving thread; it may re-arm t here.
      h->mu.unlock();
      cpu_relax();
      h->mu.lock();
    }
    t.home.store(nullptr, std::memory_order_relaxed);
    h->mu.unlock();
    return removed;
  }
}

// ---- sleep ---------------------------------------------------------------

namespace {
void wake_sleeper(void* arg) {
  auto* w = static_cast<waiter*>(arg);
  if (w->try_claim()) {
    w->fired = 0;
    w->wake();
  }
}
}  // namespace

void sleep_until_point(clock::time_point when) {
  tsan_section hide;  // a sleep orders nothing (detail/tsan.hpp)
  throw_if_cancelled();
  if (when <= clock::now()) return;
  waiter w(true);
  w.reason = "sleep";
  timer t;
  arm_timer(t, when, &wake_sleeper, &w);
  park(w, nullptr, nullptr);
  // The timer claimed w (fired == 0): its callback touches nothing after
  // wake(), which park() waited for, so t may go. Otherwise disarm it.
  if (w.fired != 0) cancel_timer(t);
  if (w.fired == waiter::cancelled) throw_cancelled();
}

}  // namespace cprime::detail
