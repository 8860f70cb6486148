// --line-markers makes a piped compile name the user's file, on the user's
// lines; without it the output is the input line for line.
// RUN: %cprime-rewrite --line-markers %s | head -n 1 | FileCheck %s --check-prefix=MARK
// RUN: %cprime-rewrite --line-markers %s | not %clangxx -fsyntax-only -x c++ - 2>&1 | FileCheck %s
// RUN: %cprime-rewrite --line-markers %s | not g++ -std=c++20 -I%repo/include -fsyntax-only -x c++ - 2>&1 | FileCheck %s --check-prefix=GXX
// RUN: %cprime-rewrite --line-markers %s -o %t.cpp && not %clangxx -fsyntax-only %t.cpp 2>&1 | FileCheck %s
// RUN: %cprime-rewrite %s | not %clangxx -fsyntax-only -x c++ - 2>&1 | FileCheck %s --check-prefix=PLAIN
// RUN: %cprime-rewrite %s | wc -l > %t.rewritten-lines
// RUN: wc -l < %s > %t.input-lines
// RUN: diff %t.input-lines %t.rewritten-lines
// RUN: %cprime-rewrite --line-markers - < %s | head -n 1 | FileCheck %s --check-prefix=STDIN
#include <cprime/cprime.hpp>

int main() {
  cprime::channel<int> ch(1);
  // CHECK: {{.*}}line-markers.cpp:[[@LINE+4]]:{{[0-9]+}}: error: cannot initialize a variable of type 'int'
  // CHECK: {{.*}}line-markers.cpp:[[@LINE+6]]:{{[0-9]+}}: error: cannot initialize a variable of type 'int'
  // GXX: {{.*}}line-markers.cpp:[[@LINE+2]]:{{[0-9]+}}: error: invalid conversion from {{.*}}const char*{{.*}} to {{.*}}int
  // GXX: {{.*}}line-markers.cpp:[[@LINE+4]]:{{[0-9]+}}: error: invalid conversion from {{.*}}const char*{{.*}} to {{.*}}int
  spawn { int inside = "text"; };
  // PLAIN: <stdin>:[[@LINE-1]]:{{[0-9]+}}: error:
  select {
    int v = ch.recv() => { int arm = "arm"; (void)v; }
  }
}
// MARK: #line 1 "{{.*}}line-markers.cpp"
// STDIN-NOT: #line
