// runtime/metrics.cpp — cprime::metrics() and runtime::metrics(): sums of
// the per-worker counters (worker::spawned/parks/steals/runs, written by
// their owner with plain stores, so the hot path pays no locked
// instruction) and gauges read from every coroutine's control block.
#include <algorithm>
#include <map>

#include "cprime/detail/poller.hpp"
#include "cprime/metrics.hpp"
#include "cprime/runtime.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"
#include "timer_wheel.hpp"

namespace cprime::detail {
namespace {

struct tally {
  runtime_metrics m;
  std::map<std::string, std::size_t> by_wait;
};

void add_runtime(runtime_impl* rt, void* arg) {
  auto* t = static_cast<tally*>(arg);
  runtime_metrics& m = t->m;
  m.workers += rt->nworkers();
  m.blocking_threads += rt->blocking().threads();
  rt->for_each_pool([&](stack_pool& pool) {
  const std::size_t ss = pool.slot_size();
  pool.for_each_slot([&](char* slot) {
    fiber* f = fiber_in_slot(slot, ss);
    switch (f->state.load(std::memory_order_acquire)) {
      case fiber_state::free: return;
      case fiber_state::runnable: ++m.runnable; break;
      case fiber_state::running: ++m.running; break;
      case fiber_state::parked: {
        ++m.parked;
        const char* why = f->reason.load(std::memory_order_relaxed);
        ++t->by_wait[why ? why : "park"];
        break;
      }
      case fiber_state::done: return;  // finished, its slot not yet recycled
    }
    ++m.coroutines_alive;
  });
  });
  // The counters are read after the gauges: a worker counts a park before it
  // publishes the coroutine's parked state (release), so every park the scan
  // above saw (acquire) is in these sums too, and a snapshot never shows
  // more parked coroutines than parks.
  m.spawned_total += rt->thread_spawns_.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < rt->nworkers(); ++i) {
    worker* w = rt->worker_at(i);
    m.spawned_total += w->spawned.load(std::memory_order_relaxed);
    m.parks_total += w->parks.load(std::memory_order_relaxed);
    m.steals_total += w->steals.load(std::memory_order_relaxed);
    m.switches_total += w->runs.load(std::memory_order_relaxed);
  }
}

runtime_metrics finish(tally& t) {
  runtime_metrics& m = t.m;
  m.blocked_threads = static_cast<std::size_t>(std::max(0, g_parked_threads.load()));
  m.io_waiters = static_cast<std::size_t>(std::max(0, io_waiters().load()));
  m.timers_armed = timers_armed();
  m.thread_parks_total = g_thread_parks.load(std::memory_order_relaxed);
  m.parked_by_wait.assign(t.by_wait.begin(), t.by_wait.end());
  // Most first; std::map gave name order for equal counts.
  std::sort(m.parked_by_wait.begin(), m.parked_by_wait.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return std::move(m);
}

}  // namespace
}  // namespace cprime::detail

namespace cprime {

runtime_metrics metrics() {
  detail::tally t;
  detail::for_each_runtime(&detail::add_runtime, &t);
  return detail::finish(t);
}

runtime_metrics runtime::metrics() const {
  detail::tally t;
  if (impl_) detail::add_runtime(impl_, &t);
  return detail::finish(t);
}

}  // namespace cprime
