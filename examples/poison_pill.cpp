// poison_pill: shutting workers down in-band. The producer sends its jobs,
// then one "poison pill" per worker; a worker that receives a pill stops.
// Every job is processed exactly once and every worker stops.
#include <cprime/cprime.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <vector>

constexpr int pill = -1;

int main() {
  constexpr int workers = 3, jobs_count = 30;
  cprime::channel<int> queue(5);
  std::atomic<long> sum{0};
  std::atomic<int> processed{0}, stopped{0};

  parallel {
    for (int w = 0; w < workers; ++w) {
      spawn {
        defer stopped += 1;                       // runs when the worker returns
        while (true) {
          int v = *co_await queue.recv();
          if (v == pill) return;
          sum += v;
          processed += 1;
        }
      }
    }
    for (int i = 1; i <= jobs_count; ++i) co_await queue.send(i);
    for (int w = 0; w < workers; ++w) co_await queue.send(pill);
  }

  std::printf("processed %d jobs, sum %ld\n", processed.load(), sum.load());
  std::printf("%d of %d workers took a pill and stopped\n", stopped.load(), workers);
}
