// 1,000 coroutines each touch 512 KiB of stack, then exit: the pages they
// touched below their top 32 KiB go back to the kernel, so RSS falls back
// instead of keeping the peak.
// RUN: %clangxx_cprime -O1 %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

long rss_kib() {
  std::ifstream f("/proc/self/status");
  std::string l;
  while (std::getline(f, l))
    if (l.rfind("VmRSS:", 0) == 0) return std::stol(l.substr(6));
  return -1;
}

__attribute__((noinline)) long touch(std::size_t bytes) {
  char* buf = static_cast<char*>(__builtin_alloca(bytes));
  std::memset(buf, 1, bytes);
  asm volatile("" : : "r"(buf) : "memory");
  return buf[bytes / 2];
}

int main() {
  constexpr int n = 1000;
  spawn { }  // start the runtime before the baseline
  co_await cprime::sleep(std::chrono::milliseconds(10));
  long before = rss_kib();
  long peak = 0;
  cprime::wait_group all_touched, exited;
  all_touched.add(n);
  exited.add(n);
  cprime::channel<int> gate;
  for (int i = 0; i < n; ++i)
    spawn [&] {
      touch(512 << 10);
      all_touched.done();
      co_await gate.recv();  // all 1,000 stay alive: 1,000 different stacks
      exited.done();
    }
  all_touched.wait();
  peak = rss_kib();
  gate.close();
  exited.wait();
  co_await cprime::sleep(std::chrono::milliseconds(10));  // the last exits release their stacks
  long after = rss_kib();
  long grew = peak - before, kept = after - before;
  // Each stack may keep its top 32 KiB (and the runtime its bookkeeping).
  std::printf("peak %s, after %s\n", grew >= n * 500L ? "high" : "LOW",
              kept <= n * 40L ? "fell back" : "KEPT THE PEAK");
  // CHECK: peak high, after fell back
  if (kept > n * 40L) std::fprintf(stderr, "before %ld peak %ld after %ld KiB\n", before, peak, after);
}
