// A lambda after `defer` that is not called would defer nothing: the plugin
// says so at the lambda's end.
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#pragma cprime

void work();

void f() {
  defer [&] { work(); }; // expected-error {{a lambda after 'defer' must be called; write 'defer { ... }' or 'defer [caps] { ... }();'}}
// CHECK: lambda.cpp:[[@LINE-1]]:23: error: a lambda after 'defer' must be called
}
