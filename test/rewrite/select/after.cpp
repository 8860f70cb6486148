// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// An arm binding nothing whose operand is exactly `cprime::after(d)` becomes
// a deadline arm (select_after, no channel), its operand still on its own
// line; every other spelling stays a receive on after()'s channel.
#include <cprime/cprime.hpp>

void after_arms(cprime::channel<int> a, std::chrono::milliseconds d, cprime::time_channel t) {
  select {
// CHECK: {{^}}[[@LINE-1]]:  { {
    _ = cprime::after(d) => late();
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_0(::cprime::select_after(d)); if (false) { __cprime_sel1_l0: late(); goto __cprime_sel1_end; }
    _ = ::cprime::after(std::chrono::milliseconds(5) + d) => late();
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_1(::cprime::select_after(std::chrono::milliseconds(5) + d)); if (false) { __cprime_sel1_l1: late(); goto __cprime_sel1_end; }
    auto when = cprime::after(1s).recv() => use(when);
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_2(cprime::after(1s).recv()); if (false) { __cprime_sel1_l2: auto when = __cprime_sel1_2.take(); use(when); goto __cprime_sel1_end; }
    _ = cprime::after(1s).recv() => late();
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_3(cprime::after(1s).recv()); if (false) { __cprime_sel1_l3: late(); goto __cprime_sel1_end; }
    _ = t => late();
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_4(t); if (false) { __cprime_sel1_l4: late(); goto __cprime_sel1_end; }
    _ = a.recv() => late();
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_5(a.recv()); if (false) { __cprime_sel1_l5: late(); goto __cprime_sel1_end; }
  }
// CHECK: {{^}}[[@LINE-1]]:  switch (::cprime::select(::cprime::no_default, __cprime_sel1_0, __cprime_sel1_1, __cprime_sel1_2, __cprime_sel1_3, __cprime_sel1_4, __cprime_sel1_5)) { case 0: goto __cprime_sel1_l0; case 1: goto __cprime_sel1_l1; case 2: goto __cprime_sel1_l2; case 3: goto __cprime_sel1_l3; case 4: goto __cprime_sel1_l4; case 5: goto __cprime_sel1_l5; } } __cprime_sel1_end:; }
}
