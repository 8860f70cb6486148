// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// A spawn block spanning lines keeps every line; the tail follows the user's
// closing brace.
#include <cprime/cprime.hpp>

void f(int n) {
  spawn {
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=]() mutable {
    work(n);
// CHECK: {{^}}[[@LINE-1]]:    work(n);
  }
// CHECK: {{^}}[[@LINE-1]]:  });
  spawn process(n,
                n + 1);
// CHECK: {{^}}[[@LINE-2]]:  ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return process(::std::forward<__cprime_A>(__cprime_a)...); }, n,
// CHECK: {{^}}[[@LINE-2]]:                n + 1);
}
