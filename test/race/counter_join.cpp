// The counter of counter.cpp, with each coroutine joined before the next
// one starts and before the counter is read: a coroutine's end happens
// before join() and co_await on its task return. Joined from the main thread
// and from a coroutine.
//
// Runs only in TSan builds: what it asserts is ThreadSanitizer's report.
// REQUIRES: tsan
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=2 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=4 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
#include <cprime/cprime.hpp>

#include <cstdio>

void add(long& counter) {
  for (int i = 0; i < 100000; ++i) counter = counter + 1;
}

int main() {
  long counter = 0;
  auto a = spawn add(std::ref(counter));
  a.join();
  auto b = spawn add(std::ref(counter));
  co_await b;
  std::printf("thread: counter = %ld\n", counter);
  // CHECK: thread: counter = 200000

  long c2 = 0;
  auto driver = spawn [&c2] {
    auto x = spawn add(std::ref(c2));
    x.join();
    auto y = spawn add(std::ref(c2));
    co_await y;
    std::printf("coroutine: counter = %ld\n", c2);
  };
  driver.join();
  // CHECK: coroutine: counter = 200000
}
