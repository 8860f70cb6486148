// -fixit (a cc1 option) saves Clang's fix-its into the files it compiled:
// for an enabled file that would be the rewritten C++, so the plugin
// refuses with one error and the file is left as the user wrote it. A file
// that does not opt in is fixed as without the plugin.
// RUN: rm -rf %t && split-file %s %t
// RUN: cp %t/enabled.cpp %t/enabled.orig
// RUN: not %clangxx_cprime -fsyntax-only -fno-color-diagnostics -Xclang -fixit %t/enabled.cpp 2>&1 | FileCheck %s
// RUN: diff %t/enabled.orig %t/enabled.cpp
// RUN: not %clangxx_cprime -fsyntax-only -Xclang -fixit %t/plain.cpp
// RUN: FileCheck --check-prefix=PLAIN --input-file=%t/plain.cpp %s

// CHECK: enabled.cpp:1:1: error: CPrime cannot apply fix-its to an enabled file (-fixit would save the rewritten C++ over it); use -fdiagnostics-parseable-fixits, whose edits are on your text
// CHECK: 1 error generated.
// PLAIN: int x = 1;

//--- enabled.cpp
#include <cprime/cprime.hpp>
void f() {
  spawn { int x = 1 }
}
//--- plain.cpp
void f() {
  int x = 1
}
