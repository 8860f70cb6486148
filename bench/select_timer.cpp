// select_timer: a producer sends N ints on an unbuffered channel; one consumer
// receives each through a select with a receive arm and a 1 s timer arm
// (`_ = cprime::after(1s) =>`, which never fires). Prints ns per item.
// Usage: select_timer [N=1000000].
#include <cprime/cprime.hpp>

#include <chrono>

#include "common.hpp"

using namespace std::chrono_literals;

static void produce(cprime::channel<long> ch, long n) {
  for (long v = 0; v < n; ++v) co_await ch.send(v);
  ch.close();
}

static double run(long n, long& sum, long& count) {
  cprime::channel<long> ch;
  spawn produce(ch, n);
  auto start = bench::clock::now();
  for (long i = 0; i < n; ++i) {
    select {
      auto v = ch.recv() => {
        if (!v) bench::fail("select_timer: channel closed early");
        sum += *v;
        ++count;
      }
      _ = cprime::after(1s) => bench::fail("select_timer: a 1 s timer fired");
    }
  }
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  long sum = 0, count = 0;
  auto t = spawn run(n, std::ref(sum), std::ref(count));
  double ns = t.join();
  if (sum != n * (n - 1) / 2 || count != n) bench::fail("select_timer: wrong sum or count");
  bench::print("select_timer", ns / n, "ns/item");
}
