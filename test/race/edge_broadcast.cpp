// broadcast::emit happens before each subscriber's receive of that event:
// the emitter writes a plain payload, then emits; subscribers read it after
// receiving (parked in recv, or finding the event buffered).
//
// Runs only in TSan builds: what it asserts is ThreadSanitizer's report.
// REQUIRES: tsan
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=2 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=4 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
#include <cprime/broadcast.hpp>
#include <cprime/cprime.hpp>

#include <cstdio>

int main() {
  int bad = 0;
  for (int round = 0; round < 40; ++round) {
    cprime::broadcast<int> bus(round % 2 ? 1 : 4);
    auto r1 = bus.subscribe();
    auto r2 = bus.subscribe();
    int payload[3] = {};
    parallel {
      spawn [&, r = std::move(r1)] {
        for (int i = 0; i < 3; ++i) {
          auto v = co_await r.recv();
          if (!v || payload[*v] != round + 1) ++bad;
        }
      }
      spawn [&, r = std::move(r2)] {
        for (int i = 0; i < 3; ++i) {
          auto v = co_await r.recv();
          if (!v || payload[*v] != round + 1) ++bad;
        }
      }
      spawn {
        for (int i = 0; i < 3; ++i) {
          payload[i] = round + 1;
          bus.emit(i);
        }
      }
    }
  }
  std::printf("broadcast edges: %d bad\n", bad);
}
// CHECK: broadcast edges: 0 bad
