// runtime/monitor.cpp — the monitor thread (Go's sysmon): one per process,
// started with the first runtime or the first plain thread that parks. It
// drives the process timer wheel and also serves SIGQUIT dumps, deadlock
// probes (about every 250 ms while a plain thread is parked and no timer is
// pending) and, every 10 ms while a runtime exists, retake() (stuck runnext,
// LIFO fairness, overdue worker wheels), the coarse clock and the hog watch.
//
// It never exits: it is leaked with its state, so it may run during exit.
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "cprime/detail/poller.hpp"
#include "cprime/detail/tsan.hpp"
#include "dump.hpp"
#include "futex.hpp"
#include "monitor.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"
#include "timer_wheel.hpp"

namespace cprime::detail {

// ---- the runtime's side: retake and the deadlock detector's queries ----------

bool runtime_impl::quiescent() noexcept {
  if (nidle_.load(std::memory_order_acquire) != static_cast<int>(workers_.size())) return false;
  if (any_work()) return false;
  return !blocking_.busy();
}

uint64_t runtime_impl::activity() noexcept {
  uint64_t s = 0;
  for (worker* w : workers_) s += w->runs.load(std::memory_order_relaxed);
  return s;
}

std::size_t runtime_impl::known_threads() noexcept { return workers_.size() + blocking_.threads(); }

void runtime_impl::retake() noexcept {
  bool stuck = false;
  const int64_t now = now_ns();
  for (worker* v : workers_) {
    const uint64_t r = v->runs.load(std::memory_order_relaxed);
    // A wheel whose deadline passed a tick ago while its owner did not
    // switch: an idle worker fires it (help_timers()).
    if (workers_.size() > 1 && r == v->retake_runs && wheel_next_ns(v->wheel) < now - 1000000) stuck = true;
    if (workers_.size() > 1 && r == v->retake_runs &&
        (v->runnext.load(std::memory_order_acquire) != nullptr ||
         v->tail.load(std::memory_order_acquire) != v->head.load(std::memory_order_acquire)))
      stuck = true;
    v->retake_runs = r;
    // LIFO fairness (pick_local): a ring whose head has not moved for a tick
    // gets one pick from its head.
    const uint32_t h = v->head.load(std::memory_order_relaxed);
    if (h == v->retake_head && v->tail.load(std::memory_order_relaxed) != h)
      v->fifo_due.store(true, std::memory_order_relaxed);
    v->retake_head = h;
  }
  if (stuck) wakep();
}

namespace {

// retake_stuck_runnext() runs retake() on every runtime; false when no
// runtime exists (nothing to watch).
bool retake_stuck_runnext() noexcept {
  bool any = false;
  for_each_runtime(
      [](runtime_impl* rt, void* a) {
        rt->retake();
        *static_cast<bool*>(a) = true;
      },
      &any);
  return any;
}

long os_thread_count() noexcept {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long n = -1;
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "Threads:", 8) == 0) {
      n = std::strtol(line + 8, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return n;
}

// deadlock_probe() is called by the monitor about every 250 ms while a plain
// thread is parked and no timer is pending. It reports a deadlock only when
// two probes in a row see the same picture and no activity between them:
// every worker asleep with empty queues, blocking pools idle, no I/O waits,
// and every OS thread of the process accounted for as a runtime thread or a
// thread parked in the runtime (so no unknown thread could still wake one).
bool deadlock_probe() noexcept {
  static bool last_ok = false;
  static uint64_t last_epoch = 0;
  bool ok = g_parked_threads.load(std::memory_order_acquire) > 0 &&
            io_waiters().load(std::memory_order_acquire) == 0 && !timers_pending();
  uint64_t epoch = g_thread_parks.load(std::memory_order_acquire) +
                   timer_fires().load(std::memory_order_acquire);
  std::size_t known = monitor_threads() + poller_threads();
#ifdef CPRIME_TSAN_FIBERS
  known += 1;  // TSan's background thread, started with the first extra thread
#endif
  if (ok) {
    struct tally {
      bool ok;
      std::size_t known;
      uint64_t epoch;
    } t{true, known, epoch};
    for_each_runtime(
        [](runtime_impl* rt, void* a) {
          auto& t = *static_cast<tally*>(a);
          if (!t.ok) return;
          if (!rt->quiescent()) {
            t.ok = false;
            return;
          }
          t.known += rt->known_threads();
          t.epoch += rt->activity();
        },
        &t);
    ok = t.ok;
    known = t.known;
    epoch = t.epoch;
  }
  if (ok) {
    long os = os_thread_count();
    ok = os > 0 && static_cast<std::size_t>(os) ==
                       known + static_cast<std::size_t>(g_parked_threads.load());
  }
  bool confirmed = ok && last_ok && epoch == last_epoch;
  last_ok = ok;
  last_epoch = epoch;
  return confirmed;
}

// ---- the monitor thread ---------------------------------------------------------

struct monitor_state {
  std::atomic<uint32_t> word{0};  // futex: bumped when the monitor must look again
  std::atomic<bool> sigquit{false};
  std::thread thread;
};

monitor_state& M() {
  static monitor_state* m = new monitor_state;  // leaked: the monitor outlives static destruction
  return *m;
}

std::once_flag g_started;
std::atomic<bool> g_running{false};

void on_sigquit(int) {
  M().sigquit.store(true, std::memory_order_relaxed);
  M().word.fetch_add(1, std::memory_order_release);
  futex_wake(&M().word, 1);
}

void monitor_main() {
  pthread_setname_np(pthread_self(), "cprime-monitor");
  // Race detector: the monitor is the runtime's own thread, hidden for its
  // whole life (it never exits). A timer firing orders nothing, as in Go: a
  // sleep, a deadline or cprime::after() carries no happens-before edge.
  tsan_hide_begin();
  monitor_state& m = M();
  timer_wheel* pw = process_wheel();
  constexpr auto probe_every = std::chrono::milliseconds(250);
  constexpr auto retake_every = std::chrono::milliseconds(10);
  auto next_probe = clock::time_point::max();
  auto next_retake = clock::time_point::min();
  bool watching = false;
  for (;;) {
    // Order is important here: the word is read before the wheel runs, so an
    // arm that moves the process wheel's next event earlier after this point
    // (it bumps the word) makes the wait below return at once.
    const uint32_t seq = m.word.load(std::memory_order_acquire);
    auto now = clock::now();
    wheel_run(pw, to_ns(now));
    const int64_t nx = wheel_next_ns(pw);
    auto deadline = nx == INT64_MAX ? clock::time_point::max() : from_ns(nx);

    if (m.sigquit.exchange(false, std::memory_order_relaxed)) on_sigquit_dump();
    if (!timers_pending() && g_parked_threads.load(std::memory_order_acquire) > 0) {
      if (next_probe == clock::time_point::max()) next_probe = now + probe_every;
      if (now >= next_probe) {
        if (deadlock_probe()) {
          tsan_hide_end();  // it may exit(): TSan will not end a thread that still ignores
          check_deadlock_and_exit();
          tsan_hide_begin();
        }
        next_probe = now + probe_every;
      }
      deadline = std::min(deadline, next_probe);
    } else {
      next_probe = clock::time_point::max();
    }
    // Go's sysmon: a runnext left behind a coroutine that keeps its worker,
    // or a wheel whose busy owner let a deadline pass, gets an idle worker
    // (runtime_impl::retake).
    // Not watching yet: a runtime registered since (its poke woke us) must
    // start the ticks now, not when the last unwatched deadline passes.
    if (now >= next_retake || !watching) {
      watching = retake_stuck_runnext();
      monitor_tick();  // coarse clock, hog watch (dump.cpp)
      next_retake = now + retake_every;
    }
    if (watching) deadline = std::min(deadline, next_retake);
    futex_wait_until(&m.word, seq, deadline);
  }
}

}  // namespace

void monitor_ensure_started() {
  std::call_once(g_started, [] {
    monitor_state& m = M();
    m.thread = std::thread(monitor_main);
    m.thread.detach();
    g_running.store(true, std::memory_order_release);
    install_signal_handlers(&on_sigquit);  // SIGQUIT policy: dump.cpp
  });
}

void monitor_poke() noexcept {
  if (!g_running.load(std::memory_order_acquire)) return;
  M().word.fetch_add(1, std::memory_order_release);
  futex_wake(&M().word, 1);
}

std::size_t monitor_threads() noexcept { return g_running.load(std::memory_order_acquire) ? 1 : 0; }

}  // namespace cprime::detail
