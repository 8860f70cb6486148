// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// `default` may stand anywhere: first, in the middle, alone.
#include <cprime/cprime.hpp>

void f(cprime::channel<int> a, cprime::channel<int> b) {
  select {
    default => idle();
// CHECK: {{^}}[[@LINE-1]]:    if (false) { __cprime_sel1_ld: idle(); goto __cprime_sel1_end; }
    int x = a.recv() => use(x);
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::typed_case __cprime_sel1_0(a.recv()); if (false) { __cprime_sel1_l0: int x = __cprime_sel1_0.take(); use(x); goto __cprime_sel1_end; }
  }
  select {
    a.recv() => {}
    default => {}
// CHECK: {{^}}[[@LINE-1]]:    if (false) { __cprime_sel2_ld: {} goto __cprime_sel2_end; }
    b.recv() => {}
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel2_1(b.recv()); if (false) { __cprime_sel2_l1: {} goto __cprime_sel2_end; }
  }
  select { default => {} }
// CHECK: {{^}}[[@LINE-1]]:  { { if (false) { __cprime_sel3_ld: {} goto __cprime_sel3_end; } switch (::cprime::select(::cprime::with_default)) { default: goto __cprime_sel3_ld; } } __cprime_sel3_end:; }
}
