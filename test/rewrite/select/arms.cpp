// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Every arm kind; operands move to the `select {` line in source order, arm
// bodies stay on their lines.
#include <cprime/cprime.hpp>

void arms(cprime::channel<int> a, cprime::channel<int> b, cprime::channel<int> out, int v) {
  for (;;) {
    select {
// CHECK: {{^}}[[@LINE-1]]:    { ::cprime::typed_case __cprime_sel1_0(a.recv()); ::cprime::select_case __cprime_sel1_1(b.recv()); ::cprime::select_case __cprime_sel1_2(a.recv()); ::cprime::select_case __cprime_sel1_3(out.send(v)); ::cprime::select_case __cprime_sel1_4(out.send(v + 1)); ::cprime::select_case __cprime_sel1_5(cprime::after(1s)); ::cprime::select_case __cprime_sel1_6(b.recv()); const int __cprime_sel1 = ::cprime::select(::cprime::with_default, __cprime_sel1_0, __cprime_sel1_1, __cprime_sel1_2, __cprime_sel1_3, __cprime_sel1_4, __cprime_sel1_5, __cprime_sel1_6);
      int x = a.recv() => { use(x); }
// CHECK: {{^}}[[@LINE-1]]:      if (__cprime_sel1 == 0) { int x = __cprime_sel1_0.take(); { use(x); } }
      auto s = b.recv() => use(s);
// CHECK: {{^}}[[@LINE-1]]:      else if (__cprime_sel1 == 1) { auto s = __cprime_sel1_1.take(); use(s); }
      msg = a.recv() => handle(msg);
// CHECK: {{^}}[[@LINE-1]]:      else if (__cprime_sel1 == 2) { auto msg = __cprime_sel1_2.take(); handle(msg); }
      auto r = out.send(v) => { if (r.is_err()) break; }
// CHECK: {{^}}[[@LINE-1]]:      else if (__cprime_sel1 == 3) { auto r = __cprime_sel1_3.take(); { if (r.is_err()) break; } }
      out.send(v + 1) => {}
// CHECK: {{^}}[[@LINE-1]]:      else if (__cprime_sel1 == 4) { {} }
      _ = cprime::after(1s) => { late(); }
// CHECK: {{^}}[[@LINE-1]]:      else if (__cprime_sel1 == 5) { { late(); } }
      _ = b.recv() => continue;
// CHECK: {{^}}[[@LINE-1]]:      else if (__cprime_sel1 == 6) { continue; }
      default => { idle(); }
// CHECK: {{^}}[[@LINE-1]]:      else { { idle(); } }
    }
// CHECK: {{^}}[[@LINE-1]]:    }
  }
}

void typed(cprime::channel<Job> jobs) {
  select {
// CHECK: {{^}}[[@LINE-1]]:  { ::cprime::typed_case __cprime_sel2_0(jobs.recv()); ::cprime::select_case __cprime_sel2_1(jobs.recv()); ::cprime::select_case __cprime_sel2_2(jobs.recv()); ::cprime::select_case __cprime_sel2_3(jobs.recv()); const int __cprime_sel2 = ::cprime::select(::cprime::no_default, __cprime_sel2_0, __cprime_sel2_1, __cprime_sel2_2, __cprime_sel2_3);
    const Job& j = jobs.recv() => run(j);
    const auto& k = jobs.recv() => run(*k);
    std::optional<Job> o = jobs.recv() => run(*o);
    jobs.recv() => return;
// CHECK: {{^}}[[@LINE-1]]:    else if (__cprime_sel2 == 3) { return; }
  }
}
