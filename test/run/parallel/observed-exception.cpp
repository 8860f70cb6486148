// A child's exception that the block already saw through the child's handle
// is still the block's error: `parallel` rethrows it at its end, as Go's
// errgroup.Wait, Trio's nursery and asyncio's TaskGroup do. A caller that
// handles a child's failure itself catches it inside the child instead
// (docs/parallel.md, "Exceptions").
// RUN: %clangxx_cprime %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <cstdio>
#include <stdexcept>

int fails() { throw std::runtime_error("child failed"); }

int handled() {
  try {
    return fails();
  } catch (const std::exception&) {
    return -1;
  }
}

int main() {
  int seen = 0;
  try {
    parallel {
      auto h = spawn fails();
      try {
        h.join();
      } catch (const std::runtime_error& e) {
        ++seen;
        std::printf("join saw: %s\n", e.what());
      }
      std::printf("body ended\n");
    }
    std::printf("block returned normally\n");
  } catch (const std::runtime_error& e) {
    std::printf("block rethrew: %s\n", e.what());
  }
  // CHECK: join saw: child failed
  // CHECK-NEXT: body ended
  // CHECK-NEXT: block rethrew: child failed
  // CHECK-NOT: block returned normally

  // Handled inside the child: the block has nothing to report.
  int v = 0;
  parallel {
    auto h = spawn handled();
    v = h.join();
  }
  std::printf("handled in the child: %d, seen %d\n", v, seen);
  // CHECK: handled in the child: -1, seen 1
}
