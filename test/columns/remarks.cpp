// Backend remarks in an enabled file: on a line the rewrite left as it was
// the remark is Clang's own, flag value included; on a rewritten line it is
// at the user's column (the flag value is lost there: docs/design.md).
// RUN: %clangxx_cprime -O2 -c -o /dev/null -Rpass=inline -fno-color-diagnostics %s 2>&1 | FileCheck %s
#include <cprime/cprime.hpp>

static int twice(int x) { return x * 2; }
int plain(int y) { return twice(y); }
// CHECK-DAG: remarks.cpp:[[@LINE-1]]:27: remark: '_ZL5twicei' inlined into '_Z5plaini' {{.*}} [-Rpass=inline]
void deferred(int *out) { defer { *out = twice(*out); } }
// CHECK-DAG: remarks.cpp:[[@LINE-1]]:42: remark: '_ZL5twicei' inlined into {{.*}} [-Rpass]
