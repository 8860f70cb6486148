// pingpong: two coroutines bounce an int over two unbuffered channels, N
// round trips. Prints ns per round trip. Usage: pingpong [N=1000000].
#include <cprime/cprime.hpp>

#include "common.hpp"

static void echo(cprime::channel<long> in, cprime::channel<long> out) {
  for (long v : in) co_await out.send(v + 1);
}

static long drive(cprime::channel<long> ping, cprime::channel<long> pong, long n) {
  long v = 0;
  for (long i = 0; i < n; ++i) {
    co_await ping.send(v);
    v = *co_await pong.recv();
  }
  ping.close();
  return v;
}

static double run(long n, long& last) {
  cprime::channel<long> ping, pong;
  auto start = bench::clock::now();
  auto e = spawn echo(ping, pong);
  auto d = spawn drive(ping, pong, n);
  last = co_await d;
  co_await e;
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  long last = -1;
  auto t = spawn run(n, std::ref(last));
  double ns = t.join();
  if (last != n) bench::fail("pingpong: wrong final value");
  bench::print("pingpong", ns / n, "ns/roundtrip");
}
