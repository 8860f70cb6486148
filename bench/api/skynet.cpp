// skynet: a 10-ary tree of N leaf coroutines; leaves send their number up an
// unbuffered channel, parents sum. Prints total ms. Usage: skynet [N=1000000].
// Runtime-API form of bench/skynet.cpp (what the plugin rewrites it to, per
// docs/lowering.md), built without the plugin.
#include <cprime/cprime.hpp>

#include "common.hpp"

static void skynet(cprime::channel<long> c, long num, long size, long div) {
  if (size == 1) {
    cprime::await(c.send(num));
    return;
  }
  cprime::channel<long> rc;
  for (long i = 0; i < div; ++i) cprime::spawn(cprime::here(), skynet, rc, num + i * (size / div), size / div, div);
  long sum = 0;
  for (long i = 0; i < div; ++i) sum += *cprime::await(rc.recv());
  cprime::await(c.send(sum));
}

static double run(long n, long& sum) {
  cprime::channel<long> c;
  auto start = bench::clock::now();
  cprime::spawn(cprime::here(), skynet, c, 0, n, 10);
  sum = *cprime::await(c.recv());
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  long sum = -1;
  auto t = cprime::spawn(cprime::here(), run, n, std::ref(sum));
  double ns = t.join();
  if (sum != n * (n - 1) / 2) bench::fail("skynet: wrong sum (N must be a power of 10)");
  bench::print("skynet", ns / 1e6, "ms");
}
