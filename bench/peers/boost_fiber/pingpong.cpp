// pingpong: two fibers bounce an int over two unbuffered channels, N round
// trips. Prints ns per round trip. Usage: pingpong [N=1000000].
#include "common.hpp"

int main(int argc, char** argv) {
  const long n = bf::arg(argc, argv, 1, 1000000);
  const unsigned threads = bf::threads_from_env();
  long last = -1;
  double ns = 0;
  bf::run(threads, [&] {
    bf::fibers::unbuffered_channel<long> ping, pong;
    auto start = bf::clock::now();
    bf::fibers::fiber echo([&] {
      for (long v : ping) pong.push(v + 1);
    });
    bf::fibers::fiber driver([&] {
      long v = 0;
      for (long i = 0; i < n; ++i) {
        ping.push(v);
        pong.pop(v);
      }
      ping.close();
      last = v;
    });
    driver.join();
    echo.join();
    ns = bf::ns_since(start);
  });
  if (last != n) bf::fail("pingpong: wrong final value");
  bf::print("pingpong", threads, ns / n, "ns/roundtrip");
}
