// The counter of counter.cpp under a cprime::mutex: an unlock happens before
// the next lock, so the increments are ordered and nothing is reported.
//
// Runs only in TSan builds: what it asserts is ThreadSanitizer's report.
// REQUIRES: tsan
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=2 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=4 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
#include <cprime/cprime.hpp>

#include <cstdio>
#include <mutex>

int main() {
  long counter = 0;
  cprime::mutex mu;
  parallel {
    spawn {
      for (int i = 0; i < 100000; ++i) {
        std::lock_guard g(mu);
        counter = counter + 1;
      }
    }
    spawn {
      for (int i = 0; i < 100000; ++i) {
        mu.lock();
        counter = counter + 1;
        mu.unlock();
        if (i % 1000 == 0) co_await cprime::yield_now();  // let the other one contend
      }
    }
  }
  std::printf("counter = %ld\n", counter);
}
// CHECK: counter = 200000
