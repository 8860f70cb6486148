// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
// Each arm kind fires with its documented value; break/continue act on the
// enclosing loop.
#include <cprime/cprime.hpp>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

int main() {
  cprime::channel<int> a(1), b(1), out(1);

  co_await a.send(1);
  select {
    int x = a.recv() => std::printf("typed %d\n", x);
    default => std::puts("default");
  }
  // CHECK: typed 1

  select {
    int x = a.recv() => std::printf("typed %d\n", x);
    default => std::puts("default");
  }
  // CHECK-NEXT: default

  co_await b.send(2);
  select {
    auto s = b.recv() => std::printf("auto %d\n", *s);
  }
  // CHECK-NEXT: auto 2

  select {
    auto r = out.send(3) => std::printf("send ok=%d\n", r.is_ok());
  }
  // CHECK-NEXT: send ok=1
  select {
    msg = out.recv() => std::printf("name %d\n", *msg);
  }
  // CHECK-NEXT: name 3

  select {
    a.recv() => std::puts("bare recv");
    _ = cprime::after(5ms) => std::puts("timer");
  }
  // CHECK-NEXT: timer

  b.close();
  select {
    auto s = b.recv() => std::printf("closed has_value=%d\n", s.has_value());
  }
  // CHECK-NEXT: closed has_value=0

  int turns = 0;
  for (int i = 0; i < 5; ++i) {
    co_await a.send(i);
    select {
      int x = a.recv() => { if (x == 3) break; if (x == 1) continue; ++turns; }
    }
  }
  std::printf("turns %d\n", turns);
  // CHECK-NEXT: turns 2

  try {
    select {
      int x = b.recv() => std::printf("never %d\n", x);
    }
  } catch (const cprime::channel_closed &) {
    std::puts("channel_closed");
  }
  // CHECK-NEXT: channel_closed
}
