// Warnings, -Werror and notes inside CPrime constructs: each at the user's
// line and column with the user's line shown, counted as Clang counts them.
// RUN: split-file %s %t
// RUN: %clangxx_cprime -fsyntax-only -Wall -fno-color-diagnostics %t/warn.cpp 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines --check-prefix=WARN %t/warn.cpp
// RUN: not %clangxx_cprime -fsyntax-only -Wall -Werror=unused-variable -fno-color-diagnostics %t/warn.cpp 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines --check-prefix=WERROR %t/warn.cpp
// RUN: not %clangxx_cprime -fsyntax-only -fno-color-diagnostics %t/notes.cpp 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines %t/notes.cpp

//--- warn.cpp
#include <cprime/cprime.hpp>
void f() {
  spawn { int unused = 1; }
// WARN:{{.*}}warn.cpp:[[@LINE-1]]:15: warning: unused variable 'unused' [-Wunused-variable]
// WARN-NEXT:{{ +}}[[@LINE-2]] |   spawn { int unused = 1; }
// WARN-NEXT:      |               ^~~~~~
// WERROR:{{.*}}warn.cpp:[[@LINE-4]]:15: error: unused variable 'unused' [-Werror,-Wunused-variable]
// WERROR-NEXT:{{ +}}[[@LINE-5]] |   spawn { int unused = 1; }
// WERROR-NEXT:      |               ^~~~~~
}
// WARN:1 warning generated.
// WERROR:1 error generated.

//--- notes.cpp
#include <cprime/cprime.hpp>
void take(int);
template <class T> void twice(T t) { take(t); }
void f() {
  defer { int d = 1; int d = 2; }
// CHECK:{{.*}}notes.cpp:[[@LINE-1]]:26: error: redefinition of 'd'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   defer { int d = 1; int d = 2; }
// CHECK-NEXT:      |                          ^
// CHECK-NEXT:{{.*}}notes.cpp:[[@LINE-4]]:15: note: previous definition is here
// CHECK-NEXT:{{ +}}[[@LINE-5]] |   defer { int d = 1; int d = 2; }
// CHECK-NEXT:      |               ^
  parallel { spawn { twice("s"); } }
// CHECK:{{.*}}notes.cpp:3:38: error: no matching function for call to 'take'
// CHECK:{{.*}}notes.cpp:[[@LINE-2]]:22: note: in instantiation of function template specialization 'twice<const char *>' requested here
// CHECK-NEXT:{{ +}}[[@LINE-3]] |   parallel { spawn { twice("s"); } }
// CHECK-NEXT:      |                      ^
}
// CHECK:2 errors generated.
