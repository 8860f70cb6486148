// A coroutine's spawn happens before its body; its end happens before
// join(), co_await on its task, the end of its parallel block and
// task_group::join_all() return. Joiners that wait (park) and joiners that
// find the child already done both occur: children yield or not by round.
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
    const bool slow = round % 2;
    int a = round + 1, b = 0, c = 0, d = 0, e = 0;
    auto driver = spawn [&, round, slow] {
      // spawn -> body (a written before the spawn), end -> join()
      auto t = spawn [&] {
        if (a != round + 1) ++bad;
        if (slow) co_await cprime::yield_now();
        b = round + 1;
      };
      t.join();
      if (b != round + 1) ++bad;
      // end -> co_await
      auto u = spawn [&] {
        if (slow) co_await cprime::yield_now();
        c = round + 1;
      };
      co_await u;
      if (c != round + 1) ++bad;
      // end -> end of parallel
      parallel {
        spawn {
          if (slow) co_await cprime::yield_now();
          d = round + 1;
        }
      }
      if (d != round + 1) ++bad;
      // end -> task_group::join_all()
      cprime::task_group g;
      g.spawn([&] {
        if (slow) co_await cprime::yield_now();
        e = round + 1;
      });
      co_await g.join_all();
      if (e != round + 1) ++bad;
    };
    driver.join();  // from the main thread
  }
  std::printf("spawn/join edges: %d bad\n", bad);
}
// CHECK: spawn/join edges: 0 bad
