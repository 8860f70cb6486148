// No false positives: the examples, the benchmarks, the run tests, the
// interop tests and the runtime's headers compile with no hazard-check
// diagnostic (each check made an error).
// RUN: %python %S/Inputs/no_warnings.py --clangxx "%clangxx" --plugin %cprime_plugin --repo %repo --work %t | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: ok all_headers.cpp
// CHECK: ok examples/hello.cpp
// CHECK: ok bench/spawn.cpp
// CHECK: ok test/run/spawn/forms.cpp
// CHECK: files, 0 with check diagnostics
