// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Complex operands, operands containing co_await, multi-line operands (their
// line breaks stay behind), nested selects, one-line selects.
#include <cprime/cprime.hpp>

void f(Out *out, cprime::channel<cprime::channel<int>> chs) {
  select {
// CHECK: {{^}}[[@LINE-1]]:  { ::cprime::select_case __cprime_sel1_0((*out)[0]->req.recv()); ::cprime::select_case __cprime_sel1_1(dummy().recv()); ::cprime::select_case __cprime_sel1_2((*::cprime::await(chs.recv())).send(compute(1, 2))); const int __cprime_sel1 = ::cprime::select(::cprime::no_default, __cprime_sel1_0, __cprime_sel1_1, __cprime_sel1_2);
    auto r = (*out)[0]->req.recv() => {
// CHECK: {{^}}[[@LINE-1]]:    if (__cprime_sel1 == 0) { auto r = __cprime_sel1_0.take(); {
      select {
// CHECK: {{^}}[[@LINE-1]]:      { ::cprime::select_case __cprime_sel2_0(out->done.recv()); const int __cprime_sel2 = ::cprime::select(::cprime::with_default, __cprime_sel2_0);
        out->done.recv() => return;
        default => {}
      }
    }
    dummy().recv() => {}
    (*co_await chs.recv()).send(compute(1,
                                        2)) => {}
// CHECK: {{^}}[[@LINE-2]]:{{ *}}
// CHECK: {{^}}[[@LINE-2]]:{{ *}}else if (__cprime_sel1 == 2) { {} }
  }
// CHECK: {{^}}[[@LINE-1]]:  }
  select { int v = chs.recv() => use(v); default => {} }
// CHECK: {{^}}[[@LINE-1]]:  { ::cprime::typed_case __cprime_sel3_0(chs.recv()); const int __cprime_sel3 = ::cprime::select(::cprime::with_default, __cprime_sel3_0); if (__cprime_sel3 == 0) { int v = __cprime_sel3_0.take(); use(v); } else { {} } }
}
