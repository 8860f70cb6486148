// runtime/runtime_impl.hpp — private: a runtime (runtime_impl): its workers,
// queues, idle list and stack pools. Its members are defined by job:
// runtime.cpp (lifecycle, worker_main), runq.cpp (run queues, stealing, the
// global queue, picks), idle.cpp (finding work, sleeping, waking, ready(),
// the timers glue), monitor.cpp (retake, the deadlock detector's queries).
// Not installed.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "blocking_pool.hpp"
#include "stack_pool.hpp"
#include "worker.hpp"

namespace cprime::detail {

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
  int64_t earliest_timer() noexcept;  // min of every worker wheel's next event
  void wake_batch(worker* w) noexcept;
  fiber* pick_next(worker* w) noexcept;  // pick_local(), or null when a timer is due
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

// default_runtime() is the process's runtime (runtime.cpp), made on first use.
runtime_impl* default_runtime();

}  // namespace cprime::detail
