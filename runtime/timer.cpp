// runtime/timer.cpp — the process-wide timer heap and its thread, which also
// serves as the runtime's monitor (SIGQUIT dumps, deadlock probes, and every
// 10 ms while a runtime exists: the stuck-runnext retake and LIFO fairness).
//
// Invariants (guard: timers::mu, except where noted):
//   - heap and index hold the same armed timers; a timer leaves both before
//     its callback runs, and the callback runs with mu held, so
//     cancel_timer() (which takes mu) returns only when the callback is not
//     running and will not run.
//   - A callback may call add_timer()/cancel_timer() for other timers: the
//     monitor thread marks itself in_callback and those calls skip the lock
//     it already holds.
//   - word (futex) changes whenever the earliest deadline moves earlier or
//     the monitor must look at something; the monitor reads it under mu
//     before sleeping, so no poke is lost.
#include <signal.h>

#include <map>
#include <thread>
#include <unordered_map>

#include "cprime/task.hpp"
#include "rt.hpp"

namespace cprime::detail {
namespace {

struct timer_entry {
  void (*fn)(void*);
  void* arg;
};

struct timers {
  std::mutex mu;
  std::map<std::pair<clock::time_point, uint64_t>, timer_entry> heap;  // guarded by mu
  std::unordered_map<uint64_t, clock::time_point> index;              // guarded by mu
  uint64_t next_id = 1;                                               // guarded by mu
  std::atomic<std::size_t> count{0};                                  // written under mu
  std::atomic<uint32_t> word{0};
  std::atomic<uint64_t> fires{0};
  std::atomic<bool> sigquit{false};
  std::thread thread;
};

thread_local bool tl_in_callback = false;  // the monitor runs a callback

// in_callback() reads tl_in_callback through an opaque call: add_timer and
// cancel_timer run on coroutines (sleep_until_point parks between them), and
// an inlined read could reuse the thread-local address of the thread the
// coroutine ran on before it parked (docs/runtime.md, thread-locals).
[[gnu::noinline]] bool in_callback() noexcept {
  asm volatile("" ::: "memory");
  return tl_in_callback;
}

timers& T() {
  static timers* t = new timers;  // leaked: the monitor outlives static destruction
  return *t;
}

std::once_flag g_started;
std::atomic<bool> g_running{false};

void on_sigquit(int) {
  T().sigquit.store(true, std::memory_order_relaxed);
  T().word.fetch_add(1, std::memory_order_release);
  futex_wake(&T().word, 1);
}

void monitor_main() {
  pthread_setname_np(pthread_self(), "cprime-monitor");
  // Race detector: the monitor is the runtime's own thread, hidden for its
  // whole life (it never exits). A timer firing orders nothing, as in Go: a
  // sleep, a deadline or cprime::after() carries no happens-before edge.
  tsan_hide_begin();
  timers& t = T();
  constexpr auto probe_every = std::chrono::milliseconds(250);
  constexpr auto retake_every = std::chrono::milliseconds(10);
  auto next_probe = clock::time_point::max();
  auto next_retake = clock::time_point::min();
  bool watching = false;
  std::unique_lock lk(t.mu);
  for (;;) {
    auto now = clock::now();
    while (!t.heap.empty() && t.heap.begin()->first.first <= now) {
      auto it = t.heap.begin();
      timer_entry e = it->second;
      t.index.erase(it->first.second);
      t.heap.erase(it);
      t.count.store(t.heap.size(), std::memory_order_release);
      tl_in_callback = true;
      e.fn(e.arg);
      tl_in_callback = false;
      t.fires.fetch_add(1, std::memory_order_release);
    }
    auto deadline = t.heap.empty() ? clock::time_point::max() : t.heap.begin()->first.first;
    bool idle_timers = t.heap.empty();
    uint32_t seq = t.word.load(std::memory_order_acquire);
    lk.unlock();

    if (t.sigquit.exchange(false, std::memory_order_relaxed)) on_sigquit_dump();
    if (idle_timers && g_parked_threads.load(std::memory_order_acquire) > 0) {
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
    // Go's sysmon: a runnext left behind a coroutine that keeps its worker
    // gets an idle worker to steal it (runtime_impl::retake).
    // Not watching yet: a runtime registered since (its poke woke us) must
    // start the ticks now, not when the last unwatched deadline passes.
    if (now >= next_retake || !watching) {
      watching = retake_stuck_runnext();
      monitor_tick();  // coarse clock, hog watch (dump.cpp)
      next_retake = now + retake_every;
    }
    if (watching) deadline = std::min(deadline, next_retake);
    futex_wait_until(&t.word, seq, deadline);
    lk.lock();
  }
}

}  // namespace

void monitor_ensure_started() {
  std::call_once(g_started, [] {
    timers& t = T();
    t.thread = std::thread(monitor_main);
    t.thread.detach();
    g_running.store(true, std::memory_order_release);
    install_signal_handlers(&on_sigquit);  // SIGQUIT policy: dump.cpp
  });
}

void monitor_poke() noexcept {
  if (!g_running.load(std::memory_order_acquire)) return;
  T().word.fetch_add(1, std::memory_order_release);
  futex_wake(&T().word, 1);
}

bool timers_pending() noexcept { return T().count.load(std::memory_order_acquire) != 0; }
std::size_t timers_armed() noexcept { return T().count.load(std::memory_order_relaxed); }
std::atomic<uint64_t>& timer_fires() noexcept { return T().fires; }
std::size_t monitor_threads() noexcept { return g_running.load(std::memory_order_acquire) ? 1 : 0; }

timer_id add_timer(clock::time_point when, void (*fn)(void*), void* arg) {
  tsan_hidden hide;  // the timer heap is the runtime's (detail/tsan.hpp)
  monitor_ensure_started();
  timers& t = T();
  std::unique_lock lk(t.mu, std::defer_lock);
  const bool nested = in_callback();
  if (!nested) lk.lock();
  uint64_t id = t.next_id++;
  auto it = t.heap.emplace(std::make_pair(when, id), timer_entry{fn, arg}).first;
  t.index.emplace(id, when);
  t.count.store(t.heap.size(), std::memory_order_release);
  if (it == t.heap.begin() && !nested) {
    // Order is important here: bump the word under mu; the monitor reads it
    // under mu before sleeping until the old earliest deadline.
    t.word.fetch_add(1, std::memory_order_release);
    futex_wake(&t.word, 1);
  }
  return timer_id{id};
}

bool cancel_timer(timer_id id) noexcept {
  tsan_hidden hide;
  if (!id) return false;
  timers& t = T();
  std::unique_lock lk(t.mu, std::defer_lock);
  const bool nested = in_callback();
  if (!nested) lk.lock();
  auto it = t.index.find(id.value);
  if (it == t.index.end()) return false;
  t.heap.erase(std::make_pair(it->second, id.value));
  t.index.erase(it);
  t.count.store(t.heap.size(), std::memory_order_release);
  return true;
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
  timer_id id = add_timer(when, &wake_sleeper, &w);
  park(w, nullptr, nullptr);
  if (w.fired == waiter::cancelled) {
    cancel_timer(id);
    throw_cancelled();
  }
}

}  // namespace cprime::detail
