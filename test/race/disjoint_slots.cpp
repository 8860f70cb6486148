// parallel children each write their own slot; the block's end waits for
// all of them, so reading every slot after it is not a race. (Writing
// disjoint elements of one vector concurrently is not a race either.)
//
// Runs only in TSan builds: what it asserts is ThreadSanitizer's report.
// REQUIRES: tsan
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=2 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
// RUN: env CPRIME_WORKERS=4 %t 2>&1 | FileCheck %s --implicit-check-not=ThreadSanitizer
#include <cprime/cprime.hpp>

#include <cstdio>
#include <vector>

int main() {
  std::vector<long> v(64);
  parallel {
    for (int i = 0; i < 64; ++i)
      spawn {
        for (int k = 0; k < 1000; ++k) v[i] = v[i] + i;
      }
  }
  long s = 0;
  for (long x : v) s += x;
  std::printf("sum = %ld\n", s);
}
// CHECK: sum = 2016000
