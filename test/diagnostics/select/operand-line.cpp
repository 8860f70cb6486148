// A C++ error inside a select arm's operand is reported on that arm's line:
// the operand stays on its line (docs/lowering.md, "select"), and nothing
// is reported on the `select {` line.
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s --implicit-check-not=error:
#include <cprime/cprime.hpp>

struct NotAChannel {};

void f(cprime::channel<int> a, NotAChannel n, int v) {
  select {
    int x = a.recv() => { (void)x; }
    auto y = n.recv() => { (void)y; } // expected-error {{no member named 'recv' in 'NotAChannel'}}
// CHECK: operand-line.cpp:[[@LINE-1]]:{{[0-9]+}}: error: no member named 'recv' in 'NotAChannel'
    a.send(undeclared_value) => {} // expected-error {{use of undeclared identifier 'undeclared_value'}}
// CHECK: operand-line.cpp:[[@LINE-1]]:{{[0-9]+}}: error: use of undeclared identifier 'undeclared_value'
    _ = cprime::after(v.count()) => {} // expected-error {{member reference base type 'int' is not a structure or union}}
// CHECK: operand-line.cpp:[[@LINE-1]]:{{[0-9]+}}: error: member reference base type 'int'
  }
}
