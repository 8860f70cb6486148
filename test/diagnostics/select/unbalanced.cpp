// RUN: split-file %s %t
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/arm.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/body.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/multiline.cpp

//--- arm.cpp
#pragma cprime
void f() {
  select { // expected-error {{unbalanced braces in 'select'; expected '}' to close it}}
    int x = a.recv() => { use(x);
  }
//--- body.cpp
#pragma cprime
void f() {
  select {
    int x = a.recv() => // expected-error {{expected a statement or '{' after '=>' in 'select' arm}}
  }
}
//--- multiline.cpp
#pragma cprime
void f() {
  select {
    _ = pick(R"(a
b)").recv() => {} // expected-error@-1 {{a 'select' arm operand cannot contain a preprocessor directive or a multi-line token}}
  }
}
