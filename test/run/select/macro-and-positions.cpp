// A select in a macro body, used twice in one function (its jump labels are
// local to each expansion); selects after case labels and as unbraced loop
// bodies; break/continue in arm bodies act on the enclosing loop.
// RUN: %clangxx_cprime -Wall -Wextra -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <cstdio>

#define TRY_RECV(ch, out) select { int v = ch.recv() => out = v; default => out = -1; }

int main() {
  cprime::channel<int> c(4);
  co_await c.send(1);
  int a = 0, b = 0;
  TRY_RECV(c, a);
  TRY_RECV(c, b);
  std::printf("macro %d %d\n", a, b);
  // CHECK: macro 1 -1

  for (int i = 0; i < 3; ++i) co_await c.send(10 + i);
  c.close();
  int sum = 0, turns = 0;
  for (;;) select {
    int v = c.recv() => { ++turns; if (v == 11) continue; sum += v; }
    default => break;
  }
  std::printf("loop %d %d\n", sum, turns);
  // CHECK-NEXT: loop 22 3

  cprime::channel<int> d(1);
  int got = 0;
  for (int k = 0; k < 2; ++k) {
    switch (k) {
    case 0: select { d.send(5) => got += 1; } break;
    default: select { auto v = d.recv() => got += *v; } break;
    }
  }
  std::printf("switch %d\n", got);
  // CHECK-NEXT: switch 6
}
