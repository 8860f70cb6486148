// A spawn written in a lambda within a parallel/timeout block that captures
// by reference (`[&]`, a plain `spawn { }` block, a `defer` body) attaches
// to the block, exactly as the same spawn from a macro used there does: the
// block waits for it, and a timeout cancels it. Each task sleeps before it
// counts, so a spawn that did not attach would not have counted when the
// block returns. A nested spawn block copies what it uses (the child's frame
// may end before it runs).
// RUN: %clangxx_cprime -Wall -Wextra -Wshadow-all -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>

std::atomic<int> done{0};
void slow(int ms) {
  cprime::sleep_for(std::chrono::milliseconds(ms));
  ++done;
}
#define GO_SLOW(ms) spawn slow(ms)

int main() {
  parallel {
    auto written = [&] { spawn slow(20); };
    auto from_macro = [&] { GO_SLOW(20); };
    written();
    from_macro();
    spawn {
      spawn slow(30);
      GO_SLOW(30);
      int local = 15;
      spawn { slow(local); }
    }
    defer { spawn slow(10); }
  }
  std::printf("attached %d\n", done.load());
  // CHECK: attached 6

  // A timeout cancels them with the block: the long sleeps never count.
  done = 0;
  bool expired = false;
  timeout (std::chrono::milliseconds(50)) {
    auto start = [&](int ms) { spawn slow(ms); GO_SLOW(ms); };
    start(5);
    start(60000);
  } else {
    expired = true;
  }
  std::printf("timeout expired %d done %d\n", expired, done.load());
  // CHECK-NEXT: timeout expired 1 done 2
}
