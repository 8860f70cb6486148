// An enabled header is rewritten where it is included: its errors are at the
// header's own lines and columns, with its lines as written and the include
// stack of the including file.
// RUN: split-file %s %t
// RUN: not %clangxx_cprime -fsyntax-only -fno-color-diagnostics -I%t %t/main.cpp 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines %t/worker.h
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify -I%t %t/verify.cpp

//--- worker.h
#pragma once
#include <cprime/cprime.hpp>
inline void take(int) {}
inline void start(cprime::channel<int> ch) {
  spawn { take("h"); (void)ch; }; int after = "x";
}
// CHECK:In file included from {{.*}}main.cpp:2:
// CHECK-NEXT:{{.*}}worker.h:5:11: error: no matching function for call to 'take'
// CHECK-NEXT:    5 |   spawn { take("h"); (void)ch; }; int after = "x";
// CHECK-NEXT:      |           ^~~~
// CHECK-NEXT:{{.*}}worker.h:3:13: note: candidate function not viable: no known conversion from 'const char[2]' to 'int' for 1st argument
// CHECK:{{.*}}worker.h:5:39: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:    5 |   spawn { take("h"); (void)ch; }; int after = "x";
// CHECK-NEXT:      |                                       ^       ~~~
// CHECK:{{.*}}main.cpp:5:15: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:    5 |   spawn { int e = "m"; }
// CHECK-NEXT:      |               ^   ~~~
// CHECK-NEXT:3 errors generated.

//--- main.cpp
#pragma cprime
#include "worker.h"

void f() {
  spawn { int e = "m"; }
}

//--- checked.h
// -verify matches a diagnostic to its directive by file and line: both are
// the header's, though Clang parsed its rewritten text.
#pragma once
#include <cprime/cprime.hpp>
inline void take2(int) {} // expected-note 2 {{candidate function not viable}}
inline void go() {
  spawn { take2("h"); }; take2("i"); // expected-error 2 {{no matching function for call to 'take2'}}
}

//--- verify.cpp
#pragma cprime
#include "checked.h"
void g() {
  parallel { int e = "m"; } // expected-error {{cannot initialize a variable of type 'int'}}
}
