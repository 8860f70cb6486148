// In a member function, `spawn handle(5)` may call a member through the
// implicit `this`, and `spawn { ++n; }` captures `this` explicitly: the file
// builds with -Werror (C++20 deprecates the implicit capture of `this` by
// `[=]`, a warning on by default) in C++20 and C++23. Static members, free
// functions and lambdas without `this` keep the plain lowering.
// RUN: %clangxx_cprime -Wall -Wextra -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
// RUN: %clangxx_cprime -std=c++23 -Wall -Wextra -Werror %s %cprime_rt -o %t23
// RUN: env CPRIME_WORKERS=2 %t23 | FileCheck %s
#include <cprime/cprime.hpp>

#include <atomic>
#include <cstdio>

namespace util { int twice(int x); }
int util::twice(int x) { auto h = spawn [](int y) { return 2 * y; }(x); return h.join(); }

int triple(int x) { return 3 * x; }

struct Base {
  std::atomic<int> base{0};
  void bump(int k) { base += k; }
};

struct Counter : Base {
  std::atomic<int> n{0};
  void handle(int k) { n += k; }
  template <class T> void typed(T k) { n += static_cast<int>(k); }
  static int square(int x) { return x * x; }

  void run() {
    parallel {
      spawn handle(1);
      spawn Base::bump(2);
      spawn typed<long>(3L);
      spawn { n += 4; }
    }
    auto a = spawn handle(10);
    auto b = spawn { n += 20; return n.load(); };
    auto c = spawn square(5);
    auto d = spawn triple(2);
    a.join();
    std::printf("%d %d %d %d\n", b.join() >= 20, c.join(), d.join(), base.load());
    auto l = [this] { auto t = spawn { n += 100; }; t.join(); };
    l();
    auto r = [&] { auto t = spawn handle(200); t.join(); };
    r();
  }
  void out_of_line();
  static int static_out_of_line(int x);
  Counter() : Base(), n{0} { auto t = spawn { n += 1000; }; t.join(); }
};

void Counter::out_of_line() { auto t = spawn { n += 5000; }; t.join(); }
int Counter::static_out_of_line(int x) { auto t = spawn { return x + 1; }; return t.join(); }

int main() {
  Counter c;
  c.run();
  // CHECK: 1 25 6 2
  c.out_of_line();
  std::printf("n %d\n", c.n.load());
  // CHECK-NEXT: n 6338
  std::printf("static %d %d\n", Counter::static_out_of_line(1), util::twice(4));
  // CHECK-NEXT: static 2 8
}
