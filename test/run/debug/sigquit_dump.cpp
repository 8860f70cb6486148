// SIGQUIT prints every coroutine — wait kind and how long, its stack with
// file:line, its spawn site — the running one with its stack, and the plain
// threads blocked in the runtime (main), then exits 2 (as Go). CPRIME_SIGQUIT
// =dump keeps the program running; an inherited SIG_IGN is overridden;
// CPRIME_SIGQUIT=off leaves SIGQUIT alone.
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 CPRIME_HOG_MS=0 %python %S/Inputs/expect_exit.py 2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 CPRIME_HOG_MS=0 %python %S/Inputs/expect_exit.py 2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 CPRIME_HOG_MS=0 %python %S/Inputs/expect_exit.py 2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 CPRIME_HOG_MS=0 %python %S/Inputs/expect_exit.py 2 %t ignore | FileCheck %s
// RUN: env CPRIME_WORKERS=2 CPRIME_HOG_MS=0 CPRIME_SIGQUIT=dump %python %S/Inputs/expect_exit.py 0 %t \
// RUN:   | FileCheck %s --check-prefixes=CHECK,CONT
// RUN: env CPRIME_WORKERS=2 CPRIME_HOG_MS=0 CPRIME_SIGQUIT=off %python %S/Inputs/expect_exit.py 0 %t ignore \
// RUN:   | FileCheck %s --check-prefix=OFF
// CHECK: cprime: SIGQUIT: dump of all coroutines
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>

using namespace std::chrono_literals;

void consumer(cprime::channel<int> c) {
  auto v = co_await c.recv(); // CHECK-DAG: sigquit_dump.cpp:[[@LINE]]
  (void)v;
}

void chooser(cprime::channel<int> a, cprime::channel<int> b) {
  // A select waits in the call that closes it: the stack names that line.
  // CHECK-DAG: sigquit_dump.cpp:[[@LINE+4]]
  select {
    int x = a.recv() => std::printf("%d\n", x);
    int y = b.recv() => std::printf("%d\n", y);
  }
}

__attribute__((noinline)) void spin(std::atomic<bool>* stop) {
  // Reads the clock as real busy loops do (and so meets TSan's signal
  // delivery points).
  while (!stop->load(std::memory_order_relaxed)) (void)std::chrono::steady_clock::now(); // CHECK-DAG: sigquit_dump.cpp:[[@LINE]]
}

// CHECK-DAG: coroutine {{[0-9]+}} [chan recv, {{[0-9.]+ m?s}}]:
// CHECK-DAG: {{^    consumer\(cprime::channel<int>\)$}}
// CHECK-DAG: coroutine {{[0-9]+}} [select, {{[0-9.]+ m?s}}]:
// CHECK-DAG: {{^    chooser\(cprime::channel<int>, cprime::channel<int>\)$}}
// CHECK-DAG: coroutine {{[0-9]+}} [running on worker {{[0-9]+}}]:
// CHECK-DAG: {{^    spin\(std::atomic<bool>\*\)$}}
// CHECK-DAG: thread {{[0-9]+}} (main) [sleep, {{[0-9.]+ m?s}}]:
int main(int argc, char** argv) {
  if (argc > 1 && !std::strcmp(argv[1], "ignore")) std::signal(SIGQUIT, SIG_IGN);  // as `prog &` from a script
  cprime::channel<int> a, b, c;
  // Static: spin() may read it once more after main has returned (it is a
  // detached coroutine), which on main's stack would be a use after return.
  static std::atomic<bool> stop{false};
  spawn consumer(c);   // CHECK-DAG: spawned at {{.*}}sigquit_dump.cpp:[[@LINE]]
  spawn chooser(a, b); // CHECK-DAG: spawned at {{.*}}sigquit_dump.cpp:[[@LINE]]
  while (cprime::metrics().parked < 2) co_await cprime::sleep(1ms);
  spawn spin(&stop);   // CHECK-DAG: spawned at {{.*}}sigquit_dump.cpp:[[@LINE]]
  while (cprime::metrics().running < 1) co_await cprime::sleep(1ms);
  std::raise(SIGQUIT);
  co_await cprime::sleep(1500ms);  // the dump happens meanwhile (and, by default, the exit)
  stop = true;
  std::puts("still running after SIGQUIT");
  co_await c.send(1);
  co_await a.send(2);
  return 0;
}
// CONT: still running after SIGQUIT
// OFF-NOT: dump of all coroutines
// OFF: still running after SIGQUIT
