// deadline: a producer sends N ints on an unbuffered channel; one consumer
// receives each inside its own `timeout (1s) { … }` block (a deadline that
// never fires: the per-request deadline of a server). Prints ns per item.
// Usage: deadline [N=1000000].
#include <cprime/cprime.hpp>

#include <chrono>

#include "common.hpp"

using namespace std::chrono_literals;

static void produce(cprime::channel<long> ch, long n) {
  for (long v = 0; v < n; ++v) co_await ch.send(v);
  ch.close();
}

static double run(long n, long& sum, long& count) {
  cprime::channel<long> ch;
  spawn produce(ch, n);
  auto start = bench::clock::now();
  for (long i = 0; i < n; ++i) {
    timeout (1s) {
      auto v = co_await ch.recv();
      if (!v) bench::fail("deadline: channel closed early");
      sum += *v;
      ++count;
    } else {
      bench::fail("deadline: a 1 s deadline fired");
    }
  }
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  long sum = 0, count = 0;
  auto t = spawn run(n, std::ref(sum), std::ref(count));
  double ns = t.join();
  if (sum != n * (n - 1) / 2 || count != n) bench::fail("deadline: wrong sum or count");
  bench::print("deadline", ns / n, "ns/item");
}
