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

// pair(first, second): the two sides as two children of one parallel block,
// `first` spawned first, so either side may be the one that parks.
template <class A, class B>
void pair(A first, B second) {
  parallel {
    spawn first();
    spawn second();
  }
}

// both_orders(a, b, round): a before b on even rounds, b before a on odd ones.
template <class A, class B>
void both_orders(A a, B b, int round) {
  if (round % 2)
    pair(b, a);
  else
    pair(a, b);
}

int main() {
  int bad = 0;
  for (int round = 0; round < 40; ++round) {
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
      both_orders(sender, receiver, round);
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
      both_orders(sender, receiver, round);
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
      both_orders(closer, receiver, round);
    }
  }
  std::printf("channel edges: %d bad\n", bad);
}
// CHECK: channel edges: 0 bad
