// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Directly inside parallel/timeout, spawn attaches to the innermost block's
// scope and a plain block captures by reference; inside a nested lambda or
// spawn block it is a detached spawn again.
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
    spawn { spawn detached(); }
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [&]() { ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return detached(::std::forward<__cprime_A>(__cprime_a)...); }); });
    auto fn = [&] { spawn in_lambda(); };
// CHECK: {{^}}[[@LINE-1]]:    auto fn = [&] { ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return in_lambda(::std::forward<__cprime_A>(__cprime_a)...); }); };
    if (n) { spawn nested_block(); }
// CHECK: {{^}}[[@LINE-1]]:    if (n) { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return nested_block(::std::forward<__cprime_A>(__cprime_a)...); }); }
  }
  timeout (1s) { spawn late(); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::timeout (1s, [&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return late(::std::forward<__cprime_A>(__cprime_a)...); }); });
}
