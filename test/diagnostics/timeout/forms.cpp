// `timeout` without parentheses around its duration, or with a statement
// where its block belongs, gets the plugin's message naming the form at the
// user's line and column. A type or function named timeout stays a name.
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#pragma cprime

void work();

void f(int d) {
  timeout 5 { work(); } // expected-error {{expected a parenthesized duration after 'timeout'; write 'timeout (d) { ... }'}}
// CHECK: forms.cpp:[[@LINE-1]]:11: error: expected a parenthesized duration after 'timeout'
  timeout 100ms { work(); } // expected-error {{expected a parenthesized duration after 'timeout'}}
// CHECK: forms.cpp:[[@LINE-1]]:11: error: expected a parenthesized duration after 'timeout'
  timeout d { work(); } // expected-error {{expected a parenthesized duration after 'timeout'}}
// CHECK: forms.cpp:[[@LINE-1]]:11: error: expected a parenthesized duration after 'timeout'
  timeout std::chrono::seconds(1) { work(); } // expected-error {{expected a parenthesized duration after 'timeout'}}
// CHECK: forms.cpp:[[@LINE-1]]:11: error: expected a parenthesized duration after 'timeout'
  timeout (d) work(); // expected-error {{expected '{' after 'timeout' duration; write 'timeout (d) { ... }'}}
// CHECK: forms.cpp:[[@LINE-1]]:15: error: expected '{' after 'timeout' duration
  timeout (d) return; // expected-error {{expected '{' after 'timeout' duration}}
// CHECK: forms.cpp:[[@LINE-1]]:15: error: expected '{' after 'timeout' duration
}

struct timeout { int v; };
int timeout_of(int);
void names(int x) {
  timeout t{5};
  timeout u = {x};
  (void)t; (void)u;
}
