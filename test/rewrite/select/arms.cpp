// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Every arm kind; each operand and body stays on its arm's line, the select
// call comes at the closing `}`.
#include <cprime/cprime.hpp>

void arms(cprime::channel<int> a, cprime::channel<int> b, cprime::channel<int> out, int v) {
  for (;;) {
    select {
// CHECK: {{^}}[[@LINE-1]]:    { {
      int x = a.recv() => { use(x); }
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::typed_case __cprime_sel1_0(a.recv()); if (false) { __cprime_sel1_l0: int x = __cprime_sel1_0.take(); { use(x); } goto __cprime_sel1_end; }
      auto s = b.recv() => use(s);
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_1(b.recv()); if (false) { __cprime_sel1_l1: auto s = __cprime_sel1_1.take(); use(s); goto __cprime_sel1_end; }
      msg = a.recv() => handle(msg);
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_2(a.recv()); if (false) { __cprime_sel1_l2: auto msg = __cprime_sel1_2.take(); handle(msg); goto __cprime_sel1_end; }
      auto r = out.send(v) => { if (r.is_err()) break; }
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_3(out.send(v)); if (false) { __cprime_sel1_l3: auto r = __cprime_sel1_3.take(); { if (r.is_err()) break; } goto __cprime_sel1_end; }
      out.send(v + 1) => {}
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_4(out.send(v + 1)); if (false) { __cprime_sel1_l4: {} goto __cprime_sel1_end; }
      _ = cprime::after(1s) => { late(); }
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_5(::cprime::select_after(1s)); if (false) { __cprime_sel1_l5: { late(); } goto __cprime_sel1_end; }
      _ = b.recv() => continue;
// CHECK: {{^}}[[@LINE-1]]:      ::cprime::select_case __cprime_sel1_6(b.recv()); if (false) { __cprime_sel1_l6: continue; goto __cprime_sel1_end; }
      default => { idle(); }
// CHECK: {{^}}[[@LINE-1]]:      if (false) { __cprime_sel1_ld: { idle(); } goto __cprime_sel1_end; }
    }
// CHECK: {{^}}[[@LINE-1]]:    switch (::cprime::select(::cprime::with_default, __cprime_sel1_0, __cprime_sel1_1, __cprime_sel1_2, __cprime_sel1_3, __cprime_sel1_4, __cprime_sel1_5, __cprime_sel1_6)) { case 0: goto __cprime_sel1_l0; case 1: goto __cprime_sel1_l1; case 2: goto __cprime_sel1_l2; case 3: goto __cprime_sel1_l3; case 4: goto __cprime_sel1_l4; case 5: goto __cprime_sel1_l5; case 6: goto __cprime_sel1_l6; default: goto __cprime_sel1_ld; } } __cprime_sel1_end:; }
  }
}

void typed(cprime::channel<Job> jobs) {
  select {
// CHECK: {{^}}[[@LINE-1]]:  { {
    const Job& j = jobs.recv() => run(j);
    const auto& k = jobs.recv() => run(*k);
    std::optional<Job> o = jobs.recv() => run(*o);
    jobs.recv() => return;
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel2_3(jobs.recv()); if (false) { __cprime_sel2_l3: return; goto __cprime_sel2_end; }
  }
}
