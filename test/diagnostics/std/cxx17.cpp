// An enabled file compiled with an older -std gets one error at its opt-in
// line, not a cascade from inside the runtime headers. A file that does not
// opt in compiles under C++17 as before, and so does one whose only enabled
// part is missing.
// RUN: split-file %s %t
// RUN: not %clangxx_cprime -std=c++17 -fsyntax-only %t/main.cpp 2>&1 | FileCheck %s --check-prefix=MAIN
// RUN: not %clangxx_cprime -std=c++14 -fsyntax-only %t/pragma.cpp 2>&1 | FileCheck %s --check-prefix=PRAGMA
// RUN: not %clangxx_cprime -std=c++17 -fsyntax-only -I%t %t/uses-header.cpp 2>&1 | FileCheck %s --check-prefix=HEADER
// RUN: %clangxx_cprime -std=c++17 -fsyntax-only %t/plain.cpp
// RUN: %clangxx_cprime -std=c++20 -fsyntax-only %t/main.cpp

//--- main.cpp
// A correct CPrime file.
#include <cprime/cprime.hpp>

int main() {
  cprime::channel<int> ch(1);
  spawn { ch.send(1); };
  return *co_await ch.recv();
}
// MAIN: main.cpp:2:1: error: CPrime needs C++20 or later; compile with -std=c++20
// MAIN-NEXT: #include <cprime/cprime.hpp>
// MAIN-NEXT: ^
// MAIN-NEXT: 1 error generated.

//--- pragma.cpp
#include <vector>
#pragma cprime
void f() { defer std::vector<int>(); }
// PRAGMA: pragma.cpp:2:1: error: CPrime needs C++20 or later
// PRAGMA-NOT: error:
// PRAGMA: 1 error generated.

//--- header.h
#pragma cprime
inline void g() { defer (void)0; }

//--- uses-header.cpp
#include "header.h"
int main() { g(); }
// HEADER: header.h:1:1: error: CPrime needs C++20 or later
// HEADER-NOT: error:
// HEADER: 1 error generated.

//--- plain.cpp
int spawn(int x) { return x; }
int main() { return spawn(0); }
