// Malformed spawn operands get the plugin's own message, naming the form, at
// the user's line and column (checked by FileCheck; -verify checks lines).
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#pragma cprime

void work();

void f(int x) {
  spawn 42; // expected-error {{'spawn' needs a function call or a block; write 'spawn f(args)' or 'spawn { ... }'}}
// CHECK: operands.cpp:[[@LINE-1]]:9: error: 'spawn' needs a function call or a block
  spawn "task"; // expected-error {{'spawn' needs a function call or a block}}
// CHECK: operands.cpp:[[@LINE-1]]:9: error: 'spawn' needs a function call or a block
  spawn { work(); }(); // expected-error {{the block form of 'spawn' takes no call parentheses; write 'spawn { ... }', or 'spawn [caps](params) { ... }(args)' to call a lambda}}
// CHECK: operands.cpp:[[@LINE-1]]:20: error: the block form of 'spawn' takes no call parentheses
  spawn [](int y) { work(); } // expected-error {{a lambda after 'spawn' must be called; write 'spawn [caps](params) { ... }(args)', or 'spawn [caps] { ... }' for a block}}
// CHECK: operands.cpp:[[@LINE-1]]:29: error: a lambda after 'spawn' must be called
  spawn x + 1; // expected-error {{'spawn' needs a function call or a block}}
// CHECK: operands.cpp:[[@LINE-1]]:9: error: 'spawn' needs a function call or a block
}

// Go's `go func() { … }()` spelled with a lambda is a spawn of that call:
// no diagnostic.
void go_func() {
  spawn [] { work(); }();
  spawn [&] { work(); }();
}
