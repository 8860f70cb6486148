// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

int main() {
  timeout (20ms) {
    co_await cprime::sleep(10s);
    std::puts("not reached");
  } else {
    std::puts("deadline hit");
  }
  // CHECK: deadline hit

  timeout (5s) { std::puts("in time"); } else { std::puts("late"); }
  // CHECK-NEXT: in time

  cprime::channel<int> never;
  int cleaned = 0;
  timeout (20ms) {
    spawn {
      defer cleaned += 1;
      co_await never.recv();
    }
    co_await cprime::sleep(10s);
  }
  std::printf("after, cleaned %d\n", cleaned);
  // CHECK-NEXT: after, cleaned 1
}
