// timeout_parallel: a deadline over a whole parallel block. When it passes,
// every coroutine the block started is cancelled at its next suspension
// point — even one already parked — its defers run, and `else` runs.
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

int main() {
  std::atomic<int> finished{0}, cleaned{0};
  cprime::channel<int> never;

  timeout (50ms) {
    parallel {
      spawn { finished += 1; }                    // quick: done before the deadline
      spawn {
        defer cleaned += 1;
        co_await cprime::sleep(30s);              // parked in a sleep
        finished += 1;
      }
      spawn {
        defer cleaned += 1;
        co_await never.recv();                    // parked in a channel receive
        finished += 1;
      }
    }
    std::puts("not printed: the block was cancelled");
  } else {
    std::puts("deadline hit");
  }
  std::printf("finished %d, cleaned up %d\n", finished.load(), cleaned.load());

  // Nested deadlines: the earliest wins.
  timeout (5s) {
    timeout (10ms) {
      co_await cprime::sleep(30s);
    } else {
      std::puts("inner deadline hit first");
    }
  } else {
    std::puts("not printed: the outer deadline did not pass");
  }
}
