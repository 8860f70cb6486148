// A C++ error inside `spawn f(x)` is reported on the user's line, at the
// user's callee (the named callee is called from a lambda, so overload
// resolution sees the copied arguments), and the snippet is the line as the
// user wrote it (test/columns/ checks every construct).
// RUN: not %clangxx_cprime -fsyntax-only -fno-color-diagnostics %s 2>&1 | FileCheck --strict-whitespace %s
#include <cprime/cprime.hpp>

void takes_int(int);
void f() {
  spawn takes_int("no");
// CHECK: type-error-column.cpp:[[@LINE-1]]:9: error: no matching function for call to 'takes_int'
// CHECK-NEXT: {{^}}{{ +}}[[@LINE-2]] |   spawn takes_int("no");{{$}}
// CHECK-NEXT: {{^}}      |         ^~~~~~~~~{{$}}
}
