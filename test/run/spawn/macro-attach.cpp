// A spawn written in a macro body attaches to the parallel/timeout block in
// which the macro is used (the innermost), also for a macro from a header;
// outside any block it is an ordinary unattached spawn. Each task sleeps
// before it counts, so a spawn that did not attach would not have counted
// when the block returns.
// RUN: %clangxx_cprime -Wall -Wextra -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "Inputs/traced.h"

std::atomic<int> traced{0};
#define TRACE_SPAWN(f, ...) do { ++traced; spawn f(__VA_ARGS__); } while (0)
#define SPAWN_NOARGS(f) spawn f()
#define SPAWN_CAPTURED(x) spawn [&x] { cprime::sleep_for(std::chrono::milliseconds(20)); ++x; }
#define START(f, ms) spawn f(ms)

std::atomic<int> done{0};
void slow(int ms) {
  cprime::sleep_for(std::chrono::milliseconds(ms));
  ++done;
}
void slow20() { slow(20); }
int twice(int x) { return 2 * x; }

int main() {
  parallel {
    TRACE_SPAWN(slow, 30);
    for (int i = 0; i < 3; ++i) TRACE_SPAWN(slow, 10 * i);
    if (done.load() < 100) SPAWN_NOARGS(slow20);
    HEADER_SPAWN(slow, 25);
  }
  std::printf("parallel %d traced %d header %d\n", done.load(), traced.load(),
              header_traced.load());
  // CHECK: parallel 6 traced 4 header 1

  // The innermost block wins: the inner block waits for its own spawn.
  done = 0;
  int inner_seen = -1;
  parallel {
    TRACE_SPAWN(slow, 40);
    parallel { TRACE_SPAWN(slow, 20); }
    inner_seen = done.load();
  }
  std::printf("inner %d outer %d\n", inner_seen, done.load());
  // CHECK-NEXT: inner {{[12]}} outer 2

  // A macro spawn inside timeout is cancelled with the block.
  done = 0;
  bool late = false;
  timeout (std::chrono::milliseconds(50)) {
    TRACE_SPAWN(slow, 10);
    TRACE_SPAWN(slow, 60000);
  } else {
    late = true;
  }
  std::printf("timeout late %d done %d\n", late, done.load());
  // CHECK-NEXT: timeout late 1 done 1

  // Captures written in the macro: by reference, attached. Both children
  // write the counter, so it is atomic (a plain int is a data race, which
  // the race detector reports).
  std::atomic<int> counter{0};
  parallel { SPAWN_CAPTURED(counter); SPAWN_CAPTURED(counter); }
  std::printf("captured %d\n", counter.load());
  // CHECK-NEXT: captured 2

  // Outside a block the macro spawn is a value, as `spawn` is.
  auto h = START(twice, 21);
  std::printf("value %d\n", h.join());
  // CHECK-NEXT: value 42
}
