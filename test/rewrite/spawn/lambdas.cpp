// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// Every lambda form after `spawn`: the lambda is the callee and the call's
// arguments follow it (decay-copied like any spawn's); its `->` is a return
// type, never a member access. A lambda taking nothing, not called, is a
// block written as a lambda and is spawned as it is.
#include <cprime/cprime.hpp>

template <class T> concept Small = sizeof(T) <= 8;

void forms(std::vector<int> v, int y, auto... xs) {
  spawn [](int x) -> int { return x; }(21);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) -> int { return x; }, 21);
  spawn []<class T>(T x) { use(x); }(5);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), []<class T>(T x) { use(x); }, 5);
  spawn []<class T> requires Small<T> (T x) { use(x); }(5);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), []<class T> requires Small<T> (T x) { use(x); }, 5);
  spawn []<class T>(T x) requires Small<T> { use(x); }(5);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), []<class T>(T x) requires Small<T> { use(x); }, 5);
  spawn []<class T> requires requires (T t) { t.f(); } (T x) { x.f(); }(w);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), []<class T> requires requires (T t) { t.f(); } (T x) { x.f(); }, w);
  spawn []<typename T = std::vector<int>>(T x) { use(x); }(v);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), []<typename T = std::vector<int>>(T x) { use(x); }, v);
  spawn [](auto x) -> std::vector<std::pair<int, int>> { return {{x, x}}; }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](auto x) -> std::vector<std::pair<int, int>> { return {{[{][{]}}x, x}}; }, 1);
  spawn [](int x) -> decltype(x + 1) { return x; }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) -> decltype(x + 1) { return x; }, 1);
  spawn [](int x) -> std::map<int, int>::iterator { return {}; }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) -> std::map<int, int>::iterator { return {}; }, 1);
  spawn [](int x) mutable { return x; }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) mutable { return x; }, 1);
  spawn [](int x) noexcept { use(x); }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) noexcept { use(x); }, 1);
  spawn [](int x) noexcept(true) -> void { use(x); }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) noexcept(true) -> void { use(x); }, 1);
  spawn [](int x) constexpr { return x; }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) constexpr { return x; }, 1);
  spawn [](int x) static { return x; }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) static { return x; }, 1);
  spawn [](int x) [[nodiscard]] { return x; }(1);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [](int x) {{\[\[}}nodiscard]] { return x; }, 1);
  spawn [v = std::move(v)]() mutable { v.push_back(1); }();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [v = std::move(v)]() mutable { v.push_back(1); });
  spawn [&r = y, c = y + 1](int k) { r = c + k; }(2);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [&r = y, c = y + 1](int k) { r = c + k; }, 2);
  spawn [...xs = xs]() { use(xs...); }();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [...xs = xs]() { use(xs...); });
  spawn [&...xs]() { use(xs...); }();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [&...xs]() { use(xs...); });
  spawn [xs...]() { use(xs...); }();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [xs...]() { use(xs...); });
  spawn [] { work(); }();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [] { work(); });
  spawn [=] { use(y); }();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [=] { use(y); });
  spawn [y] mutable { ++y; }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [y] mutable { ++y; });
  spawn [y]() { use(y); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [y]() { use(y); });
  spawn [y] { use(y); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_detached(::cprime::here(), [y]() mutable { use(y); });
  spawn blocking [](int x) -> int { return x; }(2);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_blocking(::cprime::here(), [](int x) -> int { return x; }, 2);
  spawn blocking [y] mutable { ++y; }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::spawn_blocking(::cprime::here(), [y] mutable { ++y; });
  auto h = spawn [](int x) -> int { return x; }(21);
// CHECK: {{^}}[[@LINE-1]]:  auto h = ::cprime::spawn(::cprime::here(), [](int x) -> int { return x; }, 21);
  auto g = spawn [y] mutable { return ++y; };
// CHECK: {{^}}[[@LINE-1]]:  auto g = ::cprime::spawn(::cprime::here(), [y] mutable { return ++y; });
  parallel { spawn [&](int x) -> int { return x + y; }(1); }
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[}}maybe_unused]] ::cprime::scope& __cprime_scope)) { __cprime_scope.spawn(::cprime::here(), [&](int x) -> int { return x + y; }, 1); });
  spawn[0] = 1;
// CHECK: {{^}}[[@LINE-1]]:  spawn[0] = 1;
  spawn[y] < 3;
// CHECK: {{^}}[[@LINE-1]]:  spawn[y] < 3;
}
