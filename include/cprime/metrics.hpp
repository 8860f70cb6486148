// cprime/metrics.hpp — a snapshot of the runtime's counters, as Go's
// runtime/metrics and Tokio's RuntimeMetrics offer.
//
//   #include <cprime/metrics.hpp>
//   cprime::runtime_metrics m = cprime::metrics();   // every runtime
//   std::printf("%zu alive, %zu in chan recv\n", m.coroutines_alive, m.parked_on("chan recv"));
//
// Counters (…_total) only grow: sample twice and subtract for a rate. Gauges
// are the state at the moment of the call, read without stopping anything,
// so they may be off by the coroutines that moved meanwhile. Counting costs
// the scheduler nothing measurable: each worker counts in its own cache line
// with plain stores, and a snapshot sums them. Taking a snapshot walks every
// coroutine stack's control block (for the gauges): meant for a scrape every
// second or so, not for a hot loop. docs/debugging.md lists the wait kinds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cprime {

struct runtime_metrics {
  std::size_t workers = 0;              // worker threads
  // Gauges: coroutines alive (spawned, not finished), and what they do now.
  std::size_t coroutines_alive = 0;
  std::size_t runnable = 0;             // queued, waiting for a worker
  std::size_t running = 0;              // on a worker now
  std::size_t parked = 0;               // blocked (the sum of parked_by_wait)
  // parked_by_wait: {wait kind, count}, most first ("chan recv", "select",
  // "mutex", "join", "sleep", "io read", ... as in dumps).
  std::vector<std::pair<std::string, std::size_t>> parked_by_wait;
  std::size_t blocked_threads = 0;      // plain threads parked in the runtime (process-wide)
  std::size_t io_waiters = 0;           // coroutines waiting for fd readiness (process-wide)
  std::size_t timers_armed = 0;         // sleeps, timeouts, tickers pending (process-wide)
  std::size_t blocking_threads = 0;     // spawn blocking's pool threads alive
  // Counters since the runtime started.
  std::uint64_t spawned_total = 0;      // coroutines spawned
  std::uint64_t switches_total = 0;     // coroutines resumed by a worker
  std::uint64_t parks_total = 0;        // coroutine parks (blocking waits)
  std::uint64_t steals_total = 0;       // successful steals between workers
  std::uint64_t thread_parks_total = 0; // plain-thread parks and unparks (process-wide)

  // parked_on(kind): how many coroutines are parked on that wait kind.
  std::size_t parked_on(const std::string& kind) const {
    for (const auto& [k, n] : parked_by_wait)
      if (k == kind) return n;
    return 0;
  }
};

// metrics() sums every runtime of the process (the default one included).
runtime_metrics metrics();

}  // namespace cprime
