// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Every statement start a keyword may stand at: after `case …:`,
// `default:` and goto labels, after `else`/`do`, as the body of an
// if/for/while without braces, after a `;` or `{` on the same line, after an
// attribute. And the colons that end no label: `?:`, bit-fields, base
// clauses, constructor initializers, access specifiers.
#include <cprime/cprime.hpp>

void labels(int n, cprime::channel<int> c, int *p) {
  switch (n) {
  case 1: spawn work(1); break;
// CHECK: {{^}}[[@LINE-1]]:  case 1: ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1); break;
  case 2: { defer work(2); }
// CHECK: {{^}}[[@LINE-1]]:  case 2: { auto __cprime_defer1 = ::cprime::defer([&]() { work(2); }); }
  case A::B: spawn work(3);
// CHECK: {{^}}[[@LINE-1]]:  case A::B: ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 3);
  case (4): spawn { work(4); } break;
// CHECK: {{^}}[[@LINE-1]]:  case (4): ::cprime::spawn_detached(::cprime::here(), [=]() mutable { work(4); }); break;
  case 'x': select { int v = c.recv() => use(v); } break;
// CHECK: {{^}}[[@LINE-1]]:  case 'x': { { ::cprime::typed_case __cprime_sel1_0(c.recv()); if (false) { __cprime_sel1_l0: int v = __cprime_sel1_0.take(); use(v); goto __cprime_sel1_end; } switch (::cprime::select(::cprime::no_default, __cprime_sel1_0)) { case 0: goto __cprime_sel1_l0; } } __cprime_sel1_end:; } break;
  case 5: parallel { spawn work(5); } break;
// CHECK: {{^}}[[@LINE-1]]:  case 5: ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[}}maybe_unused]] ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 5); }); break;
  case 6: timeout (1s) { work(6); } break;
// CHECK: {{^}}[[@LINE-1]]:  case 6: ::cprime::timeout (1s, [&](CPRIME_DETAIL_NOSHADOW({{\[\[}}maybe_unused]] ::cprime::scope& __cprime_scope)) { work(6); }); break;
  case 7: case 8: spawn work(7);
// CHECK: {{^}}[[@LINE-1]]:  case 7: case 8: ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 7);
  default: spawn work(0);
// CHECK: {{^}}[[@LINE-1]]:  default: ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 0);
  }
  again: spawn work(1);
// CHECK: {{^}}[[@LINE-1]]:  again: ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1);
  retry: defer ++n;
// CHECK: {{^}}[[@LINE-1]]:  retry: auto __cprime_defer2 = ::cprime::defer([&]() { ++n; });
  outer: inner: select { c.send(1) => {} }
// CHECK: {{^}}[[@LINE-1]]:  outer: inner: { {::cprime::select_case __cprime_sel2_0(c.send(1)); if (false) { __cprime_sel2_l0: {} goto __cprime_sel2_end; } switch (::cprime::select(::cprime::no_default, __cprime_sel2_0)) { case 0: goto __cprime_sel2_l0; } } __cprime_sel2_end:; }
  if (n) spawn work(1); else spawn work(2);
// CHECK: {{^}}[[@LINE-1]]:  if (n) ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1); else ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 2);
  if (n) defer work(1);
// CHECK: {{^}}[[@LINE-1]]:  if (n) auto __cprime_defer3 = ::cprime::defer([&]() { work(1); });
  if constexpr (true) spawn work(1);
// CHECK: {{^}}[[@LINE-1]]:  if constexpr (true) ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1);
  for (;;) select { default => break; }
// CHECK: {{^}}[[@LINE-1]]:  for (;;) { { if (false) { __cprime_sel3_ld: break; goto __cprime_sel3_end; } switch (::cprime::select(::cprime::with_default)) { default: goto __cprime_sel3_ld; } } __cprime_sel3_end:; }
  while (n--) timeout (1s) { work(1); }
// CHECK: {{^}}[[@LINE-1]]:  while (n--) ::cprime::timeout (1s, [&](CPRIME_DETAIL_NOSHADOW({{\[\[}}maybe_unused]] ::cprime::scope& __cprime_scope)) { work(1); });
  do spawn work(1); while (0);
// CHECK: {{^}}[[@LINE-1]]:  do ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1); while (0);
  do defer work(2); while (0);
// CHECK: {{^}}[[@LINE-1]]:  do auto __cprime_defer4 = ::cprime::defer([&]() { work(2); }); while (0);
  n = 1; spawn work(1); defer work(2);
// CHECK: {{^}}[[@LINE-1]]:  n = 1; ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1); auto __cprime_defer5 = ::cprime::defer([&]() { work(2); });
  { spawn work(1); } { parallel { spawn work(1); } }
// CHECK: {{^}}[[@LINE-1]]:  { ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1); } { ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[}}maybe_unused]] ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1); }); }
  [[likely]] spawn work(1);
// CHECK: {{^}}[[@LINE-1]]:  {{\[\[}}likely]] ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1);
  if (n) [[unlikely]] spawn work(1);
// CHECK: {{^}}[[@LINE-1]]:  if (n) {{\[\[}}unlikely]] ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, 1);
  goto again; goto retry; goto outer; goto inner;
  // `defer` under the last label: no later label jumps over its guard.
  switch (n) {
  case 9: defer work(9);
// CHECK: {{^}}[[@LINE-1]]:  case 9: auto __cprime_defer6 = ::cprime::defer([&]() { work(9); });
  }
}

struct Bits : Base {
  int spawn : 3;
// CHECK: {{^}}[[@LINE-1]]:  int spawn : 3;
  int defer : 4;
// CHECK: {{^}}[[@LINE-1]]:  int defer : 4;
public:
  Bits() : Base(), spawn(1), defer(2) {}
// CHECK: {{^}}[[@LINE-1]]:  Bits() : Base(), spawn(1), defer(2) {}
  int pick(bool b, int x) { return b ? x : spawn; }
// CHECK: {{^}}[[@LINE-1]]:  int pick(bool b, int x) { return b ? x : spawn; }
};
