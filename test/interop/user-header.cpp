// An enabled user header is rewritten when included; a plain one is not.
// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
#include "Inputs/enabled.h"
#include "Inputs/plain.h"

int main() {
  std::printf("%d %d\n", header_defer(3), plain_helper(5));
  // CHECK: 8 1
}
