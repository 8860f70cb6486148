// sleepers: N fibers each this_fiber::sleep_for a pseudo-random 0–1 s
// (bf::sleep_us: a fixed seed, the same durations in every peer), then count
// down a wait group. Prints three lines: the total time in ms (first fiber
// launched to the wait's return), KiB of peak RSS per fiber (VmHWM at the end
// minus VmRSS before), and the p99 lateness in µs: how long after its own
// start plus its duration each fiber woke. Fails if any woke early.
// Usage: sleepers [N=1000000].
#include "common.hpp"

int main(int argc, char** argv) {
  const long n = bf::arg(argc, argv, 1, 1000000);
  const unsigned threads = bf::threads_from_env();
  std::vector<long> late_ns(n, -1);  // touched before the RSS baseline
  double ns = 0;
  long before = 0;
  bf::run(threads, [&] {
    auto stack = bf::small_stack();
    bf::wait_group wg;
    before = bf::status_kib("VmRSS");
    auto start = bf::clock::now();
    wg.add(n);
    for (long i = 0; i < n; ++i) {
      bf::fibers::fiber(std::allocator_arg, stack, [&, i] {
        const auto d = std::chrono::microseconds(bf::sleep_us(i));
        const auto t0 = bf::clock::now();
        boost::this_fiber::sleep_for(d);
        late_ns[i] = long(bf::ns_since(t0) - double(std::chrono::nanoseconds(d).count()));
        wg.done();
      }).detach();
    }
    wg.wait();
    ns = bf::ns_since(start);
  });
  const long peak = bf::status_kib("VmHWM");
  for (long l : late_ns)
    if (l < 0) bf::fail("sleepers: a fiber woke before its deadline");
  std::sort(late_ns.begin(), late_ns.end());
  const long p99 = late_ns[std::min<std::size_t>(std::size_t(n * 0.99), n - 1)];
  bf::print("sleepers", threads, ns / 1e6, "ms");
  bf::print("sleepers", threads, double(peak - before) / n, "KiB/coroutine");
  bf::print("sleepers", threads, double(p99) / 1e3, "us-p99-lateness");
}
