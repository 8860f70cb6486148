// Cancellation: what the canceller did before cancel() happens before the
// cancelled coroutine observes it — thrown at a suspension point where it
// was parked, or seen by cancel_requested()/awaiting token.cancelled().
// A timeout's expiry cancels the same way; the block's end still waits for
// its children.
//
// Runs only in TSan builds: what it asserts is ThreadSanitizer's report.
// REQUIRES: tsan
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=2 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=4 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
#include <cprime/cprime.hpp>

#include <chrono>
#include <cstdio>

int main() {
  int bad = 0;
  for (int round = 0; round < 20; ++round) {
    {  // parked in recv when cancelled
      cprime::cancellation_token tok;
      cprime::channel<int> never, started;
      int x = 0;
      auto victim = cprime::spawn(tok, [&] {
        try {
          co_await started.send(1);
          co_await never.recv();
          ++bad;
        } catch (const cprime::cancelled&) {
          if (x != round + 1) ++bad;
        }
      });
      co_await started.recv();
      if (round % 2) co_await cprime::yield_now();
      x = round + 1;
      tok.cancel();
      victim.join();
    }
    {  // awaiting token.cancelled()
      cprime::cancellation_token tok;
      int x = 0;
      auto watcher = spawn [&] {
        co_await tok.cancelled();
        if (x != round + 1) ++bad;
      };
      x = round + 1;
      tok.cancel();
      watcher.join();
    }
    {  // a timeout's children, cancelled by the timer; read after the block
      int x = 0;
      cprime::channel<int> never;
      timeout (std::chrono::milliseconds(1)) {
        spawn {
          try {
            co_await never.recv();
          } catch (const cprime::cancelled&) {
            x = round + 1;
            throw;
          }
        }
      }
      if (x != round + 1) ++bad;
    }
  }
  std::printf("cancel edges: %d bad\n", bad);
}
// CHECK: cancel edges: 0 bad
