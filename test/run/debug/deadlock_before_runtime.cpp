// main blocks before anything started the runtime, in every blocking entry
// point a plain thread reaches: the deadlock detector reports it (the
// monitor starts with the first park), with main's stack, and exits 2. The
// forms that start the runtime themselves (join, parallel) are checked too.
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: %python %S/Inputs/expect_exit.py 2 %t recv | FileCheck %s --check-prefixes=CHECK,RECV
// RUN: %python %S/Inputs/expect_exit.py 2 %t send | FileCheck %s --check-prefixes=CHECK,SEND
// RUN: %python %S/Inputs/expect_exit.py 2 %t nil | FileCheck %s --check-prefixes=CHECK,NIL
// RUN: %python %S/Inputs/expect_exit.py 2 %t range | FileCheck %s --check-prefixes=CHECK,RANGE
// RUN: %python %S/Inputs/expect_exit.py 2 %t select | FileCheck %s --check-prefixes=CHECK,SELECT
// RUN: %python %S/Inputs/expect_exit.py 2 %t wait_group | FileCheck %s --check-prefixes=CHECK,WG
// RUN: %python %S/Inputs/expect_exit.py 2 %t mutex | FileCheck %s --check-prefixes=CHECK,MUTEX
// RUN: env CPRIME_WORKERS=1 %python %S/Inputs/expect_exit.py 2 %t join | FileCheck %s --check-prefixes=CHECK,JOIN
// RUN: env CPRIME_WORKERS=2 %python %S/Inputs/expect_exit.py 2 %t join | FileCheck %s --check-prefixes=CHECK,JOIN
// RUN: env CPRIME_WORKERS=4 %python %S/Inputs/expect_exit.py 2 %t join | FileCheck %s --check-prefixes=CHECK,JOIN
// RUN: env CPRIME_WORKERS=1 %python %S/Inputs/expect_exit.py 2 %t parallel | FileCheck %s --check-prefixes=CHECK,PARALLEL
// RUN: env CPRIME_WORKERS=4 %python %S/Inputs/expect_exit.py 2 %t parallel | FileCheck %s --check-prefixes=CHECK,PARALLEL
#include <cprime/cprime.hpp>

#include <cstdio>
#include <cstring>

// CHECK: cprime: all coroutines are asleep — deadlock
int main(int argc, char** argv) {
  const char* what = argc > 1 ? argv[1] : "";
  cprime::channel<int> c;
  if (!std::strcmp(what, "recv")) {
    // RECV: thread {{[0-9]+}} (main) [chan recv, {{.*}}]:
    // RECV-NEXT: {{^    main$}}
    // RECV-NEXT: deadlock_before_runtime.cpp:[[@LINE+1]]
    auto v = co_await c.recv();
    (void)v;
  } else if (!std::strcmp(what, "send")) {
    // SEND: thread {{[0-9]+}} (main) [chan send, {{.*}}]:
    // SEND: deadlock_before_runtime.cpp:[[@LINE+1]]
    auto r = co_await c.send(1);
    (void)r;
  } else if (!std::strcmp(what, "nil")) {
    cprime::channel<int> nil(nullptr);
    // NIL: thread {{[0-9]+}} (main) [chan nil, {{.*}}]:
    // NIL: deadlock_before_runtime.cpp:[[@LINE+1]]
    auto v = co_await nil.recv();
    (void)v;
  } else if (!std::strcmp(what, "range")) {
    // RANGE: thread {{[0-9]+}} (main) [chan recv, {{.*}}]:
    // RANGE: deadlock_before_runtime.cpp:[[@LINE+1]]
    for (int v : c) std::printf("%d\n", v);
  } else if (!std::strcmp(what, "select")) {
    cprime::channel<int> d;
    // SELECT: thread {{[0-9]+}} (main) [select, {{.*}}]:
    // A select waits in the call that closes it (each arm's operand stays on
    // its own line), so the stack names the closing brace.
    // SELECT: deadlock_before_runtime.cpp:[[@LINE+4]]
    select {
      int v = c.recv() => std::printf("%d\n", v);
      int w = d.recv() => std::printf("%d\n", w);
    }
  } else if (!std::strcmp(what, "wait_group")) {
    cprime::wait_group wg;
    wg.add(1);
    // WG: thread {{[0-9]+}} (main) [wait_group, {{.*}}]:
    // WG: deadlock_before_runtime.cpp:[[@LINE+1]]
    wg.wait();
  } else if (!std::strcmp(what, "mutex")) {
    cprime::mutex mu;
    mu.lock();
    // MUTEX: thread {{[0-9]+}} (main) [mutex, {{.*}}]:
    // MUTEX: deadlock_before_runtime.cpp:[[@LINE+1]]
    mu.lock();
  } else if (!std::strcmp(what, "join")) {
    // JOIN: coroutine {{[0-9]+}} [chan recv, {{.*}}]:
    // JOIN: deadlock_before_runtime.cpp:[[@LINE+2]]
    // JOIN: spawned at {{.*}}deadlock_before_runtime.cpp:[[@LINE+1]]
    auto t = spawn { auto v = co_await c.recv(); (void)v; };
    // JOIN: thread {{[0-9]+}} (main) [join, {{.*}}]:
    // JOIN: deadlock_before_runtime.cpp:[[@LINE+1]]
    t.join();
  } else if (!std::strcmp(what, "parallel")) {
    // PARALLEL: coroutine {{[0-9]+}} [chan recv, {{.*}}]:
    // PARALLEL: thread {{[0-9]+}} (main) [scope join, {{.*}}]:
    parallel {
      spawn { auto v = co_await c.recv(); (void)v; };
    }
  }
  std::puts("not reached");
  return 0;
}
// CHECK-NOT: not reached
