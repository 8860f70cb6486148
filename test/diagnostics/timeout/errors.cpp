// RUN: split-file %s %t
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/no-duration.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/empty-duration.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/else.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/no-body.cpp

//--- no-duration.cpp
#pragma cprime
void f() {
  timeout { work(); } // expected-error {{expected a parenthesized duration after 'timeout'}}
}
//--- empty-duration.cpp
#pragma cprime
void f() {
  timeout () { work(); } // expected-error {{expected a parenthesized duration after 'timeout'}}
}
//--- else.cpp
#pragma cprime
void f() {
  timeout (1s) { work(); } else late(); // expected-error {{expected '{' after 'else' of 'timeout'}}
}
//--- no-body.cpp
#pragma cprime
void f() {
  timeout (1s) { work(); // expected-error {{expected '{' after 'timeout' duration}}
