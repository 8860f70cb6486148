// A file that does not opt in is compiled byte for byte as without the
// plugin: the same AST, the same object file, even with CPrime-like names.
// RUN: %clangxx -fsyntax-only -Xclang -ast-dump %s | sed -e 's/0x[0-9a-f]*//g' > %t.plain
// RUN: %clangxx_cprime -fsyntax-only -Xclang -ast-dump %s | sed -e 's/0x[0-9a-f]*//g' > %t.plugin
// RUN: diff %t.plain %t.plugin
// RUN: %clangxx -c -g %s -o %t.plain.o
// RUN: %clangxx_cprime -c -g %s -o %t.plugin.o
// RUN: cmp %t.plain.o %t.plugin.o
// RUN: %cprime-rewrite %s | diff %s -
//
// Mentions that do not opt in: // #include <cprime/cprime.hpp>
#include <cstdio>
#include "Inputs/plain.h"

int spawn(int x) { return x + 1; }
struct defer { int timeout = 0; };
int parallel = 3;

int main() {
  defer d;
  int select = spawn(parallel);
  std::printf("%d %d\n", select, d.timeout);
  return plain_helper(select);
}
