// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Directly inside parallel/timeout, spawn attaches to the innermost block's
// scope and a plain block captures by reference; inside a nested lambda or
// spawn block it is a detached spawn again.
#include <cprime/cprime.hpp>

void f(int n) {
  parallel {
    spawn work(n);
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), work, n);
    spawn { work(n); }
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [&]() { work(n); });
    spawn [n] { work(n); }
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [n]() mutable { work(n); });
    spawn blocking slow();
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn_blocking(::cprime::here(), slow);
    parallel { spawn inner(); }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::parallel([&]({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope) { __cprime_scope.spawn(::cprime::here(), inner); });
    spawn { spawn detached(); }
// CHECK: {{^}}[[@LINE-1]]:    __cprime_scope.spawn(::cprime::here(), [&]() { ::cprime::spawn_detached(::cprime::here(), detached); });
    auto fn = [&] { spawn in_lambda(); };
// CHECK: {{^}}[[@LINE-1]]:    auto fn = [&] { ::cprime::spawn_detached(::cprime::here(), in_lambda); };
    if (n) { spawn nested_block(); }
// CHECK: {{^}}[[@LINE-1]]:    if (n) { __cprime_scope.spawn(::cprime::here(), nested_block); }
  }
  timeout (1s) { spawn late(); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::timeout (1s, [&]({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope) { __cprime_scope.spawn(::cprime::here(), late); });
}
