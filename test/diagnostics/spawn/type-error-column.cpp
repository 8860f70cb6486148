// A C++ error inside `spawn f(x)` is reported on the user's line, at `f(x)`
// in the rewritten line Clang shows.
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#include <cprime/cprime.hpp>

void takes_int(int);
void f() {
  spawn takes_int("no");
// CHECK: type-error-column.cpp:[[@LINE-1]]:{{[0-9]+}}: error:
// CHECK: ::cprime::spawn_detached(::cprime::here(), takes_int, "no");
}
