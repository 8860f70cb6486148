// Go habits typed into a select arm get an error at the token the user typed
// (not a C++ error about the lowering, nor an error far below): `case`,
// `default:`, ':' for '=>', ':=', '<-', and `co_await` before the operation.
// Each select stops at its first error; the others are still checked.
// RUN: %clangxx_cprime -fsyntax-only -ferror-limit=0 -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only -ferror-limit=0 %s 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not %cprime-rewrite %s 2>&1 >/dev/null | FileCheck %s --implicit-check-not=error:
#include <cprime/cprime.hpp>
using namespace std::chrono_literals;

#define CASE_IN_MACRO(c) select { case auto x = c.recv() => {} } // expected-error {{'select' arms take no 'case'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:35: error: 'select' arms take no 'case': write 'auto x = ch.recv() => ...', 'ch.send(v) => ...' or '_ = cprime::after(d) => ...'

void late();

void f(cprime::channel<int> ch, cprime::channel<int> out, int sum) {
  select {
    case auto x = ch.recv() => sum += *x; // expected-error {{'select' arms take no 'case': write 'auto x = ch.recv() => ...', 'ch.send(v) => ...' or '_ = cprime::after(d) => ...'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:5: error: 'select' arms take no 'case'
  }
  select {
    auto x = ch.recv() => sum += *x;
    case _ = cprime::after(1s) => late(); // expected-error {{'select' arms take no 'case'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:5: error: 'select' arms take no 'case'
  }
  select {
    case out.send(1) => {} // expected-error {{'select' arms take no 'case'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:5: error: 'select' arms take no 'case'
  }
  select {
      case int v = ch.recv() => sum += v; // expected-error {{'select' arms take no 'case'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:7: error: 'select' arms take no 'case'
  }
  select {
    case v := <-ch: sum += v; // expected-error {{'select' arms take no 'case'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:5: error: 'select' arms take no 'case'
  }
  select {
    case ch.recv() => {} // expected-error {{'select' arms take no 'case'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:5: error: 'select' arms take no 'case'
  }
  CASE_IN_MACRO(ch);
}

void defaults(cprime::channel<int> ch) {
  select {
    auto x = ch.recv() => {}
    default: {} // expected-error {{'default:' in 'select' is spelled 'default => ...'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:12: error: 'default:' in 'select' is spelled 'default => ...'
  }
  select {
    default : late(); // expected-error {{'default:' in 'select' is spelled 'default => ...'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:13: error: 'default:' in 'select' is spelled 'default => ...'
    auto x = ch.recv() => {}
  }
}

void colons(cprime::channel<int> ch, cprime::channel<int> out) {
  select {
    auto x = ch.recv(): {} // expected-error {{a 'select' arm's body follows '=>', not ':'; write 'auto x = ch.recv() => ...'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:23: error: a 'select' arm's body follows '=>', not ':'
    out.send(2) => {}
  }
  select {
    out.send(1): late(); // expected-error {{a 'select' arm's body follows '=>', not ':'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:16: error: a 'select' arm's body follows '=>', not ':'
  }
  select {
    _ = cprime::after(1s) : {} // expected-error {{a 'select' arm's body follows '=>', not ':'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:27: error: a 'select' arm's body follows '=>', not ':'
  }
  select {
    v := ch.recv() => {} // expected-error {{Go's ':=' in a 'select' arm is spelled '=' after a declaration or a name: write 'auto x = ch.recv() => ...'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:7: error: Go's ':=' in a 'select' arm is spelled '='
  }
}

void arrows(cprime::channel<int> ch, cprime::channel<int> out) {
  select {
    auto v = <-ch => {} // expected-error {{a 'select' arm receives with 'ch.recv()' and sends with 'ch.send(v)', not '<-': write 'auto x = ch.recv() => ...' or 'ch.send(v) => ...'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:14: error: a 'select' arm receives with 'ch.recv()' and sends with 'ch.send(v)', not '<-'
  }
  select {
    <-ch => {} // expected-error {{not '<-'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:5: error: a 'select' arm receives with 'ch.recv()'
  }
  select {
    _ = <-ch => {} // expected-error {{not '<-'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:9: error: a 'select' arm receives with 'ch.recv()'
  }
  select {
    out <- 1 => {} // expected-error {{not '<-'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:9: error: a 'select' arm receives with 'ch.recv()'
  }
}

void awaits(cprime::channel<int> ch, cprime::channel<int> out) {
  select {
    auto x = co_await ch.recv() => {} // expected-error {{a 'select' arm's operand is the operation itself, which 'select' waits on: drop 'co_await' (write 'auto x = ch.recv() => ...')}}
// CHECK: go-habits.cpp:[[@LINE-1]]:14: error: a 'select' arm's operand is the operation itself, which 'select' waits on: drop 'co_await'
  }
  select {
    int x = co_await ch.recv() => {} // expected-error {{drop 'co_await'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:13: error: a 'select' arm's operand is the operation itself
  }
  select {
    x = co_await ch.recv() => {} // expected-error {{drop 'co_await'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:9: error: a 'select' arm's operand is the operation itself
  }
  select {
    co_await out.send(1) => {} // expected-error {{drop 'co_await'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:5: error: a 'select' arm's operand is the operation itself
  }
  select {
    auto r = co_await out.send(1) => {} // expected-error {{drop 'co_await'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:14: error: a 'select' arm's operand is the operation itself
  }
  select {
    _ = co_await cprime::after(1s) => {} // expected-error {{drop 'co_await'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:9: error: a 'select' arm's operand is the operation itself
  }
}

// The same errors after a label, and in a coroutine (where 'co_await' is
// native C++20 and is not lowered).
cprime::task<int> labelled(cprime::channel<int> ch) {
again:
  select {
    case auto x = ch.recv() => co_return *x; // expected-error {{'select' arms take no 'case'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:5: error: 'select' arms take no 'case'
  }
  select {
    auto x = co_await ch.recv() => goto again; // expected-error {{drop 'co_await'}}
// CHECK: go-habits.cpp:[[@LINE-1]]:14: error: a 'select' arm's operand is the operation itself
  }
  co_return 0;
}
