// The data race a Go programmer expects `go run -race` to catch: two
// coroutines increment a shared counter with no synchronisation. It must be
// reported whatever the worker count — also with one worker, where the two
// coroutines never run at the same instant but are still unordered.
//
// Runs only in TSan builds: what it asserts is ThreadSanitizer's report.
// REQUIRES: tsan
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=1 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=1 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=1 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=1 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=2 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=2 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=2 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=2 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=2 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=4 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=4 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=4 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=4 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=4 not %t 2>&1 | FileCheck %s
#include <cprime/cprime.hpp>

#include <cstdio>

int main() {
  long counter = 0;
  parallel {
    spawn {
      for (int i = 0; i < 100000; ++i) counter = counter + 1;  // RACE-A
    }
    spawn {
      for (int i = 0; i < 100000; ++i) counter = counter + 1;  // RACE-B
    }
  }
  std::printf("counter = %ld\n", counter);
}
// CHECK: WARNING: ThreadSanitizer: data race
// CHECK-DAG: counter.cpp:[[#@LINE-9]]
// CHECK-DAG: counter.cpp:[[#@LINE-7]]
// CHECK: ThreadSanitizer: reported {{[0-9]+}} warnings
