// Other diagnostic formats see the same mapped locations: MSVC-style
// locations, machine-readable fix-its (edits to the user's text, at its
// columns, including one that ends where inserted text began) and SARIF.
// RUN: %clangxx_cprime -fsyntax-only -Wall -fno-color-diagnostics -fdiagnostics-format=msvc %s 2>&1 \
// RUN:   | FileCheck --check-prefix=MSVC %s
// RUN: %clangxx_cprime -fsyntax-only -Wall -fno-color-diagnostics -fdiagnostics-parseable-fixits %s 2>&1 \
// RUN:   | FileCheck --check-prefix=FIXIT %s
// RUN: %clangxx_cprime -fsyntax-only -Wall -fdiagnostics-format=sarif -Wno-sarif-format-unstable %s 2>&1 \
// RUN:   | FileCheck --check-prefix=SARIF %s
#include <cprime/cprime.hpp>

void take(int);

void f(cprime::channel<int> ch) {
  int x = 0;
  spawn { int unused = 1; }
// MSVC: formats.cpp([[@LINE-1]],15): warning: unused variable 'unused' [-Wunused-variable]
  if (x = *co_await ch.recv()) take(x);
// MSVC: formats.cpp([[@LINE-1]],9): warning: using the result of an assignment as a condition without parentheses [-Wparentheses]
// FIXIT: fix-it:"{{.*}}formats.cpp":{[[@LINE-2]]:7-[[@LINE-2]]:7}:"("
// FIXIT-NEXT: fix-it:"{{.*}}formats.cpp":{[[@LINE-3]]:30-[[@LINE-3]]:30}:")"
// FIXIT: fix-it:"{{.*}}formats.cpp":{[[@LINE-4]]:9-[[@LINE-4]]:10}:"=="
}
// SARIF: "region":{"endColumn":21,"endLine":16,"startColumn":15,"startLine":16}
// SARIF: "message":{"text":"unused variable 'unused'"}
