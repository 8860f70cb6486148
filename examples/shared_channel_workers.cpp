// shared_channel_workers: several producers and several consumers share one
// channel handle (copies of a channel are the same channel). Each item is
// received by exactly one consumer; closing after the producers finish ends
// every consumer's range-for.
#include <cprime/cprime.hpp>

#include <atomic>
#include <cstdio>
#include <vector>

int main() {
  constexpr int producers = 3, consumers = 4, per_producer = 100;
  cprime::channel<int> shared(8);
  std::vector<std::atomic<int>> seen(producers * per_producer);
  std::atomic<int> received{0};

  parallel {
    for (int c = 0; c < consumers; ++c) {
      spawn [&seen, &received, shared] {
        for (int item : shared) {
          seen[item] += 1;
          received += 1;
        }
      }
    }
    parallel {                                    // the producers, then close
      for (int p = 0; p < producers; ++p) {
        spawn [shared, p] {
          for (int i = 0; i < per_producer; ++i) co_await shared.send(p * per_producer + i);
        }
      }
    }
    shared.close();
  }

  int exactly_once = 0;
  for (auto& s : seen) exactly_once += s.load() == 1;
  std::printf("%d items sent by %d producers\n", producers * per_producer, producers);
  std::printf("%d received, %d exactly once, by %d consumers\n", received.load(), exactly_once,
              consumers);
}
