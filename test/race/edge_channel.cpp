// Channel edges (Go's memory model): a send happens before the matching
// receive completes, buffered or not; on an unbuffered channel the receive
// also happens before the send completes; a close happens before a receive
// that observes it. Each round runs the two sides in both spawn orders, so
// either side may be the one that parks; a plain int carries the payload.
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
    const bool recv_first = round % 2;
    {  // unbuffered: send -> receive, and receive -> send completes
      cprime::channel<int> ch;
      int x = 0, y = 0;
      auto sender = [&] {
        x = round + 1;
        co_await ch.send(1);
        if (y != round + 1) ++bad;
      };
      auto receiver = [&] {
        y = round + 1;
        co_await ch.recv();
        if (x != round + 1) ++bad;
      };
      parallel {
        if (recv_first) {
          spawn receiver();
          spawn sender();
        } else {
          spawn sender();
          spawn receiver();
        }
      }
    }
    {  // buffered: send -> receive
      cprime::channel<int> ch(1);
      int x = 0;
      auto sender = [&] {
        x = round + 1;
        co_await ch.send(1);
      };
      auto receiver = [&] {
        co_await ch.recv();
        if (x != round + 1) ++bad;
      };
      parallel {
        if (recv_first) {
          spawn receiver();
          spawn sender();
        } else {
          spawn sender();
          spawn receiver();
        }
      }
    }
    {  // close -> a receive that observes it
      cprime::channel<int> ch;
      int x = 0;
      auto closer = [&] {
        x = round + 1;
        ch.close();
      };
      auto receiver = [&] {
        if (co_await ch.recv()) ++bad;
        if (x != round + 1) ++bad;
      };
      parallel {
        if (recv_first) {
          spawn receiver();
          spawn closer();
        } else {
          spawn closer();
          spawn receiver();
        }
      }
    }
  }
  std::printf("channel edges: %d bad\n", bad);
}
// CHECK: channel edges: 0 bad
