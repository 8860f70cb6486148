// Macros and CPrime constructs: a macro used inside a construct keeps its
// "expanded from macro" backtrace, on the user's lines; a construct written
// in a macro body is shown as the #define the user wrote.
// RUN: not %clangxx_cprime -fsyntax-only -fno-color-diagnostics %s 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines %s
#include <cprime/cprime.hpp>

#define TWICE(x) ((x) + (x))
#define GO(x) spawn [=] { take(x); }
#define ID(x) x

void take(int);

void f(cprime::channel<int> ch) {
  spawn { int y = TWICE("s"); }
// CHECK:{{.*}}macros.cpp:[[@LINE-1]]:19: error: invalid operands to binary expression ('const char[2]' and 'const char[2]')
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn { int y = TWICE("s"); }
// CHECK-NEXT:      |                   ^~~~~~~~~~
// CHECK-NEXT:{{.*}}macros.cpp:8:23: note: expanded from macro 'TWICE'
// CHECK-NEXT:    8 | #define TWICE(x) ((x) + (x))
// CHECK-NEXT:      |                   ~~~ ^ ~~~
  GO("s");
// CHECK:{{.*}}macros.cpp:[[@LINE-1]]:3: error: no matching function for call to 'take'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   GO("s");
// CHECK-NEXT:      |   ^~~~~~~
// CHECK-NEXT:{{.*}}macros.cpp:9:27: note: expanded from macro 'GO'
// CHECK-NEXT:    9 | #define GO(x) spawn [=] { take(x); }
// CHECK-NEXT:      |                           ^
  int k = ID(co_await ch.recv()) + "a";
// CHECK:{{.*}}macros.cpp:[[@LINE-1]]:34: error: invalid operands to binary expression ('std::optional<int>' and 'const char[2]')
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   int k = ID(co_await ch.recv()) + "a";
// CHECK-NEXT:      |           ~~~~~~~~~~~~~~~~~~~~~~ ^ ~~~
}
