// mpmc: a buffered channel of capacity 1024, 4 producers, 4 consumers, N ints;
// consumers sum. Prints ns per item. Usage: mpmc [N=10000000].
#include "common.hpp"

int main(int argc, char** argv) {
  const long n = bf::arg(argc, argv, 1, 10000000);
  const unsigned threads = bf::threads_from_env();
  constexpr int producers = 4, consumers = 4;
  std::atomic<long> total{0};
  double ns = 0;
  bf::run(threads, [&] {
    bf::fibers::buffered_channel<long> ch(1024);  // capacity: a power of 2
    std::vector<bf::fibers::fiber> prod, cons;
    auto start = bf::clock::now();
    for (int p = 0; p < producers; ++p)
      prod.emplace_back([&, p] {  // producer p sends the ints i ≡ p (mod producers)
        for (long i = p; i < n; i += producers) ch.push(i);
      });
    for (int c = 0; c < consumers; ++c)
      cons.emplace_back([&] {
        long s = 0;
        for (long v : ch) s += v;
        total += s;
      });
    for (auto& f : prod) f.join();
    ch.close();
    for (auto& f : cons) f.join();
    ns = bf::ns_since(start);
  });
  if (total != n * (n - 1) / 2) bf::fail("mpmc: wrong sum");
  bf::print("mpmc", threads, ns / n, "ns/item");
}
