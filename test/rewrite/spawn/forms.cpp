// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Every spawn form of docs/language.md and its lowering (docs/lowering.md), on the
// user's line.
#include <cprime/cprime.hpp>

void forms(Worker obj, Worker *p, int a, int b) {
  spawn work(a, b);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, a, b);
  spawn tick();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return tick(::std::forward<__cprime_A>(__cprime_a)...); });
  spawn ns::run<int>(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return ns::run<int>(::std::forward<__cprime_A>(__cprime_a)...); }, a);
  spawn obj.handle(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [__cprime_self = obj]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return __cprime_self.handle(::std::forward<__cprime_A>(__cprime_a)...); }, a);
  spawn p->stop();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [__cprime_self = p]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return __cprime_self->stop(::std::forward<__cprime_A>(__cprime_a)...); });
  spawn [](int x) { use(x); }(3);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) { use(x); }, 3);
  spawn { use(a); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=]() mutable { use(a); });
  spawn [&a] { a = 1; }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [&a]() mutable { a = 1; });
  spawn blocking read_file(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_blocking(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return read_file(::std::forward<__cprime_A>(__cprime_a)...); }, a);
  spawn blocking { crunch(); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_blocking(::cprime::here(), [=]() mutable { crunch(); });
  auto h = spawn compute(4);
// CHECK: {{^}}[[@LINE-1]]:  auto h = ::cprime::spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return compute(::std::forward<__cprime_A>(__cprime_a)...); }, 4);
  auto g = spawn { return 7; };
// CHECK: {{^}}[[@LINE-1]]:  auto g = ::cprime::spawn(::cprime::here(), [=]() mutable { return 7; });
  spawn std::ref(obj)(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), std::ref(obj), a);
}

task<int> start() { return spawn compute(1); }
// CHECK: {{^}}[[@LINE-1]]:task<int> start() { return ::cprime::spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return compute(::std::forward<__cprime_A>(__cprime_a)...); }, 1); }

void arguments(std::vector<cprime::task<void>> &pool, int n) {
  pool.push_back(spawn work(n, 1));
// CHECK: {{^}}[[@LINE-1]]:  pool.push_back(::cprime::spawn(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return work(::std::forward<__cprime_A>(__cprime_a)...); }, n, 1));
  use(n, spawn { return 2; });
// CHECK: {{^}}[[@LINE-1]]:  use(n, ::cprime::spawn(::cprime::here(), [=]() mutable { return 2; }));
  call(spawn, n);
// CHECK: {{^}}[[@LINE-1]]:  call(spawn, n);
  call(spawn + 1, spawn[0]);
// CHECK: {{^}}[[@LINE-1]]:  call(spawn + 1, spawn[0]);
}

// A named callee is called from a lambda (an overload set or a template
// resolves against the copied arguments); at namespace scope that lambda
// has no capture-default, which C++ allows only in a block scope.
cprime::task<int> early = spawn compute(2);
// CHECK: {{^}}[[@LINE-1]]:cprime::task<int> early = ::cprime::spawn(::cprime::here(), []<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return compute(::std::forward<__cprime_A>(__cprime_a)...); }, 2);
void overloads(int a, int b, int (*fp)(int)) {
  spawn std::max(a, b);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return std::max(::std::forward<__cprime_A>(__cprime_a)...); }, a, b);
  spawn fp(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return fp(::std::forward<__cprime_A>(__cprime_a)...); }, a);
  spawn make_handler()(a);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), make_handler(), a);
}
