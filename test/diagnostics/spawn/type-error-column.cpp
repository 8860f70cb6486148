// A C++ error inside `spawn f(x)` is reported on the user's line, at the
// call `f(...)` in the rewritten line Clang shows (the named callee is
// called from a lambda, so overload resolution sees the copied arguments).
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#include <cprime/cprime.hpp>

void takes_int(int);
void f() {
  spawn takes_int("no");
// CHECK: type-error-column.cpp:[[@LINE-1]]:{{[0-9]+}}: error: no matching function for call to 'takes_int'
// CHECK-NEXT: ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return takes_int(::std::forward<__cprime_A>(__cprime_a)...); }, "no");
}
