// cprime::mutex: an unlock happens before the next lock (here the waiter is
// parked when the holder unlocks: the lock is handed over). wait_group:
// done() happens before wait() returns (the waiter parked, and not).
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
    {
      cprime::mutex mu;
      int x = 0;
      cprime::channel<int> locked;
      parallel {
        spawn {
          mu.lock();
          co_await locked.send(1);          // the other one now blocks on mu
          co_await cprime::yield_now();
          x = round + 1;
          mu.unlock();
        }
        spawn {
          co_await locked.recv();
          mu.lock();
          if (x != round + 1) ++bad;
          mu.unlock();
        }
      }
    }
    {
      cprime::wait_group wg;
      int x[3] = {};
      wg.add(3);
      parallel {
        for (int i = 0; i < 3; ++i)
          spawn {
            if (i == 2 && round % 2) co_await cprime::yield_now();
            x[i] = round + 1;
            wg.done();
          }
        spawn {
          wg.wait();
          for (int v : x)
            if (v != round + 1) ++bad;
        }
      }
    }
  }
  std::printf("sync edges: %d bad\n", bad);
}
// CHECK: sync edges: 0 bad
