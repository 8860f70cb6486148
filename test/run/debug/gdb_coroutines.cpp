// gdb's `info coroutines` and `coroutine N bt` (gdb/cprime-gdb.py, loaded
// from the program's .debug_gdb_scripts section) on a live process stopped
// at a breakpoint and on a core file written by gcore, at 1, 2 and 4 workers.
// Three coroutines park in three named functions: a channel receive, a
// select, a mutex.
// Not under ASan/TSan: gcore would write out the sanitizer's shadow mappings
// (terabytes of reserved address space), and the lit run of the plain build
// covers the extension.
// UNSUPPORTED: sanitizer
// RUN: %clangxx_cprime -g %s %cprime_rt -o %t
// RUN: rm -f %t.core.1
// RUN: env CPRIME_WORKERS=1 gdb -batch -nx -iex 'set auto-load safe-path /' \
// RUN:   -ex 'break debugger_stop_here' -ex run -ex 'info coroutines' -ex 'coroutine all bt' \
// RUN:   -ex 'gcore %t.core.1' -ex kill %t > %t.live.1 2>&1
// RUN: FileCheck %s --check-prefix=GDB < %t.live.1
// RUN: gdb -batch -nx -iex 'set auto-load safe-path /' -ex 'info coroutines' \
// RUN:   -ex 'coroutine all bt' %t %t.core.1 > %t.core.out.1 2>&1
// RUN: FileCheck %s --check-prefix=GDB < %t.core.out.1
// RUN: rm -f %t.core.2
// RUN: env CPRIME_WORKERS=2 gdb -batch -nx -iex 'set auto-load safe-path /' \
// RUN:   -ex 'break debugger_stop_here' -ex run -ex 'info coroutines' -ex 'coroutine all bt' \
// RUN:   -ex 'gcore %t.core.2' -ex kill %t > %t.live.2 2>&1
// RUN: FileCheck %s --check-prefix=GDB < %t.live.2
// RUN: gdb -batch -nx -iex 'set auto-load safe-path /' -ex 'info coroutines' \
// RUN:   -ex 'coroutine all bt' %t %t.core.2 > %t.core.out.2 2>&1
// RUN: FileCheck %s --check-prefix=GDB < %t.core.out.2
// RUN: rm -f %t.core.4
// RUN: env CPRIME_WORKERS=4 gdb -batch -nx -iex 'set auto-load safe-path /' \
// RUN:   -ex 'break debugger_stop_here' -ex run -ex 'info coroutines' -ex 'coroutine all bt' \
// RUN:   -ex 'gcore %t.core.4' -ex kill %t > %t.live.4 2>&1
// RUN: FileCheck %s --check-prefix=GDB < %t.live.4
// RUN: gdb -batch -nx -iex 'set auto-load safe-path /' -ex 'info coroutines' \
// RUN:   -ex 'coroutine all bt' %t %t.core.4 > %t.core.out.4 2>&1
// RUN: FileCheck %s --check-prefix=GDB < %t.core.out.4
// The table: a row per coroutine with its wait kind, where it is blocked and
// where it was spawned (the GDB-DAG lines below).
// GDB: Id State Wait For Where Spawned at
#include <cprime/cprime.hpp>

#include <chrono>
#include <cstdio>

cprime::channel<int> jobs;
cprime::channel<int> quit;
cprime::mutex mu;

void wait_for_job() {
  auto v = co_await jobs.recv(); // GDB-DAG: parked chan recv {{[0-9.]+ m?s}} wait_for_job() at {{.*}}gdb_coroutines.cpp:[[@LINE]]
  std::printf("got %d\n", v ? *v : -1);
}

void wait_for_either() {
  // A select waits in the call that closes it (each arm's operand stays on
  // its own line), so the coroutine is shown blocked at the closing brace.
  // GDB-DAG: parked select {{[0-9.]+ m?s}} wait_for_either() at {{.*}}gdb_coroutines.cpp:[[@LINE+4]]
  select {
    int v = jobs.recv() => std::printf("job %d\n", v);
    int q = quit.recv() => std::printf("quit %d\n", q);
  }
}

void wait_for_lock() {
  mu.lock(); // GDB-DAG: parked mutex {{[0-9.]+ m?s}} wait_for_lock() at {{.*}}gdb_coroutines.cpp:[[@LINE]]
  mu.unlock();
}

extern "C" __attribute__((noinline)) void debugger_stop_here() { asm volatile("" ::: "memory"); }

int main() {
  mu.lock();
  spawn wait_for_job();     // GDB-DAG: gdb_coroutines.cpp:[[@LINE]]{{$}}
  spawn wait_for_either();  // GDB-DAG: gdb_coroutines.cpp:[[@LINE]]{{$}}
  spawn wait_for_lock();    // GDB-DAG: gdb_coroutines.cpp:[[@LINE]]{{$}}
  // Park all three (the metrics count them) before stopping.
  while (cprime::metrics().parked < 3) co_await cprime::sleep(std::chrono::milliseconds(5));
  debugger_stop_here();
  return 0;
}
// One backtrace per coroutine, each reaching its parking function.
// GDB: coroutine {{[0-9]+}} [parked: {{chan recv|select|mutex}}]
// GDB: in {{wait_for_job|wait_for_either|wait_for_lock}}
// GDB: coroutine {{[0-9]+}} [parked: {{chan recv|select|mutex}}]
// GDB: in {{wait_for_job|wait_for_either|wait_for_lock}}
// GDB: coroutine {{[0-9]+}} [parked: {{chan recv|select|mutex}}]
// GDB: in {{wait_for_job|wait_for_either|wait_for_lock}}
