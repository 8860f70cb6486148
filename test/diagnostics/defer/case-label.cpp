// A `defer` in a `switch` body is a guard of the whole body: a later `case`
// or `default` label would jump over its initialization. The plugin says so
// at the `defer`, naming the fix, instead of Clang's "jump bypasses variable
// initialization" on rewritten text. A braced case, the last section, and
// the unbraced body of an `if` (a block of its own) are accepted.
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#pragma cprime

void work();

void f(int n, bool c) {
  switch (n) {
  case 1: defer work(); break; // expected-error {{a 'defer' in a 'switch' body before a later 'case' or 'default' label would be jumped over; give its case a block: 'case 1: { defer ...; break; }'}}
// CHECK: case-label.cpp:[[@LINE-1]]:11: error: a 'defer' in a 'switch' body
  case 2:
    work();
    defer { work(); } // expected-error {{a 'defer' in a 'switch' body before a later 'case' or 'default' label}}
    break;
  default:
    break;
  }
  switch (n) {
  case 1: { defer work(); break; }
  case 2: if (c) defer work(); break;
  case 3: for (int i = 0; i < n; ++i) defer work(); break;
  default: defer work(); break;
  }
  switch (n) {
  case 1: { switch (n) { case 2: break; } }
  }
}
