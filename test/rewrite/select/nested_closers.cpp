// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Two constructs that append text after the same token: an arm body that is
// itself a spawn, parallel or timeout block ends at that block's `}`, where
// the inner construct closes its call and the arm closes its `if` block.
// The Emitter renders the innermost construct's text first ("});" then
// " }"); the other order would close the `if` inside the lambda call.
#include <cprime/cprime.hpp>

void closers(cprime::channel<int> ch, int x) {
  select {
// CHECK: {{^}}[[@LINE-1]]:  { {
    auto v = ch.recv() => spawn { x += 1; }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_0(ch.recv()); if (false) { __cprime_sel1_l0: auto v = __cprime_sel1_0.take(); ::cprime::spawn_detached(::cprime::here(), [=]() mutable { x += 1; }); goto __cprime_sel1_end; }{{$}}
    ch.send(1) => parallel { spawn { x += 2; } }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::select_case __cprime_sel1_1(ch.send(1)); if (false) { __cprime_sel1_l1: ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[}}maybe_unused]] ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [&]() { x += 2; }); }); goto __cprime_sel1_end; }{{$}}
    default => timeout (std::chrono::seconds(1)) { x += 3; }
// CHECK: {{^}}[[@LINE-1]]:    if (false) { __cprime_sel1_ld: ::cprime::timeout (std::chrono::seconds(1), [&](CPRIME_DETAIL_NOSHADOW({{\[\[}}maybe_unused]] ::cprime::scope& __cprime_scope)) { x += 3; }); goto __cprime_sel1_end; }{{$}}
  }
}
