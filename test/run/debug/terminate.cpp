// An exception escaping a detached task: the report is the last word (no
// "terminate called without an active exception" after it) and the process
// ends by SIGABRT, as std::terminate's default would. A terminate handler the
// program installed runs with the exception active.
// RUN: %clangxx_cprime %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %python %S/Inputs/expect_exit.py -6 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %python %S/Inputs/expect_exit.py -6 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %python %S/Inputs/expect_exit.py -6 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %python %S/Inputs/expect_exit.py 3 %t handler | FileCheck %s --check-prefix=HANDLER
#include <cprime/cprime.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>

int main(int argc, char** argv) {
  if (argc > 1 && !std::strcmp(argv[1], "handler"))
    std::set_terminate([] {
      try {
        std::rethrow_exception(std::current_exception());
      } catch (const std::exception& e) {
        std::fprintf(stderr, "handler saw: %s\n", e.what());
      }
      std::_Exit(3);
    });
  // CHECK: cprime: exception escaped the detached task spawned at {{.*}}terminate.cpp:[[@LINE+2]]: boom
  // HANDLER: cprime: exception escaped the detached task spawned at {{.*}}terminate.cpp:[[@LINE+1]]: boom
  spawn { throw std::runtime_error("boom"); };
  co_await cprime::sleep(std::chrono::seconds(10));
  std::puts("not reached");
}
// CHECK-NOT: terminate called
// CHECK-NOT: not reached
// HANDLER-NEXT: handler saw: boom
