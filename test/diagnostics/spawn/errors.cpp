// RUN: split-file %s %t
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/nothing.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/not-call.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/unbalanced.cpp
// RUN: not %clangxx_cprime -fsyntax-only %t/not-call.cpp 2>&1 | FileCheck %s

//--- nothing.cpp
#pragma cprime
void f() {
  spawn; // expected-error {{expected a call or '{' after 'spawn'}}
}
//--- not-call.cpp
#pragma cprime
void f(int x) {
  spawn x + 1; // expected-error {{'spawn' needs a function call or a block; write 'spawn f(args)' or 'spawn { ... }'}}
// CHECK: not-call.cpp:3:9: error: 'spawn' needs a function call or a block
}
//--- unbalanced.cpp
#pragma cprime
void f(int x) {
  spawn { work(x); // expected-error {{unbalanced brackets in 'spawn' operand}}
