// No false positives: the examples (also examples/consumers/), the
// benchmarks (bench/, bench/compile/), the run tests
// (test/run/**), the interop tests and every runtime header (public and
// detail) compile with no hazard-check diagnostic (each check made an
// error). The driver fails when a set is missing or has shrunk.
// RUN: %python %S/Inputs/no_warnings.py --clangxx "%clangxx" --plugin %cprime_plugin --repo %repo --work %t | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: ok all_headers.cpp
// CHECK: ok examples/consumers/app.cpp
// CHECK: ok examples/hello.cpp
// CHECK: ok bench/spawn.cpp
// CHECK: ok test/run/spawn/forms.cpp
// CHECK: files, 0 with check diagnostics
