// Ordinary C++ on coroutine stacks: a 1,000,000-byte local, 900 KiB of
// recursion, and a per-spawn larger stack used to 4 MiB, in every spawn form.
// RUN: %clangxx_cprime -O1 %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <cstdio>
#include <cstring>

// frames(kib): recursion of about `kib` KiB (1 KiB frames that are written).
__attribute__((noinline)) long frames(int kib) {
  volatile char pad[1000];
  std::memset(const_cast<char*>(pad), 1, sizeof pad);
  if (kib <= 1) return pad[0];
  return frames(kib - 1) + pad[999];
}

long big_local() {
  char buf[1000000];
  std::memset(buf, 1, sizeof buf);
  long s = 0;
  for (char c : buf) s += c;
  return s;
}

struct parser {
  int depth;
  long run() const { return frames(depth); }
};

int main() {
  // The seed: a 1,000,000-byte array in a spawned block.
  auto h = spawn [] { char buf[1000000]; std::memset(buf, 1, sizeof buf);
                      long s = 0; for (char c : buf) s += c; return s; };
  std::printf("seed %ld\n", h.join());
  // CHECK: seed 1000000

  auto r = spawn frames(900);
  std::printf("recursion %ld\n", r.join());
  // CHECK-NEXT: recursion 900

  spawn big_local();  // a statement: detached, its stack recycled
  long detached = 0;
  parallel {
    spawn { detached = big_local(); }
  }
  std::printf("parallel %ld\n", detached);
  // CHECK-NEXT: parallel 1000000

  // Per spawn: with(cprime::stack_size(b)), in each form.
  auto call = spawn with(cprime::stack_size(5 << 20)) frames(4000);
  parser p{4000};
  auto member = spawn with(cprime::stack_size(5 << 20)) p.run();
  int depth = 4000;
  auto block = spawn with(cprime::stack_size(5 << 20)) { return frames(depth); };
  auto caps = spawn with(cprime::stack_size(5 << 20)) [depth] { return frames(depth); };
  auto api = cprime::spawn(cprime::here(), cprime::stack_size(5 << 20), frames, 4000);
  std::printf("per-spawn %ld %ld %ld %ld %ld\n", call.join(), member.join(), block.join(),
              caps.join(), api.join());
  // CHECK-NEXT: per-spawn 4000 4000 4000 4000 4000

  long in_parallel = 0;
  parallel {
    spawn with(cprime::stack_size(5 << 20)) { in_parallel = frames(4000); }
  }
  std::printf("per-spawn in parallel %ld\n", in_parallel);
  // CHECK-NEXT: per-spawn in parallel 4000

  // `spawn with(x);` without an operand spawns a function named `with`.
  std::printf("done\n");
  // CHECK-NEXT: done
}
