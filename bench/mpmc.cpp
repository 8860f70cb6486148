// mpmc: a buffered channel of capacity 1024, 4 producers, 4 consumers, N
// ints; consumers sum. Prints ns per item. Usage: mpmc [N=10000000].
#include <cprime/cprime.hpp>

#include <vector>

#include "common.hpp"

constexpr long producers = 4, consumers = 4;

// produce sends the ints i ≡ p (mod producers) below n.
static void produce(cprime::channel<long> ch, long p, long n) {
  for (long i = p; i < n; i += producers) co_await ch.send(i);
}

static long consume(cprime::channel<long> ch) {
  long s = 0;
  for (long v : ch) s += v;
  return s;
}

static double run(long n, long& total) {
  cprime::channel<long> ch(1024);
  std::vector<cprime::task<void>> prods;
  std::vector<cprime::task<long>> cons;
  auto start = bench::clock::now();
  for (long p = 0; p < producers; ++p) {
    auto t = spawn produce(ch, p, n);
    prods.push_back(std::move(t));
  }
  for (long c = 0; c < consumers; ++c) {
    auto t = spawn consume(ch);
    cons.push_back(std::move(t));
  }
  for (auto& t : prods) co_await t;
  ch.close();
  for (auto& t : cons) total += co_await t;
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 10000000);
  long total = 0;
  auto t = spawn run(n, std::ref(total));
  double ns = t.join();
  if (total != n * (n - 1) / 2) bench::fail("mpmc: wrong sum");
  bench::print("mpmc", ns / n, "ns/item");
}
