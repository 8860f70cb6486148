// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
#pragma cprime

void f() {
  select {
    default => {}
    default => {} // expected-error {{'select' has more than one 'default' arm}}
  }
}
