// RUN: %clangxx_cprime %S/../../../examples/pipeline.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/pipeline.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: odd squares: 1 9 25 49 81
