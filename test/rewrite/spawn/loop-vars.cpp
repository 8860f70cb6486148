// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// A spawn block directly inside parallel/timeout captures by reference, but
// the variables that enclosing `for` headers declare by copy, one per
// iteration (as Go 1.22 does). Reference loop variables stay references;
// names the body never mentions are not captured.
#include <cprime/cprime.hpp>

void f(std::vector<int>& v, std::map<int, int>& m, int n, int i) {
  parallel {
    for (int i = 0, j = 2; i < n; ++i)
      spawn { v[i] = i * j; }
// CHECK: {{^}}[[@LINE-1]]:      __cprime_scope.spawn(::cprime::here(), [&, i, j]() mutable { v[i] = i * j; });
    for (auto& x : v) spawn { x += 1; }
// CHECK: {{^}}[[@LINE-1]]:    for (auto& x : v) __cprime_scope.spawn(::cprime::here(), [&]() { x += 1; });
    for (auto x : v) spawn { use(x); }
// CHECK: {{^}}[[@LINE-1]]:    for (auto x : v) __cprime_scope.spawn(::cprime::here(), [&, x]() mutable { use(x); });
    for (const auto& [a, b] : m) spawn { use(a); }
// CHECK: {{^}}[[@LINE-1]]:    for (const auto& [a, b] : m) __cprime_scope.spawn(::cprime::here(), [&]() { use(a); });
    for (auto [a, b] : m) spawn { use(a, b); }
// CHECK: {{^}}[[@LINE-1]]:    for (auto [a, b] : m) __cprime_scope.spawn(::cprime::here(), [&, a, b]() mutable { use(a, b); });
    for (std::size_t k = 0; k < 3; ++k) { spawn { use(k); } spawn { other(); } }
// CHECK: {{^}}[[@LINE-1]]:    for (std::size_t k = 0; k < 3; ++k) { __cprime_scope.spawn(::cprime::here(), [&, k]() mutable { use(k); }); __cprime_scope.spawn(::cprime::here(), [&]() { other(); }); }
    for (i = 0; i < 3; ++i) spawn { use(i); }
// CHECK: {{^}}[[@LINE-1]]:    for (i = 0; i < 3; ++i) __cprime_scope.spawn(::cprime::here(), [&]() { use(i); });
    for (std::map<int, int>::iterator it = m.begin(); it != m.end(); ++it) spawn { use(it->first); }
// CHECK: {{^}}[[@LINE-1]]:    for (std::map<int, int>::iterator it = m.begin(); it != m.end(); ++it) __cprime_scope.spawn(::cprime::here(), [&, it]() mutable { use(it->first); });
  }
  for (int w = 0; w < 2; ++w)
    spawn { use(w); }
// CHECK: {{^}}[[@LINE-1]]:    ::cprime::spawn_detached(::cprime::here(), [=]() mutable { use(w); });
}
