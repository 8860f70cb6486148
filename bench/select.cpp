// select: 4 producers each send M ints on their own unbuffered channel, then
// close it; one consumer selects over the 4 until all are closed (a closed
// channel is replaced by a nil one, as Go code does). Prints ns per item.
// Usage: select [M=1000000].
#include <cprime/cprime.hpp>

#include "common.hpp"

static void produce(cprime::channel<long> ch, long m) {
  for (long v = 0; v < m; ++v) co_await ch.send(v);
  ch.close();
}

static double run(long m, long& sum, long& count) {
  cprime::channel<long> a, b, c, d;
  spawn produce(a, m);
  spawn produce(b, m);
  spawn produce(c, m);
  spawn produce(d, m);
  auto start = bench::clock::now();
  for (int open = 4; open > 0;) {
    select {
      auto v = a.recv() => { if (v) { sum += *v; ++count; } else { a = nullptr; --open; } }
      auto v = b.recv() => { if (v) { sum += *v; ++count; } else { b = nullptr; --open; } }
      auto v = c.recv() => { if (v) { sum += *v; ++count; } else { c = nullptr; --open; } }
      auto v = d.recv() => { if (v) { sum += *v; ++count; } else { d = nullptr; --open; } }
    }
  }
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long m = bench::arg(argc, argv, 1, 1000000);
  long sum = 0, count = 0;
  auto t = spawn run(m, std::ref(sum), std::ref(count));
  double ns = t.join();
  if (sum != 4 * (m * (m - 1) / 2) || count != 4 * m) bench::fail("select: wrong sum or count");
  bench::print("select", ns / (4 * m), "ns/item");
}
