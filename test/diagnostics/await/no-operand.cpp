// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
#pragma cprime

void f() {
  co_await; // expected-error {{expected an expression after 'co_await'}}
}
