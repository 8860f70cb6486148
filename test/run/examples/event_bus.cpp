// RUN: %clangxx_cprime %S/../../../examples/event_bus.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/event_bus.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: audit saw login
// CHECK-NEXT: audit saw upload
// CHECK-NEXT: audit saw logout
// CHECK-NEXT: metrics saw login
// CHECK-NEXT: metrics saw upload
// CHECK-NEXT: metrics saw logout
// CHECK-NEXT: slow subscriber kept: 5 6 (dropped 4)
