// idle: N fibers each blocked receiving on one shared channel; then close it
// and wait for all. Prints two lines: KiB of RSS per parked fiber (VmRSS after
// parking all N minus before) and ns per creation. Usage: idle [N=1000000].
#include <fstream>

#include "common.hpp"

static long rss_kib() {
  std::ifstream f("/proc/self/status");
  for (std::string line; std::getline(f, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  bf::fail("idle: no VmRSS in /proc/self/status");
}

int main(int argc, char** argv) {
  const long n = bf::arg(argc, argv, 1, 1000000);
  const unsigned threads = bf::threads_from_env();
  long before = 0, after = 0;
  double create_ns = 0;
  bf::run(threads, [&] {
    auto stack = bf::small_stack();
    bf::fibers::unbuffered_channel<int> ch;
    bf::wait_group started, finished;
    started.add(n);
    finished.add(n);
    before = rss_kib();
    auto start = bf::clock::now();
    for (long i = 0; i < n; ++i)
      bf::fibers::fiber(std::allocator_arg, stack, [&] {
        started.done();
        int v;
        if (ch.pop(v) != bf::fibers::channel_op_status::closed) bf::fail("idle: got a value");
        finished.done();
      }).detach();
    started.wait();
    create_ns = bf::ns_since(start);
    // Every fiber has run up to its pop; let the last ones park.
    boost::this_fiber::sleep_for(std::chrono::milliseconds(50));
    after = rss_kib();
    ch.close();
    finished.wait();
  });
  bf::print("idle", threads, double(after - before) / n, "KiB/coroutine");
  bf::print("idle", threads, create_ns / n, "ns/creation");
}
