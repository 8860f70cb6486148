// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#pragma cprime

void f() {
  select {} // expected-error {{'select' needs at least one arm}}
// CHECK: no-arms.cpp:[[@LINE-1]]:3: error: 'select' needs at least one arm
}
