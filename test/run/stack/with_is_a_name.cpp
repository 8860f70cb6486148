// `with` is a keyword only between `spawn` and a spawn operand.
// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <cstdio>

int with(int x) { return x * 2; }

int main() {
  auto h = spawn with(21);
  std::printf("%d\n", h.join());
  // CHECK: 42
  int n = 0;
  parallel {
    spawn with(4);
    spawn { n = with(5); }
  }
  std::printf("%d\n", n);
  // CHECK-NEXT: 10
}
