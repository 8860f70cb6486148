// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// `spawn with(options) operand`: the options become the argument after the
// site, in every spawn form and position (docs/spawn.md), on the user's line.
#include <cprime/cprime.hpp>

void forms(Worker obj, Worker *p, int a) {
  spawn with(cprime::stack_size(4 << 20)) work(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), cprime::stack_size(4 << 20), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, a);
  spawn with(big) tick();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), big, [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return tick(::std::forward<__cprime_A>(__cprime_a)...); });
  spawn with(big) obj.handle(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), big, [__cprime_self = obj]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return __cprime_self.handle(::std::forward<__cprime_A>(__cprime_a)...); }, a);
  spawn with(big) p->stop();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), big, [__cprime_self = p]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return __cprime_self->stop(::std::forward<__cprime_A>(__cprime_a)...); });
  spawn with(big) [](int x) { use(x); }(3);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), big, [](int x) { use(x); }, 3);
  spawn with(big) { use(a); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), big, [=]() mutable { use(a); });
  spawn with(big) [&a] { a = 1; }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), big, [&a]() mutable { a = 1; });
  auto h = spawn with(cprime::stack_size(8 << 20)) compute(4);
// CHECK: {{^}}[[@LINE-1]]:  auto h = ::cprime::spawn(::cprime::here(), cprime::stack_size(8 << 20), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return compute(::std::forward<__cprime_A>(__cprime_a)...); }, 4);
  auto g = spawn with(big) { return 7; };
// CHECK: {{^}}[[@LINE-1]]:  auto g = ::cprime::spawn(::cprime::here(), big, [=]() mutable { return 7; });
  pool.push_back(spawn with(big) compute(5));
// CHECK: {{^}}[[@LINE-1]]:  pool.push_back(::cprime::spawn(::cprime::here(), big, [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return compute(::std::forward<__cprime_A>(__cprime_a)...); }, 5));
  for (int i = 0; i < 3; ++i) spawn with(big) { use(i); }
// CHECK: {{^}}[[@LINE-1]]:  for (int i = 0; i < 3; ++i) ::cprime::spawn_detached(::cprime::here(), big, [=]() mutable { use(i); });
  parallel {
    for (int i = 0; i < 3; ++i) spawn with(big) { use(i); }
// CHECK: {{^}}[[@LINE-1]]:    for (int i = 0; i < 3; ++i) __cprime_scope.spawn(::cprime::here(), big, [&, i]() mutable { use(i); });
  }
  // Not options: `with` is then a function's name.
  spawn with(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return with(::std::forward<__cprime_A>(__cprime_a)...); }, a);
  auto w = spawn with(a);
// CHECK: {{^}}[[@LINE-1]]:  auto w = ::cprime::spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return with(::std::forward<__cprime_A>(__cprime_a)...); }, a);
  int with = 0;
  with = 2;
// CHECK: {{^}}[[@LINE-1]]:  with = 2;
}
