// Keywords count where they appear literally in an enabled file, a #define
// body included. A spawn in a macro body cannot know the block its macro will
// be used in: it lowers to `__cprime_scope.spawn`, which C++ lookup at the
// use resolves to the innermost parallel/timeout scope, or to the unattached
// fallback outside any (docs/lowering.md, "spawn in a macro").
// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
#include <cprime/cprime.hpp>

#define GO(f) spawn f()
// CHECK: {{^}}[[@LINE-1]]:#define GO(f) __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return f(::std::forward<__cprime_A>(__cprime_a)...); })
#define TRACED(f, ...) do { trace(#f); spawn f(__VA_ARGS__); } while (0)
// CHECK: {{^}}[[@LINE-1]]:#define TRACED(f, ...) do { trace(#f); __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return f(::std::forward<__cprime_A>(__cprime_a)...); } __VA_OPT__(, ) __VA_ARGS__); } while (0)
#define TRACED2(f, a, ...) spawn f(a, __VA_ARGS__)
// CHECK: {{^}}[[@LINE-1]]:#define TRACED2(f, a, ...) __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return f(::std::forward<__cprime_A>(__cprime_a)...); }, a, __VA_ARGS__)
#define BG(x) spawn blocking [x] { crunch(x); }
// CHECK: {{^}}[[@LINE-1]]:#define BG(x) __cprime_scope.spawn_blocking(::cprime::here(), [x]() mutable { crunch(x); });
#define METHOD(o) spawn o.run(1)
// CHECK: {{^}}[[@LINE-1]]:#define METHOD(o) __cprime_scope.spawn(::cprime::here(), [__cprime_self = o]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return __cprime_self.run(::std::forward<__cprime_A>(__cprime_a)...); }, 1)
#define PAR(x) parallel { spawn work(x); }
// CHECK: {{^}}[[@LINE-1]]:#define PAR(x) ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, x); });
#define CLEANUP defer { \
    release(); \
  }
// CHECK: {{^}}[[@LINE-3]]:#define CLEANUP auto CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__) = ::cprime::defer([&]() { \
// CHECK: {{^}}[[@LINE-3]]:    release(); \
// CHECK: {{^}}[[@LINE-3]]:  });
#define SCOPE_EXIT(code) defer code
// CHECK: {{^}}[[@LINE-1]]:#define SCOPE_EXIT(code) auto CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__) = ::cprime::defer([&]() { code; })
#define CLOSE(f) defer close(f);
// CHECK: {{^}}[[@LINE-1]]:#define CLOSE(f) auto CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__) = ::cprime::defer([&]() { close(f); });
void f() {
  parallel { GO(work); TRACED(work, 1); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) { GO(work); TRACED(work, 1); });
  GO(work);
// CHECK: {{^}}[[@LINE-1]]:  GO(work);
  { CLEANUP; CLEANUP; SCOPE_EXIT(release()); }
// CHECK: {{^}}[[@LINE-1]]:  { CLEANUP; CLEANUP; SCOPE_EXIT(release()); }
}
