// ring: N coroutines in a ring of unbuffered channels pass a token for LAPS
// laps (N*LAPS hops). Prints ns per hop. Usage: ring [N=10000] [LAPS=100].
#include <cprime/cprime.hpp>

#include <vector>

#include "common.hpp"

// node passes the token on; it carries the hop count, and whoever receives
// hop number `hops` reports its index instead.
static void node(long i, long hops, cprime::channel<long> in, cprime::channel<long> out,
                 cprime::channel<long> done, cprime::wait_group& wg) {
  for (long v : in) {
    if (v == hops) co_await done.send(i);
    else co_await out.send(v + 1);
  }
  wg.done();
}

static double run(long n, long laps, long& last) {
  const long hops = n * laps;
  std::vector<cprime::channel<long>> chs(n);
  cprime::channel<long> done;
  cprime::wait_group wg;
  wg.add(n);
  for (long i = 0; i < n; ++i) spawn node(i, hops, chs[i], chs[(i + 1) % n], done, std::ref(wg));
  auto start = bench::clock::now();
  co_await chs[0].send(0);
  last = *co_await done.recv();
  double ns = bench::ns_since(start);
  for (auto& c : chs) c.close();
  wg.wait();
  return ns;
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 10000), laps = bench::arg(argc, argv, 2, 100);
  long last = -1;
  auto t = spawn run(n, laps, std::ref(last));
  double ns = t.join();
  if (last != (n * laps) % n) bench::fail("ring: token ended at the wrong coroutine");
  bench::print("ring", ns / (n * laps), "ns/hop");
}
