// RUN: %clangxx_cprime %S/../../../examples/shared_channel_workers.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/shared_channel_workers.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: 300 items sent by 3 producers
// CHECK-NEXT: 300 received, 300 exactly once, by 4 consumers
