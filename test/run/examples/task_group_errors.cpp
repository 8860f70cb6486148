// RUN: %clangxx_cprime %S/../../../examples/task_group_errors.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/task_group_errors.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: first error: cannot fetch bad://
// CHECK-NEXT: 2 fetched, 2 cancelled
// CHECK-NEXT: after cancel_remaining: 5 cancelled in all
