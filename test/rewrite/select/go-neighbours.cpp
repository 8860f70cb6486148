// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// RUN: %clangxx_cprime -fsyntax-only %s
// Spellings next to the Go habits that test/diagnostics/select/go-habits.cpp
// rejects, which are C++ and stay accepted: a ':' of a conditional, a '<-'
// inside a template argument, a parenthesized 'co_await', a 'case'/'default:'
// label of a switch around the select or in an arm body, a ':' in an arm body.
#include <cprime/cprime.hpp>

template <int N> cprime::channel<int> pick();

void f(cprime::channel<int> a, cprime::channel<int> b, bool c, int k,
       cprime::channel<cprime::channel<int>> chs) {
  switch (k) {
  case 1:
// CHECK: {{^}}[[@LINE-1]]:  case 1:
    select {
// CHECK: {{^}}[[@LINE-1]]:    { {
      _ = c ? a : b => {}
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_0(c ? a : b); if (false) { __cprime_sel1_l0: {} goto __cprime_sel1_end; }
      auto y = c ? a.recv() : b.recv() => k = y ? 1 : 2;
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_1(c ? a.recv() : b.recv()); if (false) { __cprime_sel1_l1: auto y = __cprime_sel1_1.take(); k = y ? 1 : 2; goto __cprime_sel1_end; }
      int z = pick<-1>().recv() => {}
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::typed_case __cprime_sel1_2(pick<-1>().recv()); if (false) { __cprime_sel1_l2: int z = __cprime_sel1_2.take(); {} goto __cprime_sel1_end; }
      _ = (co_await chs.recv()).value() => switch (k) { case 2: break; }
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_3((::cprime::await(chs.recv())).value()); if (false) { __cprime_sel1_l3: switch (k) { case 2: break; } goto __cprime_sel1_end; }
      default => break;
// CHECK: {{^}}[[@LINE-1]]:      if (false) { __cprime_sel1_ld: break; goto __cprime_sel1_end; }
    }
// CHECK: {{^}}[[@LINE-1]]:    switch (::cprime::select(::cprime::with_default, __cprime_sel1_0, __cprime_sel1_1, __cprime_sel1_2, __cprime_sel1_3)) { case 0: goto __cprime_sel1_l0; case 1: goto __cprime_sel1_l1; case 2: goto __cprime_sel1_l2; case 3: goto __cprime_sel1_l3; default: goto __cprime_sel1_ld; } } __cprime_sel1_end:; }
    break;
// CHECK: {{^}}[[@LINE-1]]:    break;
  default:
    break;
  }
}

