// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Complex operands, operands containing co_await, multi-line operands (their
// line breaks stay behind), nested selects, one-line selects.
#include <cprime/cprime.hpp>

void f(Out *out, cprime::channel<cprime::channel<int>> chs) {
  select {
// CHECK: {{^}}[[@LINE-1]]:  { {
    auto r = (*out)[0]->req.recv() => {
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_0((*out)[0]->req.recv()); if (false) { __cprime_sel1_l0: auto r = __cprime_sel1_0.take(); {
      select {
// CHECK: {{^}}[[@LINE-1]]:      { {
        out->done.recv() => return;
        default => {}
      }
    }
    dummy().recv() => {}
    (*co_await chs.recv()).send(compute(1,
                                        2)) => {}
// CHECK: {{^}}[[@LINE-2]]:    ::cprime::select_case __cprime_sel1_2((*::cprime::await(chs.recv())).send(compute(1,
// CHECK: {{^}}[[@LINE-2]]:                                        2))); if (false) { __cprime_sel1_l2: {} goto __cprime_sel1_end; }
  }
// CHECK: {{^}}[[@LINE-1]]:  switch (::cprime::select(::cprime::no_default, __cprime_sel1_0, __cprime_sel1_1, __cprime_sel1_2)) { case 0: goto __cprime_sel1_l0; case 1: goto __cprime_sel1_l1; case 2: goto __cprime_sel1_l2; } } __cprime_sel1_end:; }
  select { int v = chs.recv() => use(v); default => {} }
// CHECK: {{^}}[[@LINE-1]]:  { { ::cprime::typed_case __cprime_sel3_0(chs.recv()); if (false) { __cprime_sel3_l0: int v = __cprime_sel3_0.take(); use(v); goto __cprime_sel3_end; } if (false) { __cprime_sel3_ld: {} goto __cprime_sel3_end; } switch (::cprime::select(::cprime::with_default, __cprime_sel3_0)) { case 0: goto __cprime_sel3_l0; default: goto __cprime_sel3_ld; } } __cprime_sel3_end:; }
}
