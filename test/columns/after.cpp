// A C++ error after a CPrime construct on the same line is reported at the
// user's line and column, and the snippet is the line as the user wrote it.
// RUN: not %clangxx_cprime -fsyntax-only -fno-color-diagnostics %s 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines %s
#include <cprime/cprime.hpp>

#include <chrono>

using namespace std::chrono_literals;

void work(int);

void f(cprime::channel<int> ch, cprime::channel<int> out) {
  spawn { work(1); } int a1 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:26: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn { work(1); } int a1 = "x";
// CHECK-NEXT:      |                          ^    ~~~
  spawn work(2); int a2 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:22: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn work(2); int a2 = "x";
// CHECK-NEXT:      |                      ^    ~~~
  spawn [&] { work(3); }; int a3 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:31: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn [&] { work(3); }; int a3 = "x";
// CHECK-NEXT:      |                               ^    ~~~
  spawn with(cprime::stack_size(1 << 16)) { work(4); } int a4 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:60: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn with(cprime::stack_size(1 << 16)) { work(4); } int a4 = "x";
// CHECK-NEXT:      |                                                            ^    ~~~
  spawn blocking work(5); int a5 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:31: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn blocking work(5); int a5 = "x";
// CHECK-NEXT:      |                               ^    ~~~
  auto t6 = spawn [] { return 6; }; int a6 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:41: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   auto t6 = spawn [] { return 6; }; int a6 = "x";
// CHECK-NEXT:      |                                         ^    ~~~
  select { int v = ch.recv() => work(v); default => {} } int a7 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:62: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   select { int v = ch.recv() => work(v); default => {} } int a7 = "x";
// CHECK-NEXT:      |                                                              ^    ~~~
  select {
    auto v = ch.recv() => { (void)v; }
    out.send(1) => work(1);
    _ = cprime::after(1ms) => {}
  } int a11 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:9: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   } int a11 = "x";
// CHECK-NEXT:      |         ^     ~~~
  parallel { spawn work(12); } int a12 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:36: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   parallel { spawn work(12); } int a12 = "x";
// CHECK-NEXT:      |                                    ^     ~~~
  defer { work(13); } int a13 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:27: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   defer { work(13); } int a13 = "x";
// CHECK-NEXT:      |                           ^     ~~~
  defer work(14); int a14 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:23: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   defer work(14); int a14 = "x";
// CHECK-NEXT:      |                       ^     ~~~
  timeout (1s) { work(15); } else { work(-15); } int a15 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:54: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   timeout (1s) { work(15); } else { work(-15); } int a15 = "x";
// CHECK-NEXT:      |                                                      ^     ~~~
  timeout (1s) { work(16); } int a16 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:34: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   timeout (1s) { work(16); } int a16 = "x";
// CHECK-NEXT:      |                                  ^     ~~~
  auto r17 = co_await ch.recv(); int a17 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:38: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   auto r17 = co_await ch.recv(); int a17 = "x";
// CHECK-NEXT:      |                                      ^     ~~~
  co_await out.send(18); int a18 = "x";
// CHECK:{{.*}}after.cpp:[[@LINE-1]]:30: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   co_await out.send(18); int a18 = "x";
// CHECK-NEXT:      |                              ^     ~~~
}
