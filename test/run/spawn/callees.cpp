// `spawn f(x)` has Go's `go f(x)` meaning whatever `f` names: the callee and
// the arguments are evaluated at the spawn and copied, and the call is then
// made as written, so an overload set, a function template, a static member
// with overloads, a member template, a function pointer variable, a functor
// object and a lambda stored in a variable all spawn. Each task's result
// comes back through its handle; every variable is changed right after the
// spawn, so a callee or argument read later than the spawn shows.
// RUN: %clangxx_cprime -Wall -Wextra -Wpedantic -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>

int process(int x) { return x + 1; }
std::string process(const std::string &s) { return s + "!"; }
template <class T> T twice(T x) { return x + x; }

struct Shape {
  static int area(int w) { return w * w; }
  static long area(long w, long h) { return w * h; }
  template <class T> T scaled(T x) const { return x * k; }
  int k = 3;
};

struct Acc {
  int base = 10;
  int operator()(int x) const { return base + x; }
};

int one(int x) { return x; }
int hundred(int x) { return 100 * x; }

namespace geo {
struct Pt { int x; };
int norm(Pt p) { return p.x < 0 ? -p.x : p.x; }
} // namespace geo

// A dependent call found by argument-dependent lookup at instantiation.
template <class P> int spawn_norm(P p) {
  auto h = spawn norm(p);
  return h.join();
}

std::atomic<int> in_block{0};
void add(int x) { in_block += x; }
void add(long x) { in_block += static_cast<int>(2 * x); }

int main() {
  int a = 3, b = 4;
  auto hmax = spawn std::max(a, b);
  a = 100;
  std::printf("max %d\n", hmax.join());
  // CHECK: max 4

  auto hi = spawn process(41);
  std::string s = "go";
  auto hs = spawn process(s);
  s = "changed";
  std::printf("overloads %d %s\n", hi.join(), hs.join().c_str());
  // CHECK-NEXT: overloads 42 go!

  auto ht = spawn twice(21);
  auto htd = spawn twice<double>(1.25);
  std::printf("template %d %.1f\n", ht.join(), htd.join());
  // CHECK-NEXT: template 42 2.5

  auto h1 = spawn Shape::area(5);
  auto h2 = spawn Shape::area(2L, 3L);
  std::printf("static %d %ld\n", h1.join(), h2.join());
  // CHECK-NEXT: static 25 6

  Shape sh;
  auto hm = spawn sh.scaled<int>(5);
  Shape *p = &sh;
  auto hp = spawn p->scaled(2.0);
  sh.k = 0; // the receiver `sh` was copied; `p` points at the changed one
  std::printf("member %d\n", hm.join());
  // CHECK-NEXT: member 15
  (void)hp.join();

  int (*fp)(int) = &one;
  auto hf = spawn fp(7);
  fp = &hundred;
  std::printf("pointer %d\n", hf.join());
  // CHECK-NEXT: pointer 7

  Acc acc;
  auto ha = spawn acc(1);
  acc.base = 1000;
  std::printf("functor %d\n", ha.join());
  // CHECK-NEXT: functor 11

  int bias = 5;
  auto fn = [bias](int x) { return bias * x; };
  auto hl = spawn fn(3);
  std::printf("stored lambda %d\n", hl.join());
  // CHECK-NEXT: stored lambda 15

  std::printf("adl %d\n", spawn_norm(geo::Pt{-9}));
  // CHECK-NEXT: adl 9

  parallel {
    spawn add(1);
    spawn add(2L);
    spawn std::max(a, b);
  }
  std::printf("block %d\n", in_block.load());
  // CHECK-NEXT: block 5
}
