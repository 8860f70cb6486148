// task_group_errors: a task_group is Go's errgroup. The first task to fail
// cancels the others; join_all() waits for all of them and rethrows that
// first error.
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

void fetch(const std::string& url, std::atomic<int>& ok, std::atomic<int>& cancelled) {
  try {
    if (url == "bad://") {
      co_await cprime::sleep(5ms);
      throw std::runtime_error("cannot fetch " + url);
    }
    if (url == "slow://") co_await cprime::sleep(30s);
    ok += 1;
  } catch (const cprime::cancelled&) {
    cancelled += 1;                               // stopped by the group
    throw;
  }
}

int main() {
  std::atomic<int> ok{0}, cancelled{0};
  cprime::task_group g;
  for (const char* url : {"a://", "b://", "bad://", "slow://", "slow://"})
    g.spawn(cprime::here(), fetch, std::string(url), std::ref(ok), std::ref(cancelled));
  try {
    co_await g.join_all();
  } catch (const std::exception& e) {
    std::printf("first error: %s\n", e.what());
  }
  std::printf("%d fetched, %d cancelled\n", ok.load(), cancelled.load());

  // cancel_remaining() stops the group on purpose: not an error.
  cprime::task_group h;
  for (int i = 0; i < 3; ++i) h.spawn(fetch, std::string("slow://"), std::ref(ok), std::ref(cancelled));
  h.cancel_remaining();
  co_await h.join_all();
  std::printf("after cancel_remaining: %d cancelled in all\n", cancelled.load());
}
