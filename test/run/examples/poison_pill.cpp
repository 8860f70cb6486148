// RUN: %clangxx_cprime %S/../../../examples/poison_pill.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/poison_pill.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: processed 30 jobs, sum 465
// CHECK-NEXT: 3 of 3 workers took a pill and stopped
