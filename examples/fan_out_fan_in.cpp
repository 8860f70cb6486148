// fan_out_fan_in: split work across coroutines (fan-out), merge their
// results on one channel (fan-in). The merged total is the same whatever
// order the partial results arrive in.
#include <cprime/cprime.hpp>

#include <cstdio>
#include <numeric>
#include <vector>

struct partial {
  int chunk;
  long sum;
};

int main() {
  std::vector<int> data(10000);
  std::iota(data.begin(), data.end(), 1);
  constexpr int chunks = 8;
  const std::size_t per = data.size() / chunks;
  cprime::channel<partial> merged(chunks);

  parallel {
    for (int c = 0; c < chunks; ++c) {
      spawn [&data, merged, c, per] {              // fan-out
        long s = 0;
        for (std::size_t i = c * per; i < (c + 1) * per; ++i) s += long(data[i]) * data[i];
        co_await merged.send(partial{c, s});
      }
    }
  }
  merged.close();

  long total = 0;
  int received = 0;
  for (partial p : merged) {                      // fan-in
    total += p.sum;
    ++received;
  }
  std::printf("%d partial sums merged\n", received);
  std::printf("sum of squares 1..%zu = %ld\n", data.size(), total);
}
