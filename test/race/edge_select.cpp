// select arms synchronise as the plain operations do: a receive arm
// completes after the matching send, a send arm's item is received after
// what the selecting coroutine did before the select. Both spawn orders, so
// the select parks in some rounds and finds its partner waiting in others.
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
  int bad = 0;
  for (int round = 0; round < 40; ++round) {
    const bool select_first = round % 2;
    cprime::channel<int> in, out, never;
    int x = 0, y = 0;
    auto selector = [&] {
      y = round + 1;
      for (int k = 0; k < 2; ++k) {
        select {
          auto v = in.recv() => { if (!v || x != round + 1) ++bad; }
          out.send(7) => {}
          auto n = never.recv() => { (void)n; ++bad; }
        }
      }
    };
    auto partner = [&] {
      x = round + 1;
      co_await in.send(1);
      co_await out.recv();
      if (y != round + 1) ++bad;
    };
    parallel {
      if (select_first) {
        spawn selector();
        spawn partner();
      } else {
        spawn partner();
        spawn selector();
      }
    }
  }
  std::printf("select edges: %d bad\n", bad);
}
// CHECK: select edges: 0 bad
