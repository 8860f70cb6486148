// runtime/rt.hpp — private: the runtime's core structures, shared by
// scheduler.cpp, fiber.cpp, stack_pool.cpp, timer.cpp, blocking_pool.cpp,
// task.cpp, sync.cpp and cancel.cpp. Not installed.
//
// Invariants:
//   - A fiber is in at most one place: running on exactly one worker, in one
//     run queue (a worker's ring or runnext, or a runtime's global queue), or
//     parked (reachable only through the waiter it parked on).
//   - A fiber's saved context (fiber::ctx) is written by the context that
//     resumes after it switched away, before it is made runnable or its park
//     is committed; so whoever resumes it sees a complete context.
//   - worker fields without a guard are touched only by the worker's own
//     thread (switch_, current, stacks); ring/runnext are lock-free and
//     documented at their functions.
#pragma once

#include <boost/context/detail/fcontext.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cprime/detail/cancel_node.hpp"
#include "cprime/detail/park.hpp"
#include "cprime/detail/spinlock.hpp"
#include "cprime/task.hpp"
#include "cprime/detail/tsan.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CPRIME_ASAN_FIBERS 1
#endif
#if __has_feature(thread_sanitizer)
#define CPRIME_TSAN_FIBERS 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(CPRIME_ASAN_FIBERS)
#define CPRIME_ASAN_FIBERS 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(CPRIME_TSAN_FIBERS)
#define CPRIME_TSAN_FIBERS 1
#endif

namespace cprime::detail {

namespace ctx = boost::context::detail;

class runtime_impl;
struct worker;
class stack_pool;
struct fiber;
struct thread_ctx;
struct timer_wheel;

// waiter_access reaches waiter's private fields for the runtime.
struct waiter_access {
  static std::atomic<uint32_t>& state(waiter& w) noexcept { return w.park_state_; }
  static fiber* owner_fiber(waiter& w) noexcept { return w.fiber_; }
  static thread_parker* owner_thread(waiter& w) noexcept { return w.thread_; }
  static bool exclusive(waiter& w) noexcept { return w.exclusive_; }
  static void make_exclusive_if_lock_only(waiter& w) noexcept {
    if (w.lock_only_) w.exclusive_ = true;
  }
};

// exec_ctx is what a cancel node knows of a member: a fiber or a plain thread.
struct exec_ctx {
  cancel_node* node = nullptr;  // written by the owner only; members link under node->mu_
  waiter* cur_waiter = nullptr; // guarded by node->mu_ (kept only while node != nullptr)
  exec_ctx* node_prev = nullptr;  // guarded by node->mu_
  exec_ctx* node_next = nullptr;  // guarded by node->mu_
};

// fiber states, for dump() and the stack pool's liveness scan.
enum class fiber_state : uint8_t { free = 0, runnable, running, parked, done };

// fiber is a coroutine's control block. It lives at the top of its own stack
// slot, so a fresh coroutine touches one page for block, closure and first
// frames.
struct fiber : exec_ctx {
  // First cache line (with exec_ctx's 32 bytes): what every switch touches.
  ctx::fcontext_t ctx = nullptr;  // saved context while not running
  runtime_impl* rt = nullptr;
  std::atomic<const char*> reason{nullptr};  // what it is parked on
  std::atomic<fiber_state> state{fiber_state::free};
  // fresh: spawned and never run. A hint for the owner's LIFO pick
  // (scheduler.cpp, pick_local); cleared when the fiber first runs.
  std::atomic<bool> fresh{true};
  // Second line: the stack check at every switch away, `since` (written at
  // every park: on a third line it cost a cache miss per park), then cold
  // fields.
  uint64_t* canary = nullptr;    // in the neighbour slot's resident top page, or null
  char* stack_lo = nullptr;      // lowest usable byte
  char* stack_hi = nullptr;      // one past the highest usable byte
  // since: coarse_now_ms() when it last parked (dump.cpp; written before the
  // park commits, so a reader that saw state == parked sees it).
  int64_t since = 0;
  char* slot = nullptr;          // tagged slot (stack_pool)
  closure_fn run = nullptr;
  void* closure = nullptr;
  bool closure_on_heap = false;
  bool deep = false;             // seen below its stack's keep line at a switch (stack_pool::give_back)
  task_state_base* task = nullptr;
  site where;
  uint64_t id = 0;
#ifdef CPRIME_TSAN_FIBERS
  void* tsan_fiber = nullptr;
#endif
};

// Worker-to-worker switch record: what the context we switch to must do once
// we are off our stack.
enum class after : uint8_t { none, park, yield, handoff, exit };  // handoff: requeue in runnext
struct switch_record {
  after what = after::none;
  fiber* prev = nullptr;           // null: the worker's scheduler context
  waiter* w = nullptr;             // after::park
  void (*unlock)(void*) = nullptr; // after::park
  void* arg = nullptr;
};

// worker is one OS thread running coroutines.
struct alignas(64) worker {
  static constexpr uint32_t ring_size = 256;

  runtime_impl* rt = nullptr;
  unsigned index = 0;
  std::thread thread;

  // Run queue: single producer (this worker), many consumers (stealers).
  // head/tail, runnext and runs sit on separate cache lines: spinners poll
  // head/tail, while the owner writes runnext and runs at every handoff.
  alignas(64) std::atomic<uint32_t> head{0};  // consumers CAS
  std::atomic<uint32_t> tail{0};              // owner stores (release)
  std::atomic<fiber*> ring[ring_size];
  alignas(64) std::atomic<fiber*> runnext{nullptr};  // owner sets, anyone exchanges out
  alignas(64) std::atomic<uint64_t> runs{0};  // fibers resumed (owner); read by thieves, deadlock detector
  // The fiber running now (null in the scheduler context), published with
  // runs at every switch (release: its control block is readable) for the
  // hog watch; a plain store beside runs'.
  std::atomic<fiber*> running{nullptr};
  // Metrics (metrics.cpp): owner-written with plain load+store (like runs),
  // summed on read, so counting costs no locked instruction.
  std::atomic<uint64_t> spawned{0}, parks{0}, steals{0};

  // Owner-only.
  alignas(64) fiber* current = nullptr;
  ctx::fcontext_t sched_ctx = nullptr;
  switch_record sw;
  uint32_t tick = 0;
  uint32_t runnext_streak = 0;
  uint32_t lifo_streak = 0;
  uint64_t next_id = 0, id_end = 0;  // this worker's block of coroutine ids
  timer_wheel* wheel = nullptr;  // this worker's timers (timer.cpp); the pointer is immutable
  uint32_t timer_tick = 0;       // picks since the wheel was last looked at
  bool firing_timers = false;    // in run_timers()/help_timers(): wakes go to timer_woken
  // Coroutines woken by the timers being fired, with those timers' deadlines.
  std::vector<std::pair<uint64_t, fiber*>> timer_woken;
  uint32_t ring_stale = 0;  // non-fresh entries in the ring, an overestimate (pick_local)
  std::atomic<bool> fifo_due{false};  // set by the monitor (retake), cleared by the owner
  uint64_t rng = 0;
  bool spinning = false;
  std::vector<char*> stack_cache;
  std::vector<uint64_t> seen_runs;  // every worker's `runs` when this one began to spin
#ifdef CPRIME_ASAN_FIBERS
  const void* sched_stack_bottom = nullptr;
  std::size_t sched_stack_size = 0;
#endif
#ifdef CPRIME_TSAN_FIBERS
  void* sched_tsan_fiber = nullptr;
  // Set once the thread is up (fiber.cpp, sanitizer_thread_start): spawns
  // acquire it, so its TLS initialisation happens before every coroutine.
  std::atomic<bool> tsan_started{false};
#endif

  // Shared.
  std::atomic<uint32_t> wake_word{0};   // futex: 0 asleep, 1 woken, 2 woken as spinner
  bool idle = false;                    // guarded by runtime_impl::idle_mu_
  bool polling = false;                 // guarded by runtime_impl::idle_mu_: idle in epoll_wait
  uint64_t retake_runs = 0;             // guarded by registry_mu (the monitor's retake)
  uint32_t retake_head = 0;             // guarded by registry_mu (the monitor's retake)
  std::atomic<long> tid{0};             // OS thread id, stored before the thread runs a fiber
  // The monitor's hog watch (dump.cpp), guarded by registry_mu.
  uint64_t hog_runs = 0;
  int64_t hog_since = 0;
  bool hog_checked = false;
};

// stack_pool hands out stack slots carved from large MAP_NORESERVE slabs.
// See stack_pool.cpp for the layout.
class stack_pool {
 public:
  friend struct debug_layout_access;  // dump.cpp: the debugger contract
  // stack_size: usable bytes below the slot's top page (rounded up to pages).
  // cls: the pool's size class, carried in its slots' tags (runtime_impl::pool).
  explicit stack_pool(std::size_t stack_size, unsigned cls = 0);
  ~stack_pool();
  std::size_t slot_size() const noexcept { return slot_size_; }
  std::size_t stack_size() const noexcept { return stack_size_; }
  // alloc()/free() go through the calling worker's cache when w != nullptr.
  char* alloc(worker* w);
  void free(worker* w, char* slot) noexcept;
  void flush(worker* w) noexcept;
  // Entries are tagged slot addresses (low bits: kind and size class);
  // untag() gives the base.
  // tag_unarmed: a guard-region slot whose guard is installed on its first
  // hand-out (a slab's unused slots then cost no page tables).
  static constexpr uintptr_t tag_guarded = 1, tag_first = 2, tag_unarmed = 64;
  static constexpr unsigned cls_shift = 2, max_classes = 16;
  static char* untag(char* e) noexcept {
    return reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(e) & ~uintptr_t{4095});
  }
  static unsigned cls_of(char* e) noexcept {
    return unsigned(reinterpret_cast<uintptr_t>(e) >> cls_shift) & (max_classes - 1);
  }
  // layout(slot) returns [lo, hi) of the stack proper, and the canary zone
  // (null when a guard zone protects the slot).
  void layout(char* slot, char** lo, char** hi, uint64_t** canary) const noexcept;
  // zone_written(slot): an unguarded slot's bottom zone (below lo) holds a
  // non-zero word where an overflow would first write it.
  bool zone_written(char* slot) const noexcept;
  // give_back(slot, deep): returns the pages of a dead coroutine's stack
  // below its top keep_bytes to the kernel when it was deep (deep: it was
  // seen below that line at a switch) or when the word just below the line
  // is non-zero. An exited coroutine's stack holds nothing anyone may point into.
  void give_back(char* slot, bool deep) noexcept;
  // for_each_slot(fn) visits every slot ever carved (dump, liveness).
  template <class Fn>
  void for_each_slot(Fn&& fn) {
    std::lock_guard g(mu_);
    for (auto& s : slabs_)
      for (std::size_t i = 0; i < s.count; ++i) fn(s.base + i * slot_size_);
  }
  std::size_t live_slots() noexcept;
  static constexpr std::size_t top_reserve = 256;  // neighbour canary zone at a slot's top
  static constexpr std::size_t zone_bytes = 64 << 10;  // below each stack: guard or gap
  static constexpr std::size_t keep_bytes = 32 << 10;  // a recycled stack keeps these
  // guarded_budget(): slots with a PROT_NONE zone, process-wide
  // (vm.max_map_count / 8: two mappings per guarded slot, so at most a
  // quarter of the mappings a process may have). Used only where the kernel
  // has no guard regions (guard_regions()).
  static std::size_t guarded_budget() noexcept;
  // guard_regions(): every slot's zone is a guard region (madvise
  // MADV_GUARD_INSTALL, Linux 6.13+: no mapping per guard). The kernel is
  // probed once; tests turn it off to exercise the older scheme.
  static bool guard_regions() noexcept;
  static void set_guard_regions_for_testing(bool on) noexcept;

 private:
  struct slab {
    char* map;         // mmap base (includes the leading guard page)
    std::size_t bytes;
    char* base;        // first slot
    std::size_t count;
    bool guarded;      // every slot's zone faults: a guard region or PROT_NONE
    bool budgeted;     // PROT_NONE zones, counted in guarded_budget()
  };
  void grow_locked();
  void register_roots(const slab& s) noexcept;    // LeakSanitizer builds only
  void unregister_roots(const slab& s) noexcept;
  std::size_t stack_size_;
  std::size_t slot_size_;
  unsigned cls_;
  std::mutex mu_;
  std::vector<slab> slabs_;      // guarded by mu_
  std::vector<char*> free_;      // guarded by mu_
  std::size_t total_ = 0;        // guarded by mu_
};

// blocking_pool runs spawn_blocking jobs on at most max threads.
class blocking_pool {
 public:
  blocking_pool(runtime_impl* rt, std::size_t max, std::string name);
  ~blocking_pool();
  void submit(closure_fn run, void* closure, task_state_base* st);
  void stop() noexcept;
  std::size_t threads() noexcept;
  bool busy() noexcept;  // a job queued or running
  std::size_t max() const noexcept { return max_; }

 private:
  struct job {
    closure_fn run;
    void* closure;
    task_state_base* st;
  };
  void loop();
  runtime_impl* rt_;
  std::size_t max_;
  std::string name_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<job> jobs_;            // guarded by mu_
  std::vector<std::thread> pool_;   // guarded by mu_
  std::size_t idle_ = 0;            // guarded by mu_
  std::size_t active_ = 0;          // guarded by mu_
  bool stop_ = false;               // guarded by mu_
};

class runtime_impl {
 public:
  friend struct debug_layout_access;  // dump.cpp: the debugger contract
  runtime_impl(std::size_t workers, std::size_t blocking, std::string name, std::size_t stack);
  ~runtime_impl();
  void start();
  // shutdown() stops and joins every thread; returns true if no fiber is alive.
  bool shutdown() noexcept;

  // ready() makes f runnable: on the calling worker's runnext when it belongs
  // to this runtime, else on the global queue; wakes an idle worker if needed.
  // Precondition: f is not runnable yet (so the runtime is alive on entry).
  // From any other thread, f may run, finish and let the runtime be
  // destroyed while ready() still runs: foreign_wakers_ keeps it alive.
  void ready(fiber* f, bool next) noexcept;
  // wakep() wakes an idle worker if none spins. fence = false only when the
  // new work is in the calling worker's own queues (see ready()).
  void wakep(bool fence = true) noexcept;

  std::size_t nworkers() const noexcept { return workers_.size(); }
  bool stopping() const noexcept { return stopping_.load(std::memory_order_acquire); }
  stack_pool& stacks() noexcept { return stacks_; }
  // Larger stacks asked for per spawn (spawn_options::stack_size) come from
  // pools of default << cls bytes (cls >= 1), made on first use and kept for
  // the runtime's life. pool_for(bytes) picks the smallest that holds bytes;
  // pool_of(slot) is the pool a tagged slot came from.
  stack_pool& pool_for(std::size_t bytes);
  stack_pool& pool_of(char* slot) noexcept {
    unsigned c = stack_pool::cls_of(slot);
    return c ? *big_stacks_[c].load(std::memory_order_acquire) : stacks_;
  }
  // for_each_pool(fn) visits the default pool and every larger one made.
  template <class Fn>
  void for_each_pool(Fn&& fn) {
    fn(stacks_);
    for (unsigned c = 1; c < stack_pool::max_classes; ++c)
      if (stack_pool* p = big_stacks_[c].load(std::memory_order_acquire)) fn(*p);
  }
  blocking_pool& blocking() noexcept { return blocking_; }
  worker* worker_at(std::size_t i) noexcept { return workers_[i]; }

  // Deadlock detector support.
  bool quiescent() noexcept;  // all workers asleep, no queued work, blocking pool idle
  uint64_t activity() noexcept;
  std::size_t known_threads() noexcept;

  void worker_main(worker* w);
  fiber* find_runnable(worker* w);
  fiber* pick_local(worker* w) noexcept;
  void global_push(fiber* const* fs, std::size_t n) noexcept;
  fiber* global_take(worker* w) noexcept;
  // lifo_ok: the owner may take f from the tail (see pick_local()).
  bool runq_put(worker* w, fiber* f, bool lifo_ok) noexcept;
  fiber* runq_get(worker* w) noexcept;
  fiber* runq_pop_lifo(worker* w) noexcept;
  fiber* take_head_done(worker* w, fiber* f, uint32_t new_head) noexcept;
  fiber* steal(worker* thief, worker* victim, bool take_runnext) noexcept;
  bool any_work() noexcept;  // any queued work: global queue, rings, runnext slots
  // takeable_work() is work `self` could take now: the global queue, a ring
  // of steal_backlog or more, or a non-empty ring (and, with runnext, a
  // runnext) of a worker that has not switched since self->seen_runs.
  bool takeable_work(worker* self, bool runnext) noexcept;
  // retake() (monitor, registry_mu held) wakes an idle worker when a worker
  // has kept a runnext waiting since the previous call without switching,
  // and flags a worker whose ring head did not move (fifo_due).
  void retake() noexcept;
  void reset_spinning(worker* w) noexcept;
  // run_timers() fires w's due timers (every timer_check_every calls, or
  // now); with batch, their wakes wait for the next wake_batch().
  // help_timers() fires other workers' due timers, then wake_batch(). True if
  // any fired.
  bool run_timers(worker* w, bool now, bool batch = false) noexcept;
  bool help_timers(worker* self) noexcept;
  int64_t earliest_timer() noexcept;
  void wake_batch(worker* w) noexcept;
  fiber* pick_next(worker* w) noexcept;  // pick_local(), or null when a timer is due  // min of every worker wheel's next event
  static constexpr uint32_t timer_check_every = 16;

  std::string name_;
  std::size_t max_blocking_;
  std::size_t stack_size_;
  // A coroutine that keeps its worker this long without switching is
  // reported once (dump.cpp, hog_check()); 0: never.
  int64_t hog_ms_ = 100;
  // Spawns from threads that are not this runtime's workers (metrics.cpp;
  // workers count in worker::spawned).
  std::atomic<uint64_t> thread_spawns_{0};
  // worker_idle() reads w->idle under idle_mu_ (the hog watch).
  bool worker_idle(worker* w) noexcept;
  // Coroutine ids for dump(): workers take them in blocks (worker::next_id),
  // so spawns on different workers never write a shared line.
  alignas(64) std::atomic<uint64_t> next_fiber_id_{1};
  static constexpr uint64_t id_block = 4096;

 private:
  // Read on every pick: kept off the lines that workers write.
  alignas(64) std::vector<worker*> workers_;
  alignas(64) stack_pool stacks_;
  std::mutex big_stacks_mu_;  // serialises making a pool; readers load big_stacks_
  std::atomic<stack_pool*> big_stacks_[stack_pool::max_classes] = {};
  blocking_pool blocking_;

  alignas(64) std::mutex global_mu_;
  std::deque<fiber*> global_;     // guarded by global_mu_
  std::atomic<std::size_t> global_size_{0};  // written under global_mu_

  alignas(64) std::mutex idle_mu_;
  std::vector<worker*> idle_;      // guarded by idle_mu_
  std::atomic<int> nidle_{0};      // written under idle_mu_
  std::atomic<int> nspinning_{0};
  std::atomic<bool> stopping_{false};
  // Wakes in flight from threads that are not this runtime's workers; the
  // runtime's memory stays alive until it drops to zero (see ready()).
  std::atomic<int> foreign_wakers_{0};

  static void poll_woken(void* w) noexcept;
};

// Thread-local access. Out of line on purpose: a coroutine may resume on
// another thread, so no caller may cache a thread-local address across a
// switch.
worker* this_worker() noexcept;
void set_this_worker(worker* w) noexcept;
fiber* current_fiber() noexcept;
exec_ctx* current_ctx() noexcept;
runtime_impl* current_runtime() noexcept;  // worker's or blocking thread's runtime, else null
void set_blocking_runtime(runtime_impl* rt) noexcept;
runtime_impl* default_runtime();

// fiber.cpp: context switching.
void fiber_init(fiber* f, char* lo, char* hi) noexcept;
[[noreturn]] void fiber_entry(ctx::transfer_t t) noexcept;
void switch_to(worker* w, fiber* next) noexcept;  // from the current fiber; w->sw set
void after_switch(ctx::transfer_t t) noexcept;
void run_fiber(worker* w, fiber* f) noexcept;     // from the scheduler context
void check_stack(fiber* f) noexcept;
void fiber_release(worker* w, fiber* f) noexcept;
void sanitizer_thread_start(worker* w) noexcept;
void sanitizer_thread_end(worker* w) noexcept;  // fiber.cpp: before a worker thread exits
void canary_arm(uint64_t* c) noexcept;
bool canary_ok(const uint64_t* c) noexcept;

// scheduler.cpp
void park_fiber(fiber* f, waiter& w, void (*unlock)(void*), void* arg) noexcept;
void register_runtime(runtime_impl* rt);
// retake_stuck_runnext() runs retake() on every runtime; false when no
// runtime exists (nothing to watch).
bool retake_stuck_runnext() noexcept;
void unregister_runtime(runtime_impl* rt);

// timer.cpp: timing wheels and the monitor thread.
// wheel_acquire()/wheel_retire() give a worker its wheel and take it back
// (armed timers move to the process wheel). wheel_run() fires what is due at
// now_ns (false if nothing fired, or another thread is driving it);
// wheel_next_ns() is a lower bound of its next event (INT64_MAX: none).
timer_wheel* wheel_acquire();
void wheel_retire(timer_wheel* w) noexcept;
bool wheel_run(timer_wheel* w, int64_t now_ns) noexcept;
int64_t wheel_next_ns(const timer_wheel* w) noexcept;
int64_t now_ns() noexcept;  // steady clock, ns
// firing_when() is the deadline (wheel ticks) of the timer whose callback this
// thread runs, 0 outside a callback: wakes made by timers are readied in
// deadline order (runtime_impl::wake_batch).
uint64_t firing_when() noexcept;
void monitor_ensure_started();
void monitor_poke() noexcept;
bool timers_pending() noexcept;
std::size_t timers_armed() noexcept;  // metrics
std::atomic<uint64_t>& timer_fires() noexcept;
std::size_t monitor_threads() noexcept;  // 1 once started

// poller.cpp: the scheduler's side of the poller. At most one worker in the
// process blocks in epoll_wait at a time (the poll owner); poll_break() wakes
// it through the poller's eventfd.
bool poller_started() noexcept;
bool poll_try_own() noexcept;
void poll_disown() noexcept;
bool poll_owned() noexcept;
void poll_break() noexcept;

// Plain threads parked in the runtime (deadlock detector, dump).
extern std::atomic<int> g_parked_threads;
extern std::atomic<uint64_t> g_thread_parks;
// dump.cpp: dumps, the deadlock report, the hog watch, the debugger contract.
enum class dump_why { api, sigquit, deadlock };
void dump_to_stderr(dump_why why) noexcept;
[[noreturn]] void check_deadlock_and_exit() noexcept;  // called by the monitor
// The parked-thread list (scheduler.cpp), for dump.cpp: fn(tp) for each
// thread parked now, under the list's lock.
void for_each_parked_thread(void (*fn)(thread_parker*, void*), void* arg) noexcept;
// capture_frame(out) stores the caller's callee-saved registers, return
// address and stack pointer (dump.cpp, assembly): enough to unwind the
// caller's stack later, while it stays blocked below that call.
extern "C" void cprime_detail_capture_frame(uint64_t* out) noexcept;
// for_each_runtime() runs fn on every registered runtime, under registry_mu.
void for_each_runtime(void (*fn)(runtime_impl*, void*), void* arg) noexcept;
// monitor_tick() is the monitor's every-10-ms hook: refreshes the coarse
// clock and runs the hog watch.
void monitor_tick() noexcept;
// install_signal_handlers() (from monitor_ensure_started): SIGQUIT's dump
// (policy in dump.cpp, CPRIME_SIGQUIT) and the stack-sampling signal.
void install_signal_handlers(void (*sigquit_handler)(int)) noexcept;
// on_sigquit_dump() runs on the monitor when SIGQUIT arrived.
void on_sigquit_dump() noexcept;
// coarse_now_ms(): steady-clock milliseconds as of the monitor's last tick
// (at most ~10 ms old while a runtime exists); one load, for park().
extern "C" std::atomic<int64_t> cprime_debug_now_ms;
inline int64_t coarse_now_ms() noexcept { return cprime_debug_now_ms.load(std::memory_order_relaxed); }
int64_t steady_ms() noexcept;
int64_t default_hog_ms() noexcept;  // dump.cpp: CPRIME_HOG_MS, else 100
extern "C" void* const* cprime_debug_runtimes;  // dump.cpp: the registry, for debuggers
extern "C" std::size_t cprime_debug_nruntimes;

// For the I/O poller: coroutines waiting on fds keep the deadlock
// detector quiet while > 0.
std::atomic<int>& io_waiters() noexcept;

// fatal() prints "cprime: fatal: <message>" to stderr in one write and aborts.
[[noreturn]] void fatal(const char* fmt, ...) noexcept __attribute__((format(printf, 1, 2)));

// overflow.cpp: stack overflow reports (docs/runtime.md, "Stacks").
// overflow_handler_install() installs the process's SIGSEGV handler once
// (idempotent); overflow_thread_start()/stop() give the calling worker
// thread an alternate signal stack, which the handler runs on (the faulting
// stack has no room left).
void overflow_handler_install() noexcept;
void overflow_thread_start() noexcept;
void overflow_thread_stop() noexcept;
// stack_overflow(f, addr, how) reports that f overflowed its stack and
// aborts: "coroutine N spawned at file:line overflowed its K KiB stack".
[[noreturn]] void stack_overflow(const fiber* f, const void* addr, const char* how) noexcept;

}  // namespace cprime::detail

namespace cprime::detail {

// thread_parker is a plain OS thread's side of the runtime: its cancel-node
// membership and, while it is parked, its entry in the parked-thread list.
struct thread_parker : exec_ctx {
  const char* reason = nullptr;    // guarded by g_parked_mu
  int64_t since = 0;               // guarded by g_parked_mu: steady ms when it parked
  // Where park_thread() blocked: r12-r15, rbx, rbp, return address, stack
  // pointer (capture_frame()), so dumps unwind a parked thread without
  // interrupting it. Guarded by g_parked_mu.
  uint64_t frame[8] = {};
  thread_parker* prev = nullptr;   // guarded by g_parked_mu
  thread_parker* next = nullptr;   // guarded by g_parked_mu
  long tid = 0;
};

// fiber_in_slot() is where a slot's control block lives.
inline fiber* fiber_in_slot(char* slot, std::size_t slot_size) noexcept {
  uintptr_t hi = reinterpret_cast<uintptr_t>(slot) + slot_size - stack_pool::top_reserve;
  return reinterpret_cast<fiber*>((hi - sizeof(fiber)) & ~uintptr_t{63});
}

// Futex helpers on 32-bit atomics.
void futex_wait(std::atomic<uint32_t>* a, uint32_t expected) noexcept;
// futex_wait_until() waits at most until the steady-clock point `until`.
void futex_wait_until(std::atomic<uint32_t>* a, uint32_t expected,
                      std::chrono::steady_clock::time_point until) noexcept;
void futex_wake(std::atomic<uint32_t>* a, int n) noexcept;

bool deadlock_probe() noexcept;  // scheduler.cpp; true: deadlock confirmed

}  // namespace cprime::detail
