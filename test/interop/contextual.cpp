// In an enabled file the keywords are contextual: everything here is
// ordinary C++ and comes out byte-identical, and compiles with the plugin.
// RUN: %cprime-rewrite %s | diff %s -
// RUN: %clangxx_cprime -fsyntax-only -Wall %s
#include <cprime/cprime.hpp>

#include <algorithm>
#include <ranges>
#include <sys/select.h>
#include <vector>

int spawn = 0;
int timeout(int x) { return x; }
struct S {
  void defer() {}
  int select = 1;
  int parallel(int x) { return x; }
};
const char *text = R"(spawn f(x); select { default => {} } defer g();)";
const char *more = "co_await x; timeout (1s) { }";

int f(int fd) {
  fd_set r;
  FD_ZERO(&r);
  select(fd + 1, &r, nullptr, nullptr, nullptr);
  S obj;
  obj.defer();
  spawn = 2;
  spawn++;
  int defer = obj.select + obj.parallel(2);
  defer += 1;
  std::vector<int> v{3, 1, 2};
  std::ranges::sort(v);
  auto big = v | std::views::filter([](int x) { return x > 1; });
  // spawn work(); select { } — comments are never rewritten.
  return timeout(defer) + static_cast<int>(std::ranges::distance(big));
}
