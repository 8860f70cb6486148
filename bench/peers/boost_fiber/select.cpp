// select: 4 producers each send M ints on their own unbuffered channel, then
// close it; one consumer takes items from the 4 until all are closed.
// Boost.Fiber has no select: each producer's channel gets a relay fiber that
// forwards into one merged unbuffered channel (Go's "merge" fan-in pattern);
// the last relay to see its source closed closes the merged channel, and the
// consumer drains it. Prints ns per item. Usage: select [M=1000000].
#include <array>

#include "common.hpp"

int main(int argc, char** argv) {
  const long m = bf::arg(argc, argv, 1, 1000000);
  const unsigned threads = bf::threads_from_env();
  long sum = 0, count = 0;
  double ns = 0;
  bf::run(threads, [&] {
    using channel = bf::fibers::unbuffered_channel<long>;
    std::array<channel, 4> chs;
    channel merged;
    std::atomic<int> open{4};
    std::vector<bf::fibers::fiber> fibers;
    for (auto& c : chs)
      fibers.emplace_back([&] {
        for (long v = 0; v < m; ++v) c.push(v);
        c.close();
      });
    auto start = bf::clock::now();
    for (auto& c : chs)
      fibers.emplace_back([&] {
        for (long v : c) merged.push(v);
        if (--open == 0) merged.close();
      });
    bf::fibers::fiber consumer([&] {
      for (long v : merged) {
        sum += v;
        ++count;
      }
    });
    consumer.join();
    ns = bf::ns_since(start);
    for (auto& f : fibers) f.join();
  });
  if (sum != 4 * (m * (m - 1) / 2) || count != 4 * m) bf::fail("select: wrong sum or count");
  bf::print("select", threads, ns / (4 * m), "ns/item");
}
