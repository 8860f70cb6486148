// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <atomic>
#include <cstdio>
#include <functional>

int square(int x) { return x * x; }
void bump(int &x) { x += 1; }
struct Acc {
  int base;
  int add(int x) const { return base + x; }
};

int main() {
  auto h = spawn square(7);
  std::printf("call %d\n", h.join());
  // CHECK: call 49

  Acc acc{10};
  Acc *p = &acc;
  auto m = spawn acc.add(5);
  auto mp = spawn p->add(6);
  std::printf("member %d %d\n", m.join(), mp.join());
  // CHECK-NEXT: member 15 16

  int n = 3;
  auto b = spawn { return n * 2; };
  std::printf("block %d\n", b.join());
  // CHECK-NEXT: block 6

  auto l = spawn [](int x) { return x + 1; }(41);
  std::printf("lambda %d\n", l.join());
  // CHECK-NEXT: lambda 42

  int counter = 0;
  auto c = spawn [&counter] { counter = 5; };
  c.join();
  auto r = spawn bump(std::ref(counter));
  r.join();
  std::printf("captures %d\n", counter);
  // CHECK-NEXT: captures 6

  auto bl = spawn blocking square(3);
  std::printf("blocking %d\n", bl.join());
  // CHECK-NEXT: blocking 9

  auto aw = spawn square(4);
  int v = co_await aw;
  std::printf("await %d\n", v);
  // CHECK-NEXT: await 16

  std::atomic<int> done{0};
  cprime::channel<int> sig(1);
  spawn [&done, sig] { done = 1; co_await sig.send(1); }
  co_await sig.recv();
  std::printf("detached %d\n", done.load());
  // CHECK-NEXT: detached 1
}
