// A C++ error inside a CPrime construct's body or operand is reported at the
// user's line and column, and the snippet is the line as the user wrote it.
// RUN: not %clangxx_cprime -fsyntax-only -ferror-limit=0 -fno-color-diagnostics %s 2>&1 \
// RUN:   | FileCheck --strict-whitespace --match-full-lines %s
#include <cprime/cprime.hpp>

#include <chrono>

using namespace std::chrono_literals;

void work(int);
struct Server {
  void handle(int);
};

void f(cprime::channel<int> ch, cprime::channel<int> out, Server s) {
  spawn { int e1 = "x"; }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:15: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn { int e1 = "x"; }
// CHECK-NEXT:      |               ^    ~~~
  spawn [&] { int e2 = "x"; };
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:19: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn [&] { int e2 = "x"; };
// CHECK-NEXT:      |                   ^    ~~~
  spawn [=]() mutable { int e3 = "x"; }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:29: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn [=]() mutable { int e3 = "x"; }
// CHECK-NEXT:      |                             ^    ~~~
  spawn work(missing_a);
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:14: error: use of undeclared identifier 'missing_a'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn work(missing_a);
// CHECK-NEXT:      |              ^
  spawn s.handle(missing_b);
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:18: error: use of undeclared identifier 'missing_b'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn s.handle(missing_b);
// CHECK-NEXT:      |                  ^
  spawn with(cprime::stack_size(missing_c)) work(1);
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:33: error: use of undeclared identifier 'missing_c'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn with(cprime::stack_size(missing_c)) work(1);
// CHECK-NEXT:      |                                 ^
  spawn with(cprime::stack_size(1 << 16)) { int e4 = "x"; }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:49: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn with(cprime::stack_size(1 << 16)) { int e4 = "x"; }
// CHECK-NEXT:      |                                                 ^    ~~~
  spawn blocking work(missing_d);
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:23: error: use of undeclared identifier 'missing_d'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   spawn blocking work(missing_d);
// CHECK-NEXT:      |                       ^
  auto t = spawn [] { int e5 = "x"; return 0; };
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:27: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   auto t = spawn [] { int e5 = "x"; return 0; };
// CHECK-NEXT:      |                           ^    ~~~
  select {
    int v = ch.recv() => { int e6 = "x"; }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:32: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |     int v = ch.recv() => { int e6 = "x"; }
// CHECK-NEXT:      |                                ^    ~~~
    auto w = missing_e.recv() => {}
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:14: error: use of undeclared identifier 'missing_e'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |     auto w = missing_e.recv() => {}
// CHECK-NEXT:      |              ^
    out.send(missing_f) => {}
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:14: error: use of undeclared identifier 'missing_f'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |     out.send(missing_f) => {}
// CHECK-NEXT:      |              ^
    _ = cprime::after(missing_g) => {}
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:23: error: use of undeclared identifier 'missing_g'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |     _ = cprime::after(missing_g) => {}
// CHECK-NEXT:      |                       ^
    x = ch.recv() => work(missing_h);
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:27: error: use of undeclared identifier 'missing_h'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |     x = ch.recv() => work(missing_h);
// CHECK-NEXT:      |                           ^
    default => { int e7 = "x"; }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:22: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |     default => { int e7 = "x"; }
// CHECK-NEXT:      |                      ^    ~~~
  }
  parallel { int e8 = "x"; }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:18: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   parallel { int e8 = "x"; }
// CHECK-NEXT:      |                  ^    ~~~
  parallel { spawn { int e9 = "x"; } }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:26: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   parallel { spawn { int e9 = "x"; } }
// CHECK-NEXT:      |                          ^    ~~~
  defer { int e10 = "x"; }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:15: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   defer { int e10 = "x"; }
// CHECK-NEXT:      |               ^     ~~~
  defer work(missing_i);
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:14: error: use of undeclared identifier 'missing_i'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   defer work(missing_i);
// CHECK-NEXT:      |              ^
  timeout (missing_j) {}
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:12: error: use of undeclared identifier 'missing_j'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   timeout (missing_j) {}
// CHECK-NEXT:      |            ^
  timeout (1s) { int e11 = "x"; } else { work(11); }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:22: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   timeout (1s) { int e11 = "x"; } else { work(11); }
// CHECK-NEXT:      |                      ^     ~~~
  timeout (1s) { work(12); } else { int e12 = "x"; }
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:41: error: cannot initialize a variable of type 'int' with an lvalue of type 'const char[2]'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   timeout (1s) { work(12); } else { int e12 = "x"; }
// CHECK-NEXT:      |                                         ^     ~~~
  co_await missing_k.recv();
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:12: error: use of undeclared identifier 'missing_k'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   co_await missing_k.recv();
// CHECK-NEXT:      |            ^
  co_await out.send(missing_l);
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:21: error: use of undeclared identifier 'missing_l'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   co_await out.send(missing_l);
// CHECK-NEXT:      |                     ^
  if (auto r = co_await ch.recv()) work(missing_m);
// CHECK:{{.*}}inside.cpp:[[@LINE-1]]:41: error: use of undeclared identifier 'missing_m'
// CHECK-NEXT:{{ +}}[[@LINE-2]] |   if (auto r = co_await ch.recv()) work(missing_m);
// CHECK-NEXT:      |                                         ^
}
