// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
// Nested selects, operands evaluated once in source order, co_await inside
// an operand, a producer coroutine feeding a select loop.
#include <cprime/cprime.hpp>

#include <cstdio>

int order = 0;
cprime::channel<int> pick(cprime::channel<int> c, const char *name) {
  std::printf("eval %s %d\n", name, order++);
  return c;
}

int main() {
  cprime::channel<int> data, quit;
  cprime::channel<cprime::channel<int>> chans(1);
  spawn [data, quit] {
    for (int i = 0; i < 3; ++i)
      co_await data.send(i);
    quit.close();
  }
  int got = 0;
  for (bool running = true; running;) {
    select {
      int v = pick(data, "data").recv() => got += v;
      _ = pick(quit, "quit").recv() => running = false;
    }
  }
  // CHECK: eval data 0
  // CHECK-NEXT: eval quit 1
  std::printf("got %d\n", got);
  // CHECK: got 3

  cprime::channel<int> inner(1);
  co_await inner.send(7);
  co_await chans.send(inner);
  select {
    auto c = chans.recv() => {
      select {
        int v = (*c).recv() => std::printf("nested %d\n", v);
        default => std::puts("nested default");
      }
    }
  }
  // CHECK-NEXT: nested 7
  co_await chans.send(inner);
  co_await inner.send(8);
  select {
    int v = (co_await chans.recv())->recv() => std::printf("await operand %d\n", v);
  }
  // CHECK-NEXT: await operand 8
}
