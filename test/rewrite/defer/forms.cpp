// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
#include <cprime/cprime.hpp>

void f(FILE *in, Obj obj, bool log) {
  defer std::fclose(in);
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer1 = ::cprime::defer([&]() { std::fclose(in); });
  defer {
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer2 = ::cprime::defer([&]() {
    flush();
    close();
  }
// CHECK: {{^}}[[@LINE-1]]:  });
  if (log) { auto g = open_log(); defer close_log(g); }
// CHECK: {{^}}[[@LINE-1]]:  if (log) { auto g = open_log(); auto __cprime_defer3 = ::cprime::defer([&]() { close_log(g); }); }
  defer if (log) puts("a"); else puts("b");
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer4 = ::cprime::defer([&]() { if (log) puts("a"); else puts("b"); });
  defer *counter += 1;
// CHECK: {{^}}[[@LINE-1]]:  auto __cprime_defer5 = ::cprime::defer([&]() { *counter += 1; });
  obj.defer();
// CHECK: {{^}}[[@LINE-1]]:  obj.defer();
  defer(obj);
// CHECK: {{^}}[[@LINE-1]]:  defer(obj);
  int defer = 3;
// CHECK: {{^}}[[@LINE-1]]:  int defer = 3;
}
