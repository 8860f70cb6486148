// Keywords count where they appear literally in an enabled file, a #define
// body included; a keyword produced by macro expansion is not seen.
// RUN: %cprime-rewrite %s | awk '{print NR ":" $0}' | FileCheck %s
#include <cprime/cprime.hpp>

#define GO(f) spawn f()
// CHECK: {{^}}[[@LINE-1]]:#define GO(f) ::cprime::spawn(::cprime::here(), f)
#define CLEANUP defer { \
    release(); \
  }
// CHECK: {{^}}[[@LINE-3]]:#define CLEANUP auto __cprime_defer1 = ::cprime::defer([&]() { \
// CHECK: {{^}}[[@LINE-3]]:    release(); \
// CHECK: {{^}}[[@LINE-3]]:  });
#define KW spawn
void f() {
  KW work();
// CHECK: {{^}}[[@LINE-1]]:  KW work();
}
