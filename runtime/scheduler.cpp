// runtime/scheduler.cpp — workers, run queues, work stealing, park/wake.
//
// Model: Go's scheduler. Each worker owns a bounded ring (single producer,
// stealers CAS the head) and a `runnext` slot; a runtime has one global
// (injection) queue. A wake from a worker of the same runtime goes to that
// worker's runnext (message-passing locality: the woken coroutine runs next,
// on the same core); anything else goes to the global queue.
//
// Invariants:
//   - runnext is taken at most runnext_limit times in a row while the ring
//     has work, so a ping-pong pair cannot starve the rest of the ring; the
//     global queue is polled every 61st pick so it cannot starve either.
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
//     so a missed wake costs parallelism, never progress. A runnext is
//     stolen only from a victim that did not switch for runnext_grace; the
//     monitor's retake() covers a runnext stuck while no worker spins.
//   - At most one idle worker of the process waits in epoll_wait (the poll
//     owner, worker::polling, guarded by idle_mu_); whoever takes it off the
//     idle list wakes it with poll_break() instead of the futex.
//   - In a one-worker runtime nobody steals, so the owner moves runnext and
//     the ring's head with plain stores (other threads only read them).
//   - foreign_wakers_ counts wakes in progress from threads that are not
//     this runtime's workers; shutdown() waits for zero before the runtime
//     can be freed (the woken coroutine may be the last one).
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "cprime/detail/poller.hpp"
#include "cprime/errors.hpp"
#include "cprime/runtime.hpp"
#include "rt.hpp"

namespace cprime::detail {

namespace {

constexpr uint32_t runnext_limit = 16;
// LIFO picks in a row before a ring holding FIFO-only entries gives its head
// a turn (see pick_local()).
constexpr uint32_t lifo_limit = 16;
constexpr auto spin_for = std::chrono::microseconds(50);
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

thread_local worker* tl_worker = nullptr;
thread_local runtime_impl* tl_blocking_rt = nullptr;
thread_local thread_parker tl_thread;

std::mutex& registry_mu() {
  static std::mutex* m = new std::mutex;  // leaked: usable during exit
  return *m;
}
std::vector<runtime_impl*>& registry() {
  static auto* v = new std::vector<runtime_impl*>;
  return *v;
}
// publish_registry() keeps the debugger's view of the registry current
// (dump.cpp, the debugger contract). registry_mu held.
void publish_registry() noexcept;

std::mutex& parked_mu() {
  static std::mutex* m = new std::mutex;
  return *m;
}
thread_parker* g_parked_head = nullptr;  // guarded by parked_mu()

}  // namespace

extern "C" {
// The debugger contract (dump.cpp): the head of the parked-thread list.
__attribute__((used)) thread_parker* const* const cprime_debug_parked_threads = &g_parked_head;
}

void for_each_parked_thread(void (*fn)(thread_parker*, void*), void* arg) noexcept {
  std::lock_guard g(parked_mu());
  for (thread_parker* t = g_parked_head; t; t = t->next) fn(t, arg);
}

std::atomic<int> g_parked_threads{0};
std::atomic<uint64_t> g_thread_parks{0};

std::atomic<int>& io_waiters() noexcept {
  static std::atomic<int> n{0};
  return n;
}

void fatal(const char* fmt, ...) noexcept {
  // Formatted first, then one write(2): the message is never cut off by a
  // crash in the middle of printing, nor interleaved with another thread's.
  char buf[1024] = "cprime: fatal: ";
  std::size_t at = std::strlen(buf);
  std::va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(buf + at, sizeof buf - at - 1, fmt, ap);
  va_end(ap);
  if (n > 0) at += std::min<std::size_t>(std::size_t(n), sizeof buf - at - 2);
  buf[at++] = '\n';
  std::fflush(stderr);
  for (std::size_t done = 0; done < at;) {
    ssize_t k = ::write(2, buf + done, at - done);
    if (k <= 0) break;
    done += std::size_t(k);
  }
  std::abort();
}

// ---- futex ---------------------------------------------------------------

void futex_wait(std::atomic<uint32_t>* a, uint32_t expected) noexcept {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(a), FUTEX_WAIT_PRIVATE, expected, nullptr,
            nullptr, 0);
}

void futex_wait_until(std::atomic<uint32_t>* a, uint32_t expected,
                      std::chrono::steady_clock::time_point until) noexcept {
  if (until == std::chrono::steady_clock::time_point::max()) return futex_wait(a, expected);
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(until.time_since_epoch()).count();
  if (ns < 0) ns = 0;
  timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
  // steady_clock is CLOCK_MONOTONIC; FUTEX_WAIT_BITSET takes an absolute time on it.
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(a), FUTEX_WAIT_BITSET_PRIVATE, expected, &ts,
            nullptr, FUTEX_BITSET_MATCH_ANY);
}

void futex_wake(std::atomic<uint32_t>* a, int n) noexcept {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(a), FUTEX_WAKE_PRIVATE, n, nullptr, nullptr, 0);
}

// ---- thread-locals -------------------------------------------------------

__attribute__((noinline)) worker* this_worker() noexcept {
  asm volatile("" ::: "memory");
  return tl_worker;
}
__attribute__((noinline)) void set_this_worker(worker* w) noexcept { tl_worker = w; }
__attribute__((noinline)) static thread_parker* this_thread_parker() noexcept {
  asm volatile("" ::: "memory");
  return &tl_thread;
}
__attribute__((noinline)) fiber* current_fiber() noexcept {
  asm volatile("" ::: "memory");
  worker* w = tl_worker;
  return w ? w->current : nullptr;
}
exec_ctx* current_ctx() noexcept {
  fiber* f = current_fiber();
  if (f) return f;
  return this_thread_parker();
}
__attribute__((noinline)) runtime_impl* current_runtime() noexcept {
  asm volatile("" ::: "memory");
  if (tl_worker) return tl_worker->rt;
  return tl_blocking_rt;
}
__attribute__((noinline)) void set_blocking_runtime(runtime_impl* rt) noexcept { tl_blocking_rt = rt; }

runtime_impl* default_runtime() {
  static runtime_impl* rt = [] {
    std::size_t n = std::thread::hardware_concurrency();
    if (const char* e = std::getenv("CPRIME_WORKERS")) {
      long v = std::strtol(e, nullptr, 10);
      if (v > 0 && v <= 4096) n = static_cast<std::size_t>(v);
    }
    if (n == 0) n = 1;
    // Leaked on purpose: never torn down, so exit with coroutines running is safe.
    auto* r = new runtime_impl(n, 128, "cprime-worker", runtime::builder::default_stack_size);
    r->hog_ms_ = default_hog_ms();
    r->start();
    return r;
  }();
  return rt;
}

// ---- runtime_impl ----------------------------------------------------------

runtime_impl::runtime_impl(std::size_t workers, std::size_t blocking, std::string name,
                           std::size_t stack)
    : name_(std::move(name)),
      max_blocking_(blocking),
      stack_size_(stack),
      stacks_(stack),
      blocking_(this, blocking, name_ + "-blk") {
  for (std::size_t i = 0; i < workers; ++i) {
    auto* w = new worker;
    w->rt = this;
    w->index = static_cast<unsigned>(i);
    w->rng = 0x9E3779B97F4A7C15ull * (i + 1);
    w->stack_cache.reserve(80);
    w->timer_woken.reserve(64);
    w->seen_runs.assign(workers, 0);
    w->wheel = wheel_acquire();
    workers_.push_back(w);
  }
}

runtime_impl::~runtime_impl() {
  for (worker* w : workers_) {
    wheel_retire(w->wheel);
    delete w;
  }
  for (auto& p : big_stacks_) delete p.load(std::memory_order_relaxed);
}

void runtime_impl::start() {
  overflow_handler_install();
  monitor_ensure_started();
  for (worker* w : workers_) w->thread = std::thread([this, w] { worker_main(w); });
  register_runtime(this);
}

bool runtime_impl::shutdown() noexcept {
  unregister_runtime(this);
  stopping_.store(true, std::memory_order_seq_cst);
  {
    std::lock_guard g(idle_mu_);
    for (worker* w : idle_) {
      w->idle = false;
      w->wake_word.store(1, std::memory_order_release);
      if (w->polling)
        poll_break();
      else
        futex_wake(&w->wake_word, 1);
    }
    idle_.clear();
    nidle_.store(0);
  }
  for (worker* w : workers_)
    if (w->thread.joinable()) w->thread.join();
  blocking_.stop();
  // Wakers on other threads (timers, the poller, other runtimes) may still be
  // inside ready(); see there.
  while (foreign_wakers_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  std::size_t live = 0;
  for_each_pool([&](stack_pool& p) { live += p.live_slots(); });
  return live == 0;
}

void runtime_impl::worker_main(worker* w) {
  // Before the first fiber: dump.cpp samples a busy worker by tid.
  w->tid.store(static_cast<long>(::syscall(SYS_gettid)), std::memory_order_relaxed);
  set_this_worker(w);
  std::string name = name_.substr(0, 11) + "-" + std::to_string(w->index);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  sanitizer_thread_start(w);
  overflow_thread_start();
  while (fiber* f = find_runnable(w)) {
    reset_spinning(w);
    run_fiber(w, f);
  }
  stacks_.flush(w);
  overflow_thread_stop();
  set_this_worker(nullptr);
  sanitizer_thread_end(w);
}

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

bool retake_stuck_runnext() noexcept {
  std::lock_guard g(registry_mu());
  for (runtime_impl* rt : registry()) rt->retake();
  return !registry().empty();
}

void register_runtime(runtime_impl* rt) {
  {
    std::lock_guard g(registry_mu());
    registry().push_back(rt);
    publish_registry();
  }
  // The coarse clock parks record must be set before the first park, not
  // at the monitor's first tick (up to 10 ms later).
  cprime_debug_now_ms.store(steady_ms(), std::memory_order_relaxed);
  monitor_poke();  // start the retake ticks (the monitor may be asleep)
}

void unregister_runtime(runtime_impl* rt) {
  std::lock_guard g(registry_mu());
  auto& r = registry();
  r.erase(std::remove(r.begin(), r.end(), rt), r.end());
  publish_registry();
}

namespace {
void publish_registry() noexcept {
  cprime_debug_runtimes = reinterpret_cast<void* const*>(registry().data());
  cprime_debug_nruntimes = registry().size();
}
}  // namespace

void for_each_runtime(void (*fn)(runtime_impl*, void*), void* arg) noexcept {
  std::lock_guard g(registry_mu());
  for (runtime_impl* rt : registry()) fn(rt, arg);
}

bool runtime_impl::worker_idle(worker* w) noexcept {
  std::lock_guard g(idle_mu_);
  return w->idle;
}

// ---- park / wake -------------------------------------------------------------

thread_parker* current_thread_parker() noexcept { return this_thread_parker(); }

namespace {
// prefetch_resume() starts loading what resuming f touches first: the frames
// above its saved stack pointer (jump_fcontext's saved registers, then
// after_switch, park and the waiting operation's frames). A woken coroutine
// usually runs within a few hundred instructions, on a cold stack: ring at
// 10,000 coroutines spends most of a hop on those misses.
inline void prefetch_resume(const fiber* f) noexcept {
  const char* sp = static_cast<const char*>(f->ctx);
  for (int i = 0; i < 8; ++i) __builtin_prefetch(sp + 64 * i, 1, 3);
}
}  // namespace

namespace {
// ready_next() is ready(f, true) for a woken coroutine, with its common case
// inline: a wake on a worker of f's runtime with an empty runnext is a plain
// store (see ready()).
inline void ready_next(fiber* f) noexcept {
  f->state.store(fiber_state::runnable, std::memory_order_relaxed);
  worker* w = this_worker();
  if (w && w->rt == f->rt) {
    if (w->firing_timers) {
      w->timer_woken.emplace_back(firing_when(), f);  // made runnable by wake_batch()
      return;
    }
    if (!w->runnext.load(std::memory_order_relaxed)) {
      w->runnext.store(f, std::memory_order_release);
      return;
    }
  }
  f->rt->ready(f, true);
}
}  // namespace

void waiter::wake() noexcept {
  // The park protocol's own edge: what the claimer wrote (`fired`, the
  // waiter's data) happens before the owner returns from park(). It shows
  // only where both sides are visible code — a park() user outside the
  // runtime's hidden entry points (tsan.hpp); those take their own edges.
  // Making the owner runnable is the runtime's business only.
  tsan_release(this);
  tsan_hidden hide;
  if (fiber* f = fiber_) {
    // An exclusive waiter was claimed under the lock its owner released only
    // after its context was saved (after_switch): it is parked, and nobody
    // else wakes it. Any other one is ours to make runnable only if its
    // park committed (and then its context is saved too).
    if (exclusive_ || park_state_.exchange(2, std::memory_order_acq_rel) == 1) {
      prefetch_resume(f);
      ready_next(f);
    }
    return;
  }
  if (park_state_.exchange(2, std::memory_order_acq_rel) == 1) futex_wake(&park_state_, 1);
}

namespace {

// enter_wait() records w as ctx's cancellable wait. Returns false when the
// wait is already cancelled (w claimed with fired == cancelled).
bool enter_wait(exec_ctx* c, waiter& w) noexcept {
  cancel_node* n = c->node;
  if (!n) return true;
  std::lock_guard g(n->mu_);
  if (n->is_cancelled() && w.cancellable() && w.try_claim()) {
    w.fired = waiter::cancelled;
    return false;
  }
  c->cur_waiter = &w;
  return true;
}

void leave_wait(exec_ctx* c) noexcept {
  cancel_node* n = c->node;
  if (!n) return;
  std::lock_guard g(n->mu_);
  c->cur_waiter = nullptr;
}

void park_thread(waiter& w, void (*unlock)(void*), void* arg) noexcept {
  // A thread may block before anything started the runtime (main receiving
  // on a channel nobody else knows): the monitor must run to see the
  // deadlock, and to answer SIGQUIT.
  monitor_ensure_started();
  thread_parker* tp = this_thread_parker();
  if (!enter_wait(tp, w)) {
    if (unlock) unlock(arg);
    return;
  }
  {
    std::lock_guard g(parked_mu());
    tp->reason = w.reason ? w.reason : "park";
    tp->since = steady_ms();
    cprime_detail_capture_frame(tp->frame);  // park_thread's frame stays until it leaves
    if (!tp->tid) tp->tid = static_cast<long>(::syscall(SYS_gettid));
    tp->prev = nullptr;
    tp->next = g_parked_head;
    if (g_parked_head) g_parked_head->prev = tp;
    g_parked_head = tp;
  }
  g_thread_parks.fetch_add(1, std::memory_order_relaxed);
  if (g_parked_threads.fetch_add(1, std::memory_order_acq_rel) == 0) monitor_poke();
  if (unlock) unlock(arg);
  auto& st = waiter_access::state(w);
  uint32_t expected = 0;
  if (st.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
    while (st.load(std::memory_order_acquire) != 2) futex_wait(&st, 1);
  }
  g_parked_threads.fetch_sub(1, std::memory_order_acq_rel);
  g_thread_parks.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard g(parked_mu());
    if (tp->prev)
      tp->prev->next = tp->next;
    else
      g_parked_head = tp->next;
    if (tp->next) tp->next->prev = tp->prev;
    tp->prev = tp->next = nullptr;
  }
  leave_wait(tp);
  tsan_acquire(&w);  // pairs with waiter::wake()
}

}  // namespace

__attribute__((flatten)) void park_fiber(fiber* f, waiter& w, void (*unlock)(void*), void* arg) noexcept {
  // unlock(arg) runs hidden, in whichever context the switch lands: publish
  // our clock on arg now, so that a visible lock (a spinlock: arg is its
  // atomic) still orders what we did before parking before its next holder.
  if (unlock) tsan_release(arg);
  // Hidden from TSan from here until the owner runs again (tsan.hpp): the
  // switch path ends the stretch in whichever context it resumes.
  tsan_hide_begin();
  if (!f->node) {
    // No canceller can reach this wait: with only lock holders claiming,
    // the handshakes can go (waiter::set_lock_only()).
    waiter_access::make_exclusive_if_lock_only(w);
  } else if (!enter_wait(f, w)) {
    if (unlock) unlock(arg);
    tsan_hide_end();
    return;
  }
  f->reason.store(w.reason ? w.reason : "park", std::memory_order_relaxed);
  f->since = coarse_now_ms();
  worker* wk = this_worker();
  wk->parks.store(wk->parks.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  wk->sw = switch_record{after::park, f, &w, unlock, arg};
  fiber* next = wk->rt->stopping() ? nullptr : wk->rt->pick_next(wk);
  switch_to(wk, next);
  // Resumed, possibly on another worker.
  f->reason.store(nullptr, std::memory_order_relaxed);
  leave_wait(f);
  tsan_hide_end();
  tsan_acquire(&w);  // pairs with waiter::wake()
}

void park(waiter& w, void (*unlock)(void*), void* arg) noexcept {
  // w is bound to its owner, the caller (park.hpp): no thread-local lookup.
  if (fiber* f = w.fiber_)
    park_fiber(f, w, unlock, arg);
  else
    park_thread(w, unlock, arg);
}

bool in_coroutine() noexcept { return current_fiber() != nullptr; }

// cancel_requested() and throw_if_cancelled() start every channel operation:
// one thread-local read (both are noinline, so the read never crosses a
// switch), then the current coroutine's (or thread's) cancel node.
namespace {
[[gnu::always_inline]] inline bool cancelled_here() noexcept {
  asm volatile("" ::: "memory");
  worker* w = tl_worker;
  exec_ctx* c;
  if (w && w->current)
    c = w->current;
  else
    c = this_thread_parker();
  cancel_node* n = c->node;
  return n && n->is_cancelled();
}
}  // namespace

// Whoever sees its cancellation marks its node observed (the timeout block
// reports a deadline only if it interrupted something, see finish_timeout).
__attribute__((noinline)) bool cancel_requested() noexcept {
  if (!cancelled_here()) return false;
  if (cancel_node* n = current_ctx()->node) n->note_observed();
  tsan_cancel_observed();  // race detector: the cancel() happens before
  return true;
}

// Observing a cancellation takes the race detector's cancellation edge
// (detail/tsan.hpp); inside a runtime entry point's hidden stretch the
// stretch takes it as the exception leaves.
void throw_cancelled() {
  if (cancel_node* n = current_ctx()->node) n->note_observed();
  tsan_cancel_observed();
  throw cprime::cancelled();
}

__attribute__((noinline)) void throw_if_cancelled() {
  if (cancelled_here()) throw_cancelled();
}

void yield_current() noexcept {
  fiber* f = current_fiber();
  if (!f) {
    std::this_thread::yield();
    return;
  }
  worker* w = this_worker();
  tsan_hide_begin();  // a yield orders nothing (tsan.hpp)
  w->sw = switch_record{after::yield, f};
  switch_to(w, w->rt->pick_next(w));
  tsan_hide_end();
}

// ---- dump and deadlock detection ---------------------------------------------

namespace {

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

}  // namespace

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
    std::lock_guard g(registry_mu());
    for (runtime_impl* rt : registry()) {
      if (!rt->quiescent()) {
        ok = false;
        break;
      }
      known += rt->known_threads();
      epoch += rt->activity();
    }
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

}  // namespace cprime::detail

namespace cprime {

runtime runtime::builder::build() const {
  std::size_t n = workers_;
  if (n == 0) n = std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  std::size_t stack = stack_ < 16 * 1024 ? 16 * 1024 : stack_;
  stack = (stack + 4095) / 4096 * 4096;
  auto* impl = new detail::runtime_impl(n, blocking_ ? blocking_ : 1, name_, stack);
  impl->hog_ms_ = hog_set_ ? hog_ms_ : detail::default_hog_ms();
  impl->start();
  return runtime(impl);
}

runtime& runtime::operator=(runtime&& o) noexcept {
  if (this != &o) {
    runtime tmp(std::move(*this));
    impl_ = std::exchange(o.impl_, nullptr);
  }
  return *this;
}

runtime::~runtime() {
  if (!impl_) return;
  // Coroutines still parked keep pointers into the runtime and their stacks:
  // leak both rather than free memory under them (kept reachable in a
  // process-wide list, so leak checkers see it as intentional).
  if (impl_->shutdown()) {
    delete impl_;
  } else {
    static auto* abandoned = new std::vector<detail::runtime_impl*>;
    static std::mutex* abandoned_mu = new std::mutex;
    std::lock_guard g(*abandoned_mu);
    abandoned->push_back(impl_);
  }
}

std::size_t runtime::worker_threads() const noexcept { return impl_ ? impl_->nworkers() : 0; }
std::size_t runtime::max_blocking_threads() const noexcept {
  return impl_ ? impl_->max_blocking_ : 0;
}
std::size_t runtime::stack_size() const noexcept { return impl_ ? impl_->stack_size_ : 0; }

void dump() noexcept { detail::dump_to_stderr(detail::dump_why::api); }

}  // namespace cprime
