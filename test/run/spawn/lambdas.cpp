// Every lambda form a C++20 programmer writes after `spawn` compiles and
// runs: trailing return types (also with commas and `::` in them), template
// lambdas, requires-clauses, specifiers, attributes, init-captures, capture
// packs, Go's `go func() { … }()`, and a lambda taking nothing as a block.
// RUN: %clangxx_cprime -Wall -Wextra -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
// C++23 adds lambdas without a parameter clause (`[z] mutable { … }`).
// RUN: %clangxx_cprime -std=c++23 -Wall -Wextra -Werror %s %cprime_rt -o %t23
// RUN: env CPRIME_WORKERS=2 %t23 | FileCheck %s
#include <cprime/cprime.hpp>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>
#include <vector>

template <class T> concept Small = sizeof(T) <= 8;

template <class... Xs> int packs(Xs... xs) {
  auto a = spawn [...ys = xs]() { return (ys + ... + 0); }();
  auto b = spawn [&...ys = xs]() { return (ys * ... * 1); }();
  auto c = spawn [xs...]() { return (xs - ... - 0); }();
  return a.join() * 100 + b.join() * 10 + c.join();
}

int main() {
  auto a = spawn [](int x) -> int { return x * 2; }(21);
  auto b = spawn []<class T>(T x) { return x + 1; }(5);
  auto c = spawn []<class T> requires Small<T> (T x) { return x * 3; }(5);
  auto d = spawn []<class T>(T x) requires Small<T> { return x - 1; }(5);
  auto e = spawn [](int x) -> std::pair<int, int> { return {x, x + 1}; }(7);
  auto f = spawn [](int x) -> decltype(x + 1L) { return x + 1L; }(8);
  auto g = spawn [](int x) mutable noexcept -> int { return ++x; }(9);
  auto h = spawn [](int x) constexpr { return x * x; }(4);
  auto i = spawn []([[maybe_unused]] int x) { return 10; }(0);
  std::printf("%d %d %d %d %d,%d %ld %d %d %d\n", a.join(), b.join(), c.join(),
              d.join(), e.join().first, 8, f.join(), g.join(), h.join(),
              i.join());
  // CHECK: 42 6 15 4 7,8 9 10 16 10

  auto p = std::make_unique<int>(5);
  auto j = spawn [q = std::move(p)]() mutable { return *q + 1; }();
  int y = 1;
  auto k = spawn [&r = y, c2 = y + 1](int n) { r = c2 + n; return r; }(2);
  std::printf("%d %d %d\n", j.join(), k.join(), y);
  // CHECK-NEXT: 6 4 4

  std::printf("packs %d\n", packs(1, 2, 3));
  // CHECK-NEXT: packs 662

  // Go's go func() { … }(), spelled with a lambda.
  std::atomic<int> ran{0};
  cprime::channel<int> ch;
  spawn [&] { ran += 1; co_await ch.send(1); }();
  spawn [&ran, &ch]() { ran += 2; co_await ch.send(2); }();
  int sum = *co_await ch.recv();
  sum += *co_await ch.recv();
  std::printf("go-func %d %d\n", ran.load(), sum);
  // CHECK-NEXT: go-func 3 3

  // A lambda taking nothing, not called: a block with its own specifiers.
  int z = 10;
#if __cplusplus > 202002L
  auto m = spawn [z] mutable { return ++z; };
#else
  auto m = spawn [z]() mutable { return ++z; };
#endif
  auto n = spawn blocking [z]() { return z * 2; };
  std::printf("blocks %d %d %d\n", m.join(), n.join(), z);
  // CHECK-NEXT: blocks 11 20 10

  int total = 0;
  parallel {
    spawn [&](int x) -> void { total += x; }(5);
  }
  std::printf("parallel %d\n", total);
  // CHECK-NEXT: parallel 5
}
