// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Where `this` exists, a spawn block captures it explicitly (C++20
// deprecates its implicit capture by `[=]`), and a spawned call of a name
// goes through a lambda that has `this`, so that `spawn handle(5)` may name
// a member. Where it does not (free and static functions, friends, lambdas
// without it), the lowering is the plain one.
#include <cprime/cprime.hpp>

namespace app { void helper(); }

struct S : Base {
  int n = 0;
  void handle(int);
  template <class T> void typed(T);
  static void tick();
  void m() {
    spawn handle(5);
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::spawn_detached(::cprime::here(), [=, this]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { (void)this; return handle(::std::forward<__cprime_A>(__cprime_a)...); }, 5);
    spawn Base::handle(5);
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::spawn_detached(::cprime::here(), [=, this]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { (void)this; return Base::handle(::std::forward<__cprime_A>(__cprime_a)...); }, 5);
    spawn typed<int>(5);
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::spawn_detached(::cprime::here(), [=, this]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { (void)this; return typed<int>(::std::forward<__cprime_A>(__cprime_a)...); }, 5);
    spawn this->handle(5);
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::spawn_detached(::cprime::here(), [__cprime_self = this]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return __cprime_self->handle(::std::forward<__cprime_A>(__cprime_a)...); }, 5);
    spawn { ++n; }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::spawn_detached(::cprime::here(), [=, this]() mutable { (void)this; ++n; });
    spawn blocking { ++n; }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::spawn_blocking(::cprime::here(), [=, this]() mutable { (void)this; ++n; });
    auto h = spawn { return n; };
// CHECK: {{^}}[[@LINE-1]]:    auto h = ::cprime::spawn(::cprime::here(), [=, this]() mutable { (void)this; return n; });
    spawn [this] { ++n; }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::spawn_detached(::cprime::here(), [this]() mutable { ++n; });
    parallel { spawn { ++n; } spawn handle(1); }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[}}maybe_unused]] ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [&]() { ++n; }); __cprime_scope.spawn(::cprime::here(), [=, this]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { (void)this; return handle(::std::forward<__cprime_A>(__cprime_a)...); }, 1); });
    auto l = [this] { spawn { ++n; } };
// CHECK: {{^}}[[@LINE-1]]:    auto l = [this] { ::cprime::spawn_detached(::cprime::here(), [=, this]() mutable { (void)this; ++n; }); };
    auto r = [&] { spawn handle(2); };
// CHECK: {{^}}[[@LINE-1]]:    auto r = [&] { ::cprime::spawn_detached(::cprime::here(), [=, this]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { (void)this; return handle(::std::forward<__cprime_A>(__cprime_a)...); }, 2); };
    auto z = [] { spawn { work(); } };
// CHECK: {{^}}[[@LINE-1]]:    auto z = [] { ::cprime::spawn_detached(::cprime::here(), [=]() mutable { work(); }); };
  }
  void c() const { spawn { use(n); } }
// CHECK: {{^}}[[@LINE-1]]:  void c() const { ::cprime::spawn_detached(::cprime::here(), [=, this]() mutable { (void)this; use(n); }); }
  static void s() { spawn { work(); } spawn tick(); }
// CHECK: {{^}}[[@LINE-1]]:  static void s() { ::cprime::spawn_detached(::cprime::here(), [=]() mutable { work(); }); ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return tick(::std::forward<__cprime_A>(__cprime_a)...); }); }
  friend void fr(S &x) { spawn { use(x); } }
// CHECK: {{^}}[[@LINE-1]]:  friend void fr(S &x) { ::cprime::spawn_detached(::cprime::here(), [=]() mutable { use(x); }); }
  S() : Base(1), n{2} { spawn { ++n; } }
// CHECK: {{^}}[[@LINE-1]]:  S() : Base(1), n{2} { ::cprime::spawn_detached(::cprime::here(), [=, this]() mutable { (void)this; ++n; }); }
  int operator()(int k) { spawn handle(k); return k; }
// CHECK: {{^}}[[@LINE-1]]:  int operator()(int k) { ::cprime::spawn_detached(::cprime::here(), [=, this]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { (void)this; return handle(::std::forward<__cprime_A>(__cprime_a)...); }, k); return k; }
  void later();
  static void slater();
};

void S::later() { spawn { ++n; } }
// CHECK: {{^}}[[@LINE-1]]:void S::later() { ::cprime::spawn_detached(::cprime::here(), [=, this]() mutable { (void)this; ++n; }); }
void S::slater() { spawn { work(); } }
// CHECK: {{^}}[[@LINE-1]]:void S::slater() { ::cprime::spawn_detached(::cprime::here(), [=]() mutable { work(); }); }
void app::helper() { spawn { work(); } }
// CHECK: {{^}}[[@LINE-1]]:void app::helper() { ::cprime::spawn_detached(::cprime::here(), [=]() mutable { work(); }); }
template <class T> void Box<T>::run() { spawn { use(v); } }
// CHECK: {{^}}[[@LINE-1]]:template <class T> void Box<T>::run() { ::cprime::spawn_detached(::cprime::here(), [=, this]() mutable { (void)this; use(v); }); }
Widget::~Widget() { spawn { close(fd); } }
// CHECK: {{^}}[[@LINE-1]]:Widget::~Widget() { ::cprime::spawn_detached(::cprime::here(), [=, this]() mutable { (void)this; close(fd); }); }
void free_fn(int n) { spawn { use(n); } spawn handle(n); }
// CHECK: {{^}}[[@LINE-1]]:void free_fn(int n) { ::cprime::spawn_detached(::cprime::here(), [=]() mutable { use(n); }); ::cprime::spawn_detached(::cprime::here(), [=]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return handle(::std::forward<__cprime_A>(__cprime_a)...); }, n); }
void local() { struct L { int v; void g() { spawn { use(v); } } }; }
// CHECK: {{^}}[[@LINE-1]]:void local() { struct L { int v; void g() { ::cprime::spawn_detached(::cprime::here(), [=, this]() mutable { (void)this; use(v); }); } }; }
