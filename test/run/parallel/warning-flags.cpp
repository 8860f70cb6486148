// The lowering adds no warning under the flags C++ teams build with: nested
// parallel/timeout blocks each name their scope parameter `__cprime_scope`
// (so that a spawn from a macro finds the innermost), and the lowering keeps
// -Wshadow-all quiet about it, with spawn, defer and select inside. A
// user's own shadowing inside a block still warns.
// RUN: %clangxx_cprime -Wall -Wextra -Wshadow-all -Wpedantic -Wunused -Wconversion -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
// RUN: not %clangxx_cprime -fsyntax-only -Wshadow-all -Werror -DUSER_SHADOW %s 2>&1 | FileCheck %s --check-prefix=USER
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>

std::atomic<int> sum{0};
void add(int k) { sum += k; }
#define GO(k) spawn add(k)

int main() {
  using namespace std::chrono_literals;
  cprime::channel<int> c(1);
  (void)co_await c.send(5);
  int n = 0;
  parallel {
    spawn {
      parallel {
        GO(1);
        timeout (10s) {
          defer ++n;
          spawn { defer add(10); }
          select { auto v = c.recv() => n += *v; }
          parallel { spawn add(100); GO(1000); }
        }
      }
    }
    defer add(10000);
#ifdef USER_SHADOW
    int n = 3; // USER: warning-flags.cpp:[[@LINE]]:9: error: declaration shadows a local variable
    (void)n;
#endif
  }
  std::printf("sum %d n %d\n", sum.load(), n);
  // CHECK: sum 11111 n 6
}
