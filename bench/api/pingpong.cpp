// pingpong: two coroutines bounce an int over two unbuffered channels, N
// round trips. Prints ns per round trip. Usage: pingpong [N=1000000].
// Runtime-API form of bench/pingpong.cpp (what the plugin rewrites it to, per
// docs/lowering.md), built without the plugin.
#include <cprime/cprime.hpp>

#include "common.hpp"

static void echo(cprime::channel<long> in, cprime::channel<long> out) {
  for (long v : in) cprime::await(out.send(v + 1));
}

static long drive(cprime::channel<long> ping, cprime::channel<long> pong, long n) {
  long v = 0;
  for (long i = 0; i < n; ++i) {
    cprime::await(ping.send(v));
    v = *cprime::await(pong.recv());
  }
  ping.close();
  return v;
}

static double run(long n, long& last) {
  cprime::channel<long> ping, pong;
  auto start = bench::clock::now();
  auto e = cprime::spawn(cprime::here(), echo, ping, pong);
  auto d = cprime::spawn(cprime::here(), drive, ping, pong, n);
  last = cprime::await(d);
  cprime::await(e);
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  long last = -1;
  auto t = cprime::spawn(cprime::here(), run, n, std::ref(last));
  double ns = t.join();
  if (last != n) bench::fail("pingpong: wrong final value");
  bench::print("pingpong", ns / n, "ns/roundtrip");
}
