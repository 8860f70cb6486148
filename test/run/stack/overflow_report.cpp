// A coroutine that overflows its stack stops the program with a report
// naming it, its spawn site and its stack size, not a bare SIGSEGV.
// RUN: %clangxx_cprime -O1 %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=2 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=4 not %t 2>&1 | FileCheck %s
// RUN: env CPRIME_WORKERS=2 not %t big 2>&1 | FileCheck %s --check-prefix=BIG
// RUN: env CPRIME_WORKERS=2 not %t with 2>&1 | FileCheck %s --check-prefix=WITH
#include <cprime/cprime.hpp>

#include <cstdio>
#include <cstring>
#include <string>

__attribute__((noinline)) long forever(long n) {
  volatile char pad[512];
  std::memset(const_cast<char*>(pad), 1, sizeof pad);
  return forever(n + 1) + pad[n % 512];
}

// One frame of 2 MB: the plugin compiles this file with stack clash
// protection, so its pages are probed top down and it meets the guard.
__attribute__((noinline)) long huge() {
  char buf[2000000];
  std::memset(buf, 1, sizeof buf);
  asm volatile("" : : "r"(buf) : "memory");
  return buf[7];
}

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "big") {
    auto h = spawn huge();
    return int(h.join());
  }
  if (mode == "with") {
    auto h = spawn with(cprime::stack_size(2 << 20)) forever(0);
    return int(h.join());
  }
  auto h = spawn forever(0);
  return int(h.join());
}
// CHECK: cprime: fatal: coroutine {{[0-9]+}} spawned at {{.*}}overflow_report.cpp:40 overflowed its 1024 KiB stack (it faulted in the guard zone below its stack; address 0x{{[0-9a-f]+}}, stack 0x{{[0-9a-f]+}}-0x{{[0-9a-f]+}})
// BIG: cprime: fatal: coroutine {{[0-9]+}} spawned at {{.*}}overflow_report.cpp:33 overflowed its 1024 KiB stack (it faulted in the guard zone below its stack
// WITH: cprime: fatal: coroutine {{[0-9]+}} spawned at {{.*}}overflow_report.cpp:37 overflowed its 2048 KiB stack (it faulted in the guard zone below its stack
