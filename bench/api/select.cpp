// select: 4 producers each send M ints on their own unbuffered channel, then
// close it; one consumer selects over the 4 until all are closed (a closed
// channel is replaced by a nil one, as Go code does). Prints ns per item.
// Usage: select [M=1000000].
// Runtime-API form of bench/select.cpp (what the plugin rewrites it to, per
// docs/lowering.md), built without the plugin.
#include <cprime/cprime.hpp>

#include "common.hpp"

static void produce(cprime::channel<long> ch, long m) {
  for (long v = 0; v < m; ++v) cprime::await(ch.send(v));
  ch.close();
}

static double run(long m, long& sum, long& count) {
  cprime::channel<long> a, b, c, d;
  cprime::spawn(cprime::here(), produce, a, m);
  cprime::spawn(cprime::here(), produce, b, m);
  cprime::spawn(cprime::here(), produce, c, m);
  cprime::spawn(cprime::here(), produce, d, m);
  auto start = bench::clock::now();
  for (int open = 4; open > 0;) {
    cprime::select_case ca(a.recv()), cb(b.recv()), cc(c.recv()), cd(d.recv());
    int arm = cprime::select(cprime::no_default, ca, cb, cc, cd);
    cprime::select_case<cprime::recv_op<long>>* cases[] = {&ca, &cb, &cc, &cd};
    cprime::channel<long>* chans[] = {&a, &b, &c, &d};
    if (auto v = cases[arm]->take()) {
      sum += *v;
      ++count;
    } else {
      *chans[arm] = nullptr;
      --open;
    }
  }
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long m = bench::arg(argc, argv, 1, 1000000);
  long sum = 0, count = 0;
  auto t = cprime::spawn(cprime::here(), run, m, std::ref(sum), std::ref(count));
  double ns = t.join();
  if (sum != 4 * (m * (m - 1) / 2) || count != 4 * m) bench::fail("select: wrong sum or count");
  bench::print("select", ns / (4 * m), "ns/item");
}
