// RUN: %clangxx_cprime %S/../../../examples/timeout_parallel.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/timeout_parallel.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: deadline hit
// CHECK-NEXT: finished 1, cleaned up 2
// CHECK-NEXT: inner deadline hit first
// CHECK-NOT: not printed
