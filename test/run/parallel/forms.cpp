// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <vector>

int main() {
  std::vector<int> v(8);
  parallel {
    for (int i = 0; i < 8; ++i)
      spawn [&v, i] { v[i] = i * i; }
  }
  int s = 0;
  for (int x : v) s += x;
  std::printf("sum %d\n", s);
  // CHECK: sum 140

  std::atomic<int> n{0};
  auto total = parallel {
    spawn { n += 1; }
    spawn { n += 2; }
    spawn blocking [&n] { n += 4; }
    return 100;
  };
  std::printf("expr %d %d\n", total, n.load());
  // CHECK-NEXT: expr 100 7

  parallel {
    spawn {
      parallel { spawn { n += 10; } }
    }
  }
  std::printf("nested %d\n", n.load());
  // CHECK-NEXT: nested 17

  try {
    parallel {
      spawn { throw std::runtime_error("first"); }
      spawn { co_await cprime::sleep(std::chrono::seconds(10)); }
    }
  } catch (const std::exception &e) {
    std::printf("rethrown %s\n", e.what());
  }
  // CHECK-NEXT: rethrown first
}
