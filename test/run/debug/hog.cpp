// A coroutine that keeps its worker 300 ms without suspending is reported
// once (not again when it hogs a second time), with its spawn site and
// stack. CPRIME_HOG_MS=0 turns the warning off; runtime::builder's
// hog_threshold() wins over the environment. The default is 100 ms, and off
// under ThreadSanitizer (docs/debugging.md says why), where CPRIME_HOG_MS
// turns it on.
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t 2>&1 | FileCheck %s %if tsan %{ --check-prefix=OFF %}
// RUN: env CPRIME_WORKERS=2 CPRIME_HOG_MS=100 %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=4 CPRIME_HOG_MS=100 %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=2 CPRIME_HOG_MS=0 %t 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: env CPRIME_HOG_MS=0 %t builder 2>&1 | FileCheck %s --check-prefix=BUILDER
#include <cprime/cprime.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>

using namespace std::chrono_literals;

void busy_for(std::chrono::milliseconds d);

void hog() {
  busy_for(300ms);
  co_await cprime::sleep(1ms);  // suspends: the next stretch is a new one
  busy_for(300ms);  // a second stretch: not reported again
}

// OFF-NOT: has kept worker
int main(int argc, char** argv) {
  if (argc > 1 && !std::strcmp(argv[1], "builder")) {
    auto rt = cprime::runtime::builder().worker_threads(2).hog_threshold(50ms).build();
    // BUILDER: cprime: coroutine {{[0-9]+}} has kept worker {{[0-9]+}} of runtime cprime-worker for {{[0-9]+}} ms without suspending
    rt.run([] { busy_for(200ms); });
    std::puts("done");
    return 0;
  }
  // CHECK: cprime: coroutine {{[0-9]+}} has kept worker {{[0-9]+}} of runtime cprime-worker for {{[0-9]+}} ms without suspending
  // CHECK: `spawn blocking`
  // CHECK: cprime::yield_now()
  // CHECK-NEXT: spawned at {{.*}}hog.cpp:[[@LINE+1]]
  auto t = spawn hog();
  t.join();
  std::puts("done");
  return 0;
}

__attribute__((noinline)) void busy_for(std::chrono::milliseconds d) {
  auto end = std::chrono::steady_clock::now() + d;
  // CHECK: {{^    busy_for}}
  // CHECK-NEXT: hog.cpp:[[@LINE+1]]
  while (std::chrono::steady_clock::now() < end) {
  }
}
// CHECK: {{^    hog\(\)$}}
// CHECK-NOT: has kept worker
// CHECK: done
// OFF: done
// BUILDER: done
