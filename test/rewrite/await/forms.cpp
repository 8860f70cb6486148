// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
// co_await X → ::cprime::await(X), X a unary-expression with C++ precedence.
#include <cprime/cprime.hpp>

void plain(cprime::channel<int> ch, cprime::task<int> t, Box *b) {
  auto v = co_await ch.recv();
// CHECK: {{^}}[[@LINE-1]]:  auto v = ::cprime::await(ch.recv());
  if ((co_await ch.send(1)).is_err()) return;
// CHECK: {{^}}[[@LINE-1]]:  if ((::cprime::await(ch.send(1))).is_err()) return;
  int r = co_await t + 1;
// CHECK: {{^}}[[@LINE-1]]:  int r = ::cprime::await(t) + 1;
  co_await cprime::sleep(10ms);
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::await(cprime::sleep(10ms));
  co_await (*b)[0]->req.recv();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::await((*b)[0]->req.recv());
  auto w = co_await co_await nested();
// CHECK: {{^}}[[@LINE-1]]:  auto w = ::cprime::await(::cprime::await(nested()));
  co_await cprime::yield_now();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::await(cprime::yield_now());
  use(co_await ch.recv(), 2);
// CHECK: {{^}}[[@LINE-1]]:  use(::cprime::await(ch.recv()), 2);
  co_await make<int>(3).run();
// CHECK: {{^}}[[@LINE-1]]:  ::cprime::await(make<int>(3).run());
}

// A native C++20 coroutine: its co_awaits are left alone.
std::generator<int> gen(cprime::channel<int> ch) {
  co_await ch.recv();
// CHECK: {{^}}[[@LINE-1]]:  co_await ch.recv();
  auto lambda = [&] { return co_await ch.recv(); };
// CHECK: {{^}}[[@LINE-1]]:  auto lambda = [&] { return ::cprime::await(ch.recv()); };
  co_yield 1;
}

auto lam = [](cprime::channel<int> ch) -> Task { co_await ch.recv(); co_return; };
// CHECK: {{^}}[[@LINE-1]]:auto lam = [](cprime::channel<int> ch) -> Task { co_await ch.recv(); co_return; };
auto lam2 = [](cprime::channel<int> ch) { co_await ch.recv(); };
// CHECK: {{^}}[[@LINE-1]]:auto lam2 = [](cprime::channel<int> ch) { ::cprime::await(ch.recv()); };
