// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Inside parallel/timeout, spawn attaches to the innermost block's scope,
// also from a lambda within the block that captures by reference (`[&]`, a
// plain spawn block, a defer body), as a spawn from a macro used there does.
// Only in the block's own frame does a plain block capture by reference; a
// lambda that does not capture by reference spawns detached again.
#include <cprime/cprime.hpp>

void f(int n) {
  parallel {
    spawn work(n);
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, n);
    spawn { work(n); }
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [&]() { work(n); });
    spawn [n] { work(n); }
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [n]() mutable { work(n); });
    spawn blocking slow();
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn_blocking(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return slow(::std::forward<__cprime_A>(__cprime_a)...); });
    parallel { spawn inner(); }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return inner(::std::forward<__cprime_A>(__cprime_a)...); }); });
    spawn { spawn attached(); spawn { work(n); } }
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [&]() { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return attached(::std::forward<__cprime_A>(__cprime_a)...); }); __cprime_scope.spawn(::cprime::here(), [=]() mutable { work(n); }); });
    auto fn = [&] { spawn in_lambda(); };
// CHECK: {{^}}[[@LINE-1]]:    auto fn = [&] { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return in_lambda(::std::forward<__cprime_A>(__cprime_a)...); }); };
    auto copy = [=] { spawn detached(); };
// CHECK: {{^}}[[@LINE-1]]:    auto copy = [=] { ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return detached(::std::forward<__cprime_A>(__cprime_a)...); }); };
    spawn [n] { spawn detached(); }
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [n]() mutable { ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return detached(::std::forward<__cprime_A>(__cprime_a)...); }); });
    if (n) { spawn nested_block(); }
// CHECK: {{^}}[[@LINE-1]]:    if (n) { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return nested_block(::std::forward<__cprime_A>(__cprime_a)...); }); }
  }
  timeout (1s) { spawn late(); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::timeout (1s, [&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return late(::std::forward<__cprime_A>(__cprime_a)...); }); });
}
