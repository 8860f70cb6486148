// runtime/idle.cpp — finding work, sleeping and waking: find_runnable()
// (local queues, the global queue, ready I/O, stealing, spinning, then the
// futex or epoll_wait), wakep(), ready(), and the glue that fires the
// workers' timer wheels from the scheduler.
//
// Invariants:
//   - A worker that finds nothing may spin (steal) if fewer than half the
//     busy workers spin; then it publishes itself idle (under idle_mu_),
//     stops spinning, and only then looks at every queue once more before
//     sleeping on its futex. A producer queues work first, then reads
//     nidle_/nspinning_ (wakep). Either the producer sees the idle worker, or
//     the worker's last look sees the work: no lost wake-up.
//   - A worker woken by wakep() starts as a spinner (counted by the waker);
//     a spinner that finds work stops spinning and, if it was the last one,
//     wakes another worker (the work it found may have had company).
//   - A wake that only fills an empty runnext wakes nobody, and a local
//     wakep() has no fence: that work is in a running worker's own queues,
//     so a missed wake costs parallelism, never progress (runq.cpp says when
//     a runnext or a short ring is stolen; the monitor's retake() covers a
//     runnext stuck while no worker spins).
//   - At most one idle worker of the process waits in epoll_wait (the poll
//     owner, worker::polling, guarded by idle_mu_); whoever takes it off the
//     idle list wakes it with poll_break() instead of the futex.
//   - foreign_wakers_ counts wakes in progress from threads that are not
//     this runtime's workers; shutdown() waits for zero before the runtime
//     can be freed (the woken coroutine may be the last one).
//
// Hot path (ready()): compiled in one translation unit with fiber.cpp,
// park.cpp and runq.cpp (UNITY_GROUP switch_path, runtime/CMakeLists.txt).
#include <algorithm>
#include <chrono>
#include <utility>

#include "cprime/detail/poller.hpp"
#include "cprime/detail/spinlock.hpp"
#include "futex.hpp"
#include "poll_owner.hpp"
#include "runtime_impl.hpp"
#include "timer_wheel.hpp"

namespace cprime::detail {

namespace {

constexpr auto spin_for = std::chrono::microseconds(50);

}  // namespace

void runtime_impl::reset_spinning(worker* w) noexcept {
  if (!w->spinning) return;
  w->spinning = false;
  if (nspinning_.fetch_sub(1, std::memory_order_seq_cst) == 1) wakep();
}

// run_timers() fires w's due timers. The clock is read only when the wheel
// holds a timer, and (unless `now`) only every timer_check_every picks: a
// deadline that nearly never fires must not cost a clock read per switch.
// What the callbacks wake lands on w's own queues.
bool runtime_impl::run_timers(worker* w, bool now, bool batch) noexcept {
  if (!now && ++w->timer_tick < timer_check_every) return false;
  w->timer_tick = 0;
  const int64_t nx = wheel_next_ns(w->wheel);
  if (nx == INT64_MAX) return false;
  const int64_t t = now_ns();
  if (t < nx) return false;
  w->firing_timers = true;
  const bool fired = wheel_run(w->wheel, t);
  w->firing_timers = false;
  if (!batch) wake_batch(w);
  return fired;
}

// wake_batch() makes the coroutines the timers just woke runnable, latest
// deadline first: each takes runnext and pushes the previous one onto the
// ring's tail, where LIFO picks take them, so they run in deadline order and
// ahead of older queued work (Go readies timer wakes into runnext too); a
// ring full of unstarted spawns cannot starve them. A batch may hold the due
// timers of several wheels (a late worker fires its own and the others'):
// sorted by deadline first (stable: a wheel fires in deadline order already).
void runtime_impl::wake_batch(worker* w) noexcept {
  auto& b = w->timer_woken;
  if (b.size() > 1 && !std::is_sorted(b.begin(), b.end(), [](const auto& x, const auto& y) { return x.first < y.first; }))
    std::stable_sort(b.begin(), b.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto it = b.rbegin(); it != b.rend(); ++it) ready(it->second, true);
  b.clear();
}

// help_timers() fires the due timers of the other workers' wheels (an owner
// busy in one coroutine for long does not reach its scheduling points);
// called by a worker about to sleep. Go's findrunnable does the same.
bool runtime_impl::help_timers(worker* self) noexcept {
  bool fired = false;
  int64_t t = 0;
  for (worker* v : workers_) {
    if (v == self) continue;
    const int64_t nx = wheel_next_ns(v->wheel);
    if (nx == INT64_MAX) continue;
    if (t == 0) t = now_ns();
    if (t < nx) continue;
    self->firing_timers = true;
    fired |= wheel_run(v->wheel, t);
    self->firing_timers = false;
  }
  wake_batch(self);  // with what run_timers(self, true, true) just fired
  return fired;
}

int64_t runtime_impl::earliest_timer() noexcept {
  int64_t m = INT64_MAX;
  for (worker* v : workers_) m = std::min(m, wheel_next_ns(v->wheel));
  return m;
}

fiber* runtime_impl::find_runnable(worker* w) {
  const std::size_t n = workers_.size();
  bool timers_now = true;
  bool slept = false;
  for (;;) {
    if (stopping_.load(std::memory_order_acquire)) return nullptr;
    if (std::exchange(slept, false)) {
      // Woken (often by the clock: the runtime's earliest timer, on any
      // wheel): every wheel's due timers in one batch, in deadline order.
      run_timers(w, true, true);
      help_timers(w);
      timers_now = false;
    } else {
      run_timers(w, std::exchange(timers_now, false));
    }
    if (fiber* f = pick_local(w)) return f;
    if (fiber* f = global_take(w)) return f;
    // Ready I/O, without blocking (Go's netpoll(0) in findrunnable): what it
    // wakes lands on this worker's queues. Skipped while a poll owner blocks
    // in epoll_wait: the events go to it.
    if (poller_started() && !poll_owned() && poll_ready(0) > 0) continue;

    int busy = static_cast<int>(n) - nidle_.load(std::memory_order_relaxed);
    if (!w->spinning && 2 * nspinning_.load(std::memory_order_relaxed) < busy) {
      w->spinning = true;
      nspinning_.fetch_add(1, std::memory_order_seq_cst);
    }
    if (w->spinning) {
      for (std::size_t i = 0; i < n; ++i)
        w->seen_runs[i] = workers_[i]->runs.load(std::memory_order_relaxed);
      for (int round = 0; round < 4; ++round) {
        w->rng ^= w->rng << 13;
        w->rng ^= w->rng >> 7;
        w->rng ^= w->rng << 17;
        std::size_t start = w->rng % n;
        for (std::size_t i = 0; i < n; ++i) {
          worker* v = workers_[(start + i) % n];
          if (v == w) continue;
          if (fiber* f = steal(w, v, round == 3)) {
            w->steals.store(w->steals.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            return f;
          }
        }
        if (fiber* f = global_take(w)) return f;
        if (stopping_.load(std::memory_order_acquire)) return nullptr;
      }
      // Spin a little longer before the futex: a producer on another worker
      // usually has more work within microseconds, and a sleep/wake pair
      // costs far more than that.
      bool found = false;
      auto until = std::chrono::steady_clock::now() + spin_for;
      while (!found && std::chrono::steady_clock::now() < until) {
        for (int i = 0; i < 64; ++i) cpu_relax();
        // A runnext alone is its worker's to run (see steal()); the rounds
        // above took it if it was stuck. A short ring whose owner kept
        // switching since we began is its owner's too (steal()): spinning
        // on it would burn this core for nothing, so sleep; if the owner
        // stalls later, the monitor's retake() wakes a worker for it.
        found = takeable_work(w, false) || stopping_.load(std::memory_order_relaxed) ||
                (poller_started() && !poll_owned() && poll_ready(0) > 0);
      }
      if (found) continue;
    }

    // Before sleeping: this worker's due timers, then the others'.
    // One batch, so that wakes due on several wheels run in deadline order.
    const bool own = run_timers(w, true, true);
    if (help_timers(w) || own) continue;

    bool poll = false;
    {
      std::lock_guard g(idle_mu_);
      if (stopping_.load(std::memory_order_acquire)) return nullptr;
      if (global_size_.load(std::memory_order_acquire) > 0) continue;
      w->wake_word.store(0, std::memory_order_relaxed);
      w->idle = true;
      // The first worker of the process to go idle once sockets exist waits
      // in epoll_wait instead of its futex (Go's blocking netpoll).
      poll = poller_started() && poll_try_own();
      w->polling = poll;
      idle_.push_back(w);
      nidle_.fetch_add(1, std::memory_order_seq_cst);
    }
    if (w->spinning) {
      w->spinning = false;
      nspinning_.fetch_sub(1, std::memory_order_seq_cst);
    }
    // Order is important here: published idle and stopped spinning first,
    // then one last look at every queue (pairs with the fence in wakep()).
    // Work in a running worker's own queues whose owner kept switching is
    // not ours: missing it costs parallelism, never progress (see ready()),
    // and retake() catches an owner that stalls.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (takeable_work(w, true)) {
      std::unique_lock g(idle_mu_);
      if (w->idle) {
        w->idle = false;
        w->polling = false;
        idle_.erase(std::find(idle_.begin(), idle_.end(), w));
        nidle_.fetch_sub(1, std::memory_order_seq_cst);
        g.unlock();
        if (poll) poll_disown();
        w->spinning = true;
        nspinning_.fetch_add(1, std::memory_order_seq_cst);
        continue;
      }
      // Someone already took us off the idle list; its wake is on the way
      // (the eventfd when we poll: the epoll_wait below returns at once).
    }
    // An idle worker sleeps until the runtime's next timer event (any
    // worker's wheel, as Go's pollUntil: a busy or descheduled owner's due
    // timers are fired by whoever is idle): the poll owner folds it into
    // epoll_wait's timeout, the others into the futex wait.
    slept = true;
    if (poll) {
      // poll_woken() takes us off the idle list before the events are
      // dispatched, so the wakes they make see this worker busy.
      int64_t timeout_ns = -1;
      if (const int64_t nx = earliest_timer(); nx != INT64_MAX) timeout_ns = std::max<int64_t>(nx - now_ns(), 0);
      poll_ready_ns(timeout_ns, &runtime_impl::poll_woken, w);
      continue;
    }
    uint32_t v;
    bool self_woken = false;
    while ((v = w->wake_word.load(std::memory_order_acquire)) == 0) {
      const int64_t nx = earliest_timer();
      if (nx == INT64_MAX) {
        futex_wait(&w->wake_word, 0);
        continue;
      }
      if (now_ns() < nx) {
        futex_wait_until(&w->wake_word, 0, std::chrono::steady_clock::time_point(std::chrono::nanoseconds(nx)));
        continue;
      }
      // A timer is due: leave the idle list, unless a waker already took us
      // off it (its wake_word store follows).
      std::lock_guard g(idle_mu_);
      if (w->idle) {
        w->idle = false;
        idle_.erase(std::find(idle_.begin(), idle_.end(), w));
        nidle_.fetch_sub(1, std::memory_order_seq_cst);
        self_woken = true;
        break;
      }
    }
    if (self_woken) continue;
    if (v == 2) w->spinning = true;  // counted in nspinning_ by the waker
  }
}

// poll_woken() runs on the poll owner as soon as its epoll_wait returns.
void runtime_impl::poll_woken(void* arg) noexcept {
  auto* w = static_cast<worker*>(arg);
  runtime_impl* rt = w->rt;
  poll_disown();
  bool taken;
  {
    std::lock_guard g(rt->idle_mu_);
    w->polling = false;
    taken = !w->idle;
    if (!taken) {
      w->idle = false;
      rt->idle_.erase(std::find(rt->idle_.begin(), rt->idle_.end(), w));
      rt->nidle_.fetch_sub(1, std::memory_order_seq_cst);
    }
  }
  if (taken) {
    // A waker (or shutdown) took us off the list; it stores wake_word right
    // after releasing idle_mu_.
    uint32_t v;
    while ((v = w->wake_word.load(std::memory_order_acquire)) == 0) cpu_relax();
    if (v == 2) w->spinning = true;  // counted in nspinning_ by the waker
  }
}

void runtime_impl::wakep(bool fence) noexcept {
  if (fence) std::atomic_thread_fence(std::memory_order_seq_cst);
  if (nidle_.load(std::memory_order_seq_cst) == 0) return;
  int expected = 0;
  if (nspinning_.load(std::memory_order_relaxed) != 0 ||
      !nspinning_.compare_exchange_strong(expected, 1, std::memory_order_seq_cst))
    return;
  worker* v = nullptr;
  bool polling = false;
  {
    std::lock_guard g(idle_mu_);
    if (!idle_.empty()) {
      // Prefer a futex sleeper: the poll owner keeps watching the sockets.
      auto it = idle_.end() - 1;
      for (auto j = idle_.end(); j != idle_.begin();) {
        --j;
        if (!(*j)->polling) {
          it = j;
          break;
        }
      }
      v = *it;
      idle_.erase(it);
      v->idle = false;
      polling = v->polling;
      nidle_.fetch_sub(1, std::memory_order_seq_cst);
    }
  }
  if (!v) {
    nspinning_.fetch_sub(1, std::memory_order_seq_cst);
    return;
  }
  v->wake_word.store(2, std::memory_order_release);
  if (polling)
    poll_break();
  else
    futex_wake(&v->wake_word, 1);
}

void runtime_impl::ready(fiber* f, bool next) noexcept {
  worker* w = this_worker();
  if (w && w->rt == this) {
    if (next) {
      fiber* old;
      old = w->runnext.load(std::memory_order_relaxed);
      if (workers_.size() == 1 || !old) {
        // No stealers (see pick_local()), or an empty runnext: thieves only
        // ever move runnext from non-null to null, so an empty one stays
        // empty until its owner fills it, and a plain store is enough.
        w->runnext.store(f, std::memory_order_release);
      } else {
        old = w->runnext.exchange(f, std::memory_order_acq_rel);
      }
      // A lone runnext is a handoff: this worker runs f as soon as the
      // current coroutine parks, so waking another worker for it would only
      // cost a futex wake here and, on a loaded machine, a steal that splits
      // a message-passing pair over two cores. A runnext stuck behind a
      // coroutine that keeps the worker is stolen by a spinner (steal(),
      // runnext_grace), or within ~10-20 ms by a worker the monitor wakes
      // (retake()).
      if (!old) return;
      runq_put(w, old, true);
    } else {
      runq_put(w, f, false);
    }
    if (workers_.size() == 1) return;  // the only worker is this one, and awake
    // No fence (as Go's ready): f sits in this running worker's own queues,
    // so a wake lost to the race with a worker going idle costs parallelism,
    // never progress: this worker runs f itself.
    wakep(false);
    return;
  }
  // Order is important here: once f is queued it may run and finish, rt.run()
  // return and ~runtime() free us while this thread is still in wakep(). We
  // count ourselves first (f is not runnable yet, so we are alive); shutdown()
  // waits for the count to drop after its workers are joined.
  foreign_wakers_.fetch_add(1, std::memory_order_relaxed);
  global_push(&f, 1);
  wakep();
  foreign_wakers_.fetch_sub(1, std::memory_order_release);
}

bool runtime_impl::worker_idle(worker* w) noexcept {
  std::lock_guard g(idle_mu_);
  return w->idle;
}

}  // namespace cprime::detail
