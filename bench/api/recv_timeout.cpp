// recv_timeout: a producer sends N ints on an unbuffered channel; one consumer
// receives each with `ch.recv_timeout(1s)` (a timeout that never fires).
// Prints ns per item. Usage: recv_timeout [N=1000000].
// Runtime-API form of bench/recv_timeout.cpp (what the plugin rewrites it to, per
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
    auto v = ch.recv_timeout(1s);
    if (v.is_timeout()) bench::fail("recv_timeout: a 1 s timeout fired");
    if (!v) bench::fail("recv_timeout: channel closed early");
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
  if (sum != n * (n - 1) / 2 || count != n) bench::fail("recv_timeout: wrong sum or count");
  bench::print("recv_timeout", ns / n, "ns/item");
}
