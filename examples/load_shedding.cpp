// load_shedding: try_send never waits. When the bounded queue is full the
// request is shed (handed back by the result) instead of piling up behind a
// slow server.
#include <cprime/cprime.hpp>

#include <cstdio>
#include <vector>

int main() {
  constexpr int capacity = 3, requests = 10;
  cprime::channel<int> queue(capacity);
  std::vector<int> shed;

  for (int r = 0; r < requests; ++r) {            // a burst before the server runs
    auto res = queue.try_send(r);
    if (res.is_full()) shed.push_back(res.value());
  }
  queue.close();

  std::vector<int> served;
  parallel {
    spawn { for (int r : queue) served.push_back(r); }
  }

  std::printf("accepted %zu:", served.size());
  for (int r : served) std::printf(" %d", r);
  std::printf("\nshed %zu:", shed.size());
  for (int r : shed) std::printf(" %d", r);
  std::printf("\n");
}
