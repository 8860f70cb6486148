// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
// co_await on runtime operations from coroutines and from main's thread.
#include <cprime/cprime.hpp>

#include <cstdio>

int sum(cprime::channel<int> in) {
  int total = 0;
  while (auto v = co_await in.recv())
    total += *v;
  return total;
}

int main() {
  cprime::channel<int> ch;
  auto t = spawn sum(ch);
  for (int i = 1; i <= 10; ++i)
    if ((co_await ch.send(i)).is_err())
      return 1;
  ch.close();
  std::printf("sum %d\n", co_await t);
  // CHECK: sum 55
  auto r = co_await ch.send(99);
  std::printf("send after close ok=%d\n", r.is_ok());
  // CHECK-NEXT: send after close ok=0
  co_await cprime::yield_now();
  co_await cprime::sleep(std::chrono::milliseconds(1));
  std::puts("done");
  // CHECK-NEXT: done
}
