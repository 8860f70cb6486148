// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <cstdio>
#include <stdexcept>

int early(bool leave) {
  int x = 1;
  defer std::printf("early exit x=%d\n", x);
  if (leave) return x;
  x = 2;
  return x;
}

int main() {
  {
    defer std::puts("first declared, runs last");
    defer { std::puts("block form"); }
    std::puts("body");
  }
  // CHECK: body
  // CHECK-NEXT: block form
  // CHECK-NEXT: first declared, runs last
  early(true);
  // CHECK-NEXT: early exit x=1
  early(false);
  // CHECK-NEXT: early exit x=2
  for (int i = 0; i < 3; ++i) {
    defer std::printf("iter %d\n", i);
    if (i == 1) break;
  }
  // CHECK-NEXT: iter 0
  // CHECK-NEXT: iter 1
  try {
    defer std::puts("unwinding");
    throw std::runtime_error("boom");
  } catch (const std::exception &e) {
    std::printf("caught %s\n", e.what());
  }
  // CHECK-NEXT: unwinding
  // CHECK-NEXT: caught boom
  auto t = spawn {
    defer std::puts("coroutine defer");
    return 0;
  };
  t.join();
  // CHECK-NEXT: coroutine defer
}
