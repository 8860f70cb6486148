// recv: a producer sends N ints on an unbuffered channel; one consumer
// receives each with a plain `co_await ch.recv()`: the shape of deadline,
// select_timer and recv_timeout without the deadline, so each of them can be
// read against the same operation without one. Prints ns per item.
// Usage: recv [N=1000000].
#include <cprime/cprime.hpp>

#include "common.hpp"

static void produce(cprime::channel<long> ch, long n) {
  for (long v = 0; v < n; ++v) co_await ch.send(v);
  ch.close();
}

static double run(long n, long& sum, long& count) {
  cprime::channel<long> ch;
  spawn produce(ch, n);
  auto start = bench::clock::now();
  for (long i = 0; i < n; ++i) {
    auto v = co_await ch.recv();
    if (!v) bench::fail("recv: channel closed early");
    sum += *v;
    ++count;
  }
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  long sum = 0, count = 0;
  auto t = spawn run(n, std::ref(sum), std::ref(count));
  double ns = t.join();
  if (sum != n * (n - 1) / 2 || count != n) bench::fail("recv: wrong sum or count");
  bench::print("recv", ns / n, "ns/item");
}
