// runtime/worker.hpp — private: a worker (one OS thread running coroutines),
// its switch record, and the calling thread's runtime context. Not installed.
//
// Invariant: worker fields without a guard are touched only by the worker's
// own thread (sw, current, stacks); ring/runnext are lock-free and
// documented at their functions (runq.cpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

#include "fiber.hpp"

namespace cprime::detail {

class runtime_impl;
struct timer_wheel;

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

// Thread-local access (park.cpp). Out of line on purpose: a coroutine may
// resume on another thread, so no caller may cache a thread-local address
// across a switch.
worker* this_worker() noexcept;
void set_this_worker(worker* w) noexcept;
fiber* current_fiber() noexcept;
exec_ctx* current_ctx() noexcept;
runtime_impl* current_runtime() noexcept;  // worker's or blocking thread's runtime, else null
void set_blocking_runtime(runtime_impl* rt) noexcept;

}  // namespace cprime::detail
