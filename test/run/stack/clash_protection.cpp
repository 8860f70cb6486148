// An enabled file is compiled with stack clash protection; a file that does
// not opt in is compiled exactly as without the plugin.
// RUN: %clangxx_cprime -S -emit-llvm -o - %s | FileCheck %s --check-prefix=ON
// RUN: %clangxx_cprime -S -emit-llvm -o - -x c++ %S/Inputs/plain.cpp | FileCheck %s --check-prefix=OFF
#pragma cprime
#include <cstring>

int big(int i) {
  char buf[100000];
  std::memset(buf, i, sizeof buf);
  return buf[i];
}
// ON: define {{.*}}big{{.*}} #[[A:[0-9]+]]
// ON: attributes #[[A]] = {{.*}}"probe-stack"="inline-asm"
// OFF: define {{.*}}big{{.*}}
// OFF-NOT: probe-stack
