// select_timer: a producer sends N ints on an unbuffered channel; one consumer
// receives each through a select with a receive arm and a 1 s timer arm
// (`_ = cprime::after(1s) =>`, which never fires). Prints ns per item.
// Usage: select_timer [N=1000000].
// Runtime-API form of bench/select_timer.cpp (what the plugin rewrites it to, per
// docs/lowering.md), built without the plugin.
#include <cprime/cprime.hpp>

#include <chrono>

#include "common.hpp"

using namespace std::chrono_literals;

static void produce(cprime::channel<long> ch, long n) {
  for (long v = 0; v < n; ++v) cprime::await(ch.send(v));
  ch.close();
}

static double run(long n, long& sum, long& count) {
  cprime::channel<long> ch;
  cprime::spawn_detached(cprime::here(), produce, ch, n);
  auto start = bench::clock::now();
  for (long i = 0; i < n; ++i) {
    cprime::select_case item(ch.recv());
    cprime::select_case timer(cprime::after(1s));
    if (cprime::select(cprime::no_default, item, timer) == 1)
      bench::fail("select_timer: a 1 s timer fired");
    auto v = item.take();
    if (!v) bench::fail("select_timer: channel closed early");
    sum += *v;
    ++count;
  }
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  long sum = 0, count = 0;
  auto t = cprime::spawn(cprime::here(), run, n, std::ref(sum), std::ref(count));
  double ns = t.join();
  if (sum != n * (n - 1) / 2 || count != n) bench::fail("select_timer: wrong sum or count");
  bench::print("select_timer", ns / n, "ns/item");
}
