// RUN: %clangxx_cprime %S/../../../examples/load_shedding.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/load_shedding.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: accepted 3: 0 1 2
// CHECK-NEXT: shed 7: 3 4 5 6 7 8 9
