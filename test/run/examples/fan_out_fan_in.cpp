// RUN: %clangxx_cprime %S/../../../examples/fan_out_fan_in.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/fan_out_fan_in.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: 8 partial sums merged
// CHECK-NEXT: sum of squares 1..10000 = 333383335000
