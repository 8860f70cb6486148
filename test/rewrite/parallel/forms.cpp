// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
#include <cprime/cprime.hpp>

int f(std::vector<int> &v) {
  parallel {
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) {
    for (int &x : v) spawn { x *= 2; }
// CHECK: {{^}}[[@LINE-1]]:    for (int &x : v) __cprime_scope.spawn(::cprime::here(), [&]() { x *= 2; });
  }
// CHECK: {{^}}[[@LINE-1]]:  });
  auto sum = parallel {
// CHECK: {{^}}[[@LINE-1]]:  auto sum = ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) {
    spawn { v[0] = 1; }
    return v[0] + 1;
  };
// CHECK: {{^}}[[@LINE-1]]:  });
  return parallel { return 3; };
// CHECK: {{^}}[[@LINE-1]]:  return ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW({{\[\[maybe_unused\]\]}} ::cprime::scope& __cprime_scope)) { return 3; });
}

void not_keywords(Policy parallel) {
  std::sort(std::execution::parallel, v.begin(), v.end());
// CHECK: {{^}}[[@LINE-1]]:  std::sort(std::execution::parallel, v.begin(), v.end());
  parallel(3);
// CHECK: {{^}}[[@LINE-1]]:  parallel(3);
}
