// recv: a fiber sends N ints on an unbuffered_channel; the main fiber
// receives each with a plain pop(): the shape of deadline, select_timer and
// recv_timeout without the deadline. Prints ns per item. Usage: recv [N=1000000].
#include "common.hpp"

int main(int argc, char** argv) {
  const long n = bf::arg(argc, argv, 1, 1000000);
  const unsigned threads = bf::threads_from_env();
  long sum = 0, count = 0;
  double ns = 0;
  bf::run(threads, [&] {
    bf::fibers::unbuffered_channel<long> ch;
    bf::fibers::fiber producer([&] {
      for (long v = 0; v < n; ++v) ch.push(v);
      ch.close();
    });
    auto start = bf::clock::now();
    for (long i = 0; i < n; ++i) {
      long v;
      if (ch.pop(v) != bf::fibers::channel_op_status::success) bf::fail("recv: channel closed early");
      sum += v;
      ++count;
    }
    ns = bf::ns_since(start);
    producer.join();
  });
  if (sum != n * (n - 1) / 2 || count != n) bf::fail("recv: wrong sum or count");
  bf::print("recv", threads, ns / n, "ns/item");
}
