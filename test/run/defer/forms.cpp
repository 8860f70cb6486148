// Every defer operand a user writes runs at block exit in reverse order;
// SCOPE_EXIT-style macros work when used several times in one block, with a
// block body or a one-statement body whose `;` comes from the use.
// RUN: %clangxx_cprime -Wall -Wextra -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <cstdio>
#include <string>

std::string out;
void say(const char *s) { out += s; }
int note(const char *s) { out += s; return 1; }
namespace log { void put(const char *s) { out += s; } }

#define SCOPE_EXIT(code) defer { code; }
#define DEFER(stmt) defer stmt
#define SAY_ON_EXIT(s) defer say(s);
#define ON_EXIT_LAMBDA(s) defer [&] { say(s); }();

struct Reset {
  int v = 7;
  void check() {
    { defer this->v = 0; defer say("m"); }
    if (v == 0) say("z");
  }
};

int main() {
  int n = 5;
  int *p = &n;
  {
    defer ++n;
    defer --n;
    defer *p *= 10;
    defer [&] { say("a"); }();
    defer [&](const char *s) { say(s); }("b");
    defer (void)note("c");
    defer static_cast<void>(note("d"));
    defer ::say("e");
    defer log::put("f");
    defer if (n > 0) say("g");
  }
  std::printf("%s %d\n", out.c_str(), n);
  // CHECK: gfedcba 50

  out.clear();
  {
    SCOPE_EXIT(say("1"));
    SCOPE_EXIT(say("2"));
    DEFER(say("3"));
    DEFER(say("4"));
    SAY_ON_EXIT("5")
    SAY_ON_EXIT("6")
    ON_EXIT_LAMBDA("7")
    ON_EXIT_LAMBDA("8")
    say("-");
  }
  std::printf("%s\n", out.c_str());
  // CHECK-NEXT: -87654321

  out.clear();
  for (int i = 0; i < 2; ++i) {
    SCOPE_EXIT(say("x"));
    SCOPE_EXIT(say("y"));
  }
  Reset r;
  r.check();
  std::printf("%s %d\n", out.c_str(), r.v);
  // CHECK-NEXT: yxyxmz 0
}
