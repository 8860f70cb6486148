// deadline: a fiber sends N ints on an unbuffered_channel; the main fiber
// receives each under its own deadline 1 s away. Boost.Fiber has no
// cancellation scope (nothing like a timeout block or Go's context), so the
// deadline bounds the one operation it can: pop_wait_until(now + 1 s). The
// deadline never fires. Prints ns per item. Usage: deadline [N=1000000].
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
      switch (ch.pop_wait_until(v, bf::clock::now() + std::chrono::seconds(1))) {
        case bf::fibers::channel_op_status::success: break;
        case bf::fibers::channel_op_status::timeout: bf::fail("deadline: a 1 s deadline fired");
        default: bf::fail("deadline: channel closed early");
      }
      sum += v;
      ++count;
    }
    ns = bf::ns_since(start);
    producer.join();
  });
  if (sum != n * (n - 1) / 2 || count != n) bf::fail("deadline: wrong sum or count");
  bf::print("deadline", threads, ns / n, "ns/item");
}
