// RUN: split-file %s %t
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/not-op.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/named-channel.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/empty.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/binding.cpp

//--- not-op.cpp
#pragma cprime
void f(int a) {
  select {
    int x = a.size() => {} // expected-error {{'select' arm operand must end in '.recv()' or '.send(value)'; use '_ = expr' for a channel such as 'cprime::after(d)'}}
  }
}
//--- named-channel.cpp
#pragma cprime
void f() {
  select {
    t = cprime::after(1s) => {} // expected-error {{'select' arm operand must end in '.recv()' or '.send(value)'}}
  }
}
//--- empty.cpp
#pragma cprime
void f() {
  select {
    x = => {} // expected-error {{expected a channel operation before '=>' in 'select' arm}}
  }
}
//--- binding.cpp
#pragma cprime
void f() {
  select {
    1 = a.recv() => {} // expected-error {{expected a declaration, a name or '_' before '=' in 'select' arm}}
  }
}
