// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
#pragma cprime

void f() {
  parallel { // expected-error {{unbalanced braces in 'parallel' block}}
    spawn work();
