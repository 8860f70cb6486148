// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Every statement a user writes after `defer`, and the spellings that keep
// `defer` an ordinary name. In a #define body the guard's name comes from
// __COUNTER__, so a macro may be used twice in one block, and a one-statement
// body may leave its `;` to the macro's use.
#include <cprime/cprime.hpp>

#define SCOPE_EXIT(code) defer { code; }
// CHECK: {{^}}[[@LINE-1]]:#define SCOPE_EXIT(code) auto CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__) = ::cprime::defer([&]() { code; });
#define DEFER(stmt) defer stmt
// CHECK: {{^}}[[@LINE-1]]:#define DEFER(stmt) auto CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__) = ::cprime::defer([&]() { stmt; })
#define CLOSE(f) defer close(f);
// CHECK: {{^}}[[@LINE-1]]:#define CLOSE(f) auto CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__) = ::cprime::defer([&]() { close(f); });
#define ON_EXIT defer [&] { done(); }();
// CHECK: {{^}}[[@LINE-1]]:#define ON_EXIT auto CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__) = ::cprime::defer([&]() { [&] { done(); }(); });

void forms(int n, int *p, File f) {
  defer ++n;
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer5 = ::cprime::defer([&]() { ++n; });
  defer --n;
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer6 = ::cprime::defer([&]() { --n; });
  defer ++*p;
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer7 = ::cprime::defer([&]() { ++*p; });
  defer [&]{ n = 0; }();
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer8 = ::cprime::defer([&]() { [&]{ n = 0; }(); });
  defer [&n](int k) { n = k; }(3);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer9 = ::cprime::defer([&]() { [&n](int k) { n = k; }(3); });
  defer []<class T>(T x) { use(x); }(n);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer10 = ::cprime::defer([&]() { []<class T>(T x) { use(x); }(n); });
  defer *p = 0;
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer11 = ::cprime::defer([&]() { *p = 0; });
  defer (void)close(f);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer12 = ::cprime::defer([&]() { (void)close(f); });
  defer (void)::close(f);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer13 = ::cprime::defer([&]() { (void)::close(f); });
  defer static_cast<void>(close(f));
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer14 = ::cprime::defer([&]() { static_cast<void>(close(f)); });
  defer ::close(f);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer15 = ::cprime::defer([&]() { ::close(f); });
  defer std::puts("bye");
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer16 = ::cprime::defer([&]() { std::puts("bye"); });
  defer delete p;
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer17 = ::cprime::defer([&]() { delete p; });
  defer if (p) close(f);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer18 = ::cprime::defer([&]() { if (p) close(f); });
  defer for (int i = 0; i < n; ++i) close(i);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer19 = ::cprime::defer([&]() { for (int i = 0; i < n; ++i) close(i); });
  defer this->reset();
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer20 = ::cprime::defer([&]() { this->reset(); });
  defer co_await ch.send(1);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer21 = ::cprime::defer([&]() { ::cprime::await(ch.send(1)); });
  { SCOPE_EXIT(close(f)); SCOPE_EXIT(close(g)); DEFER(close(h)); CLOSE(f) ON_EXIT }
// CHECK: {{^}}[[@LINE-1]]:  { SCOPE_EXIT(close(f)); SCOPE_EXIT(close(g)); DEFER(close(h)); CLOSE(f) ON_EXIT }
}

void names(Defer defer, Defer *q) {
  defer(n);
// CHECK: {{^}}[[@LINE-1]]:  defer(n);
  defer(n).run();
// CHECK: {{^}}[[@LINE-1]]:  defer(n).run();
  defer = other;
// CHECK: {{^}}[[@LINE-1]]:  defer = other;
  defer.run();
// CHECK: {{^}}[[@LINE-1]]:  defer.run();
  defer++;
// CHECK: {{^}}[[@LINE-1]]:  defer++;
  defer[0] = 1;
// CHECK: {{^}}[[@LINE-1]]:  defer[0] = 1;
  defer->run();
// CHECK: {{^}}[[@LINE-1]]:  defer->run();
  q->defer();
// CHECK: {{^}}[[@LINE-1]]:  q->defer();
}
