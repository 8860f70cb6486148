// spawn, select, defer, parallel and timeout right after case/default/goto
// labels, after else/do, as an unbraced if/for/while body, after `;` and `{`
// on one line, and after an attribute: all keywords, all run.
// RUN: %clangxx_cprime -Wall -Wextra -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

std::atomic<int> hits{0};
void hit(int k) { hits += k; }

std::string trace;

void run(int which) {
  cprime::channel<int> c(1);
  parallel {
    switch (which) {
    case 0: spawn hit(1); break;
    case 1: parallel { spawn hit(10); } break;
    case 2: timeout (std::chrono::seconds(10)) { spawn hit(100); } break;
    case 3: select { c.send(7) => hit(1000); } break;
    default: { defer trace += "d"; trace += "b"; } spawn hit(10000);
    }
  }
}

int main() {
  for (int i = 0; i < 5; ++i) run(i);
  std::printf("switch %d %s\n", hits.load(), trace.c_str());
  // CHECK: switch 11111 bd

  hits = 0;
  int n = 0;
  parallel {
  again: spawn hit(1);
    if (++n < 3) goto again;
  }
  std::printf("goto %d\n", hits.load());
  // CHECK-NEXT: goto 3

  hits = 0;
  parallel {
    if (n == 3) spawn hit(1); else spawn hit(1000);
    if (n != 3) spawn hit(1000); else spawn hit(2);
    for (int i = 0; i < 2; ++i) spawn hit(10);
    int k = 2;
    while (k--) spawn hit(100);
    do spawn hit(1000); while (0);
    n = 0; spawn hit(10000); { spawn hit(10000); }
    [[likely]] spawn hit(100000);
  }
  std::printf("positions %d\n", hits.load());
  // CHECK-NEXT: positions 121223

  trace.clear();
  {
    defer trace += "1";
    if (n == 0) { defer trace += "2"; }
    trace += "3";
  }
  std::printf("defer %s\n", trace.c_str());
  // CHECK-NEXT: defer 231

  cprime::channel<int> c(1);
  co_await c.send(5);
  int got = 0;
  if (got == 0) select { int v = c.recv() => got = v; }
  for (int i = 0; i < 1; ++i) select { default => got += 1; }
  std::printf("select %d\n", got);
  // CHECK-NEXT: select 6
}
