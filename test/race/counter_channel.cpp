// The counter of counter.cpp, with its increments ordered by a channel: the
// two coroutines pass a baton through an unbuffered channel and only the
// holder increments. Every hand-over is a send that happens before the
// matching receive completes, so there is no race to report.
//
// Runs only in TSan builds: what it asserts is ThreadSanitizer's report.
// REQUIRES: tsan
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=2 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=4 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
#include <cprime/cprime.hpp>

#include <cstdio>

int main() {
  constexpr int n = 100000;
  long counter = 0;
  cprime::channel<int> ping, pong;
  parallel {
    spawn {
      for (int i = 0; i < n; ++i) {
        co_await ping.recv();
        counter = counter + 1;
        co_await pong.send(0);
      }
    }
    spawn {
      for (int i = 0; i < n; ++i) {
        co_await pong.recv();
        counter = counter + 1;
        if (i + 1 < n) co_await ping.send(0);
      }
    }
    spawn { co_await ping.send(0); }
  }
  std::printf("counter = %ld\n", counter);
}
// CHECK: counter = 200000
