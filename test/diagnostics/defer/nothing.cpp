// RUN: split-file %s %t
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/semi.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/brace.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/unbalanced.cpp

//--- semi.cpp
#pragma cprime
void f() {
  defer; // expected-error {{expected a statement or '{' after 'defer'}}
}
//--- brace.cpp
#pragma cprime
void f() {
  defer // expected-error {{expected a statement or '{' after 'defer'}}
}
//--- unbalanced.cpp
#pragma cprime
void f() {
  defer close(fd; // expected-error {{unbalanced brackets in 'defer' statement}}
}
