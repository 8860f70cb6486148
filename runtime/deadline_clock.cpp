// runtime/deadline_clock.cpp — deadline_now(): the start of a deadline,
// cheaper than clock::now() and never earlier than it (detail/timer.hpp).
//
// Every timeout block, timed channel wait, select after arm and sleep starts
// its deadline from "now". On the machines we measured, a vDSO
// clock_gettime costs about 27 ns while the TSC read under it costs about
// 10 ns, and a timeout block that never fires spent a fifth of its time in
// the clock. deadline_now() extrapolates from a per-thread anchor (a TSC
// value and the clock reading taken just after it) with an upper bound of
// the TSC's rate, and re-anchors once the anchor is ~1 ms old. Hence:
//
//   clock::now() <= deadline_now() <= clock::now() + about 1 µs
//
// The lower bound is what matters: a deadline taken from it never fires
// before d has passed since the call. It holds because the anchor's clock
// reading is taken after its TSC value (so it is ahead of the TSC's instant)
// and the rate used is the measured rate plus 0.1% (NTP slews the clock by at
// most 0.05%). The upper bound costs at most 1 µs of lateness — below a
// timer-wheel tick (16.4 µs).
//
// The TSC is trusted only where the kernel trusts it: x86-64 with the
// kernel's clocksource "tsc" (the kernel checked it is invariant and
// synchronised across CPUs). Elsewhere, and until the rate is calibrated
// (5 ms after the first deadline), deadline_now() is clock::now().
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <atomic>
#include <mutex>

#include "cprime/detail/timer.hpp"
#include "cprime/detail/tsan.hpp"
#include "timer_wheel.hpp"  // to_ns, from_ns

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace cprime::detail {

namespace {

#if defined(__x86_64__)
inline uint64_t read_tsc() noexcept { return __rdtsc(); }
constexpr bool has_tsc = true;
#else
inline uint64_t read_tsc() noexcept { return 0; }
constexpr bool has_tsc = false;
#endif

// Two samples 5 ms apart: each sample's clock reading trails its TSC value
// by at most max_gap ticks (~0.1 µs), so the measured rate is off by at most
// 2 × 0.1 µs / 5 ms = 40 ppm, well inside the 0.1% margin.
constexpr int64_t calibrate_after_ns = 5'000'000;
constexpr uint64_t max_gap = 400;  // TSC ticks between a sample's two TSC reads
constexpr int64_t reanchor_after_ns = 1'000'000;    // anchors older than ~1 ms are renewed

enum : int { st_new, st_sampled, st_ready, st_off };

struct calibration {
  std::mutex mu;
  std::atomic<int> state{st_new};
  uint64_t first_tsc = 0;  // guarded by mu
  int64_t first_ns = 0;    // guarded by mu
  std::atomic<int64_t> second_at{INT64_MAX};  // when to take the second sample (ns)
  // Published by the release store of reanchor_ticks (0 = not ready):
  std::atomic<uint64_t> mult{0};            // ns per TSC tick (upper bound) << 32
  std::atomic<uint64_t> reanchor_ticks{0};  // ~1 ms of TSC ticks
};

calibration& C() {
  static calibration* c = new calibration;  // leaked: used until the last thread exits
  return *c;
}

struct anchor {
  uint64_t tsc = 0;
  int64_t ns = 0;
};
thread_local constinit anchor tl_anchor{};

// sample() reads the TSC and then the clock: the clock reading is at or
// after the TSC's instant. It retries a few times when something (an
// interrupt, a preemption) came between them, keeping the tightest pair;
// *gap is that pair's distance in TSC ticks.
anchor sample(uint64_t* gap_out = nullptr) noexcept {
  anchor best{};
  uint64_t best_gap = UINT64_MAX;
  for (int i = 0; i < 5; ++i) {
    const uint64_t t0 = read_tsc();
    const int64_t ns = to_ns(clock::now());
    const uint64_t gap = read_tsc() - t0;
    if (gap < best_gap) {
      best = {t0, ns};
      best_gap = gap;
    }
    if (gap < max_gap) break;
  }
  if (gap_out) *gap_out = best_gap;
  return best;
}

bool kernel_uses_tsc() noexcept {
  std::FILE* f = std::fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "re");
  if (!f) return false;
  char buf[32] = {};
  const bool ok = std::fgets(buf, sizeof buf, f) && std::strncmp(buf, "tsc", 3) == 0 &&
                  (buf[3] == '\n' || buf[3] == '\0');
  std::fclose(f);
  return ok;
}

// calibrate() runs until the rate is known (or the TSC is ruled out): the
// first call takes a sample, a call 5 ms later computes the rate. Callers
// come only at those two moments (second_at), so the clock::now() fallback
// meanwhile costs no lock.
void calibrate() noexcept {
  calibration& c = C();
  std::unique_lock g(c.mu, std::try_to_lock);
  if (!g.owns_lock()) return;  // another thread is at it; clock::now() meanwhile
  const int st = c.state.load(std::memory_order_relaxed);
  uint64_t gap = 0;
  if (st == st_new) {
    if (!has_tsc || !kernel_uses_tsc()) {
      c.state.store(st_off, std::memory_order_relaxed);
      return;
    }
    const anchor a = sample(&gap);
    if (gap >= max_gap) return;  // disturbed: try again at the next deadline
    c.first_tsc = a.tsc;
    c.first_ns = a.ns;
    c.second_at.store(a.ns + calibrate_after_ns, std::memory_order_relaxed);
    c.state.store(st_sampled, std::memory_order_relaxed);
    return;
  }
  if (st != st_sampled) return;
  const anchor b = sample(&gap);
  const int64_t dns = b.ns - c.first_ns;
  if (dns < calibrate_after_ns || gap >= max_gap) return;
  const uint64_t dtsc = b.tsc - c.first_tsc;
  if (b.tsc <= c.first_tsc || dtsc < 1000) {  // a TSC that does not advance: not ours to use
    c.state.store(st_off, std::memory_order_relaxed);
    return;
  }
  // The samples' clock readings may trail their TSC values by up to max_gap
  // ticks each (tens of ppm over 5 ms); the 0.1% margin covers that and the
  // clock's slewing.
  const long double rate = static_cast<long double>(dns) / static_cast<long double>(dtsc);
  const long double hi = rate * 1.001L;
  const uint64_t mult = static_cast<uint64_t>(hi * 4294967296.0L) + 1;
  const uint64_t ticks = static_cast<uint64_t>(static_cast<long double>(reanchor_after_ns) / rate);
  c.mult.store(mult, std::memory_order_relaxed);
  c.reanchor_ticks.store(ticks ? ticks : 1, std::memory_order_release);
  c.state.store(st_ready, std::memory_order_relaxed);
}

}  // namespace

bool deadline_clock_uses_tsc() noexcept { return C().state.load(std::memory_order_relaxed) == st_ready; }

clock::time_point deadline_now() noexcept {
  // Race detector: the anchor is per OS thread and touched only between two
  // switches, but TSan models each coroutine as a thread of its own and
  // would see coroutines of one worker sharing it; the clock orders nothing.
  tsan_hidden hide;
  calibration& c = C();
  const uint64_t limit = c.reanchor_ticks.load(std::memory_order_acquire);
  if (limit != 0) {
    anchor& a = tl_anchor;
    const uint64_t dt = read_tsc() - a.tsc;  // a TSC behind the anchor wraps: re-anchor
    if (dt < limit) {
      const uint64_t mult = c.mult.load(std::memory_order_relaxed);
      // +1: the shift rounds down.
      return from_ns(a.ns + static_cast<int64_t>((dt * mult) >> 32) + 1);  // dt * mult < 2^53
    }
    a = sample();
    return from_ns(a.ns);
  }
  const clock::time_point now = clock::now();
  const int st = c.state.load(std::memory_order_relaxed);
  if (st == st_new || (st == st_sampled && to_ns(now) >= c.second_at.load(std::memory_order_relaxed))) calibrate();
  return now;
}

}  // namespace cprime::detail
