// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
#include <cprime/cprime.hpp>

void f(cprime::channel<int> ch) {
  timeout (100ms) { slow(); } else { puts("late"); }
// CHECK: {{^}}[[@LINE-1]]:  if (::cprime::timeout (100ms, [&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) { slow(); })) { puts("late"); }
  timeout (1s) {
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::timeout (1s, [&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) {
    auto v = co_await ch.recv();
// CHECK: {{^}}[[@LINE-1]]:    auto v = ::cprime::await(ch.recv());
  }
// CHECK: {{^}}[[@LINE-1]]:  });
  timeout (deadline(2)) {
    spawn work();
  } else {
// CHECK: {{^}}[[@LINE-1]]:  })) {
    puts("late");
  }
  timeout(3);
// CHECK: {{^}}[[@LINE-1]]:  timeout(3);
  if (timeout (x) > 2) return;
// CHECK: {{^}}[[@LINE-1]]:  if (timeout (x) > 2) return;
}
