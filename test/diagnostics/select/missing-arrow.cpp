// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#include <cprime/cprime.hpp>

void f(cprime::channel<int> a) {
  select {
    int x = a.recv() { } // expected-error {{expected '=>' after 'select' arm operand}}
// CHECK: missing-arrow.cpp:[[@LINE-1]]:21: error: expected '=>' after 'select' arm operand
  }
}
