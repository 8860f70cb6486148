// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
// `else` runs only when the deadline interrupted the block: a body that runs
// past its deadline without suspending completes, and no else follows; one
// that reaches a suspension point after the deadline is cut short. At 1, 2
// and 4 workers (with more than one, another worker fires the deadline while
// the body runs).
#include <cprime/cprime.hpp>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

static void busy_for(std::chrono::milliseconds d) {
  const auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
  }
}

int main() {
  for (std::size_t workers : {1, 2, 4}) {
    auto rt = cprime::runtime::builder().worker_threads(workers).build();
    rt.run([] {
      int r = 0;
      timeout (10ms) {
        busy_for(20ms);
        r = 42;
      } else {
        r = -1;
      }
      int s = 0;
      timeout (10ms) {
        busy_for(20ms);
        co_await cprime::sleep(1s);
        s = 42;
      } else {
        s = -1;
      }
      int t = 0;
      select {
        _ = cprime::after(5ms) => t = 1;
        _ = cprime::after(1h) => t = 2;
      }
      std::printf("r=%d s=%d t=%d\n", r, s, t);
    });
  }
  // CHECK: r=42 s=-1 t=1
  // CHECK-NEXT: r=42 s=-1 t=1
  // CHECK-NEXT: r=42 s=-1 t=1
}
