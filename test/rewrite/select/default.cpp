// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// `default` may stand anywhere: first, in the middle, alone.
#include <cprime/cprime.hpp>

void f(cprime::channel<int> a, cprime::channel<int> b) {
  select {
    default => idle();
// CHECK: {{^}}[[@LINE-1]]:    if (__cprime_sel1 == -1) { idle(); }
    int x = a.recv() => use(x);
// CHECK: {{^}}[[@LINE-1]]:    else if (__cprime_sel1 == 0) { int x = __cprime_sel1_0.take(); use(x); }
  }
  select {
    a.recv() => {}
    default => {}
// CHECK: {{^}}[[@LINE-1]]:    else if (__cprime_sel2 == -1) { {} }
    b.recv() => {}
// CHECK: {{^}}[[@LINE-1]]:    else if (__cprime_sel2 == 1) { {} }
  }
  select { default => {} }
// CHECK: {{^}}[[@LINE-1]]:  { const int __cprime_sel3 = ::cprime::select(::cprime::with_default); if (__cprime_sel3 == -1) { {} } }
}
