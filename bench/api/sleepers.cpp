// sleepers: N coroutines each sleep a pseudo-random 0–1 s (bench::sleep_us:
// a fixed seed, the same durations in every peer), then count down a wait
// group. Prints three lines: the total time in ms (first spawn to the wait's
// return), KiB of peak RSS per coroutine (VmHWM at the end minus VmRSS
// before), and the p99 lateness in µs: how long after its own start plus its
// duration each coroutine woke. Fails if any woke early.
// Usage: sleepers [N=1000000].
// Runtime-API form of bench/sleepers.cpp (what the plugin rewrites it to, per
// docs/lowering.md), built without the plugin.
#include <cprime/cprime.hpp>

#include <chrono>
#include <vector>

#include "common.hpp"

struct result {
  double total_ns;
  long before_kib;
};

static result run(long n, std::vector<long>& late_ns) {
  cprime::wait_group wg;
  result r{0, bench::rss_kib()};
  auto start = bench::clock::now();
  wg.add(n);
  for (long i = 0; i < n; ++i)
    cprime::spawn_detached(cprime::here(), [&wg, &late_ns, i]() mutable {
      const auto d = std::chrono::microseconds(bench::sleep_us(i));
      const auto t0 = bench::clock::now();
      cprime::await(cprime::sleep(d));
      late_ns[i] = long(bench::ns_since(t0) - double(std::chrono::nanoseconds(d).count()));
      wg.done();
    });
  wg.wait();
  r.total_ns = bench::ns_since(start);
  return r;
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  std::vector<long> late_ns(n, -1);  // touched here, before the RSS baseline
  auto t = cprime::spawn(cprime::here(), run, n, std::ref(late_ns));
  result r = t.join();
  const long peak = bench::status_kib("VmHWM");
  for (long l : late_ns)
    if (l < 0) bench::fail("sleepers: a coroutine woke before its deadline");
  bench::print("sleepers", r.total_ns / 1e6, "ms");
  bench::print("sleepers", double(peak - r.before_kib) / n, "KiB/coroutine");
  bench::print("sleepers", double(bench::percentile(late_ns, 99)) / 1e3, "us-p99-lateness");
}
