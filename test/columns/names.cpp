// The file name and line a diagnostic names are the ones Clang would give
// the user's text: through #line, for a file read from stdin, and for a
// file named with a relative path.
// RUN: split-file %s %t
// RUN: not %clangxx_cprime -fsyntax-only -fno-color-diagnostics %t/line.cpp 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines --check-prefix=LINE %s
// RUN: not %clangxx_cprime -fsyntax-only -fno-color-diagnostics -x c++ - < %t/stdin.cpp 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines --check-prefix=STDIN %s
// RUN: cd %t && not %clangxx_cprime -fsyntax-only -fno-color-diagnostics ./stdin.cpp 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines --check-prefix=RELATIVE %s

// LINE:worker.y:101:27: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// LINE-NEXT:  101 |   spawn { (void)1; }; int a = "x";
// LINE-NEXT:      |                           ^   ~~~
// STDIN:<stdin>:3:27: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// STDIN-NEXT:    3 |   spawn { (void)1; }; int b = "x";
// STDIN-NEXT:      |                           ^   ~~~
// RELATIVE:./stdin.cpp:3:27: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'

//--- line.cpp
#include <cprime/cprime.hpp>
#line 99 "worker.y"

void f() {
  spawn { (void)1; }; int a = "x";
}
//--- stdin.cpp
#pragma cprime
void f() {
  spawn { (void)1; }; int b = "x";
}
