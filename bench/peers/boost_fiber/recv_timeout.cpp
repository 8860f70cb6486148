// recv_timeout: a fiber sends N ints on an unbuffered_channel; the main fiber
// receives each with pop_wait_for(v, 1 s), Boost.Fiber's receive with a
// timeout. The timeout never fires. Prints ns per item.
// Usage: recv_timeout [N=1000000].
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
      switch (ch.pop_wait_for(v, std::chrono::seconds(1))) {
        case bf::fibers::channel_op_status::success: break;
        case bf::fibers::channel_op_status::timeout: bf::fail("recv_timeout: a 1 s timeout fired");
        default: bf::fail("recv_timeout: channel closed early");
      }
      sum += v;
      ++count;
    }
    ns = bf::ns_since(start);
    producer.join();
  });
  if (sum != n * (n - 1) / 2 || count != n) bf::fail("recv_timeout: wrong sum or count");
  bf::print("recv_timeout", threads, ns / n, "ns/item");
}
