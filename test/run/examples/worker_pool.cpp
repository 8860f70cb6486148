// RUN: %clangxx_cprime %S/../../../examples/worker_pool.cpp %cprime_rt -o %t && %t | FileCheck %s
// The example examples/worker_pool.cpp, compiled through the plugin; its output is
// deterministic at any worker count.
// CHECK: job  0 fib(20) = 6765
// CHECK-NEXT: job  1 fib(21) = 10946
// CHECK-NEXT: job  2 fib(22) = 17711
// CHECK-NEXT: job  3 fib(23) = 28657
// CHECK-NEXT: job  4 fib(24) = 46368
// CHECK-NEXT: job  5 fib(20) = 6765
// CHECK-NEXT: job  6 fib(21) = 10946
// CHECK-NEXT: job  7 fib(22) = 17711
// CHECK-NEXT: job  8 fib(23) = 28657
// CHECK-NEXT: job  9 fib(24) = 46368
// CHECK-NEXT: job 10 fib(20) = 6765
// CHECK-NEXT: job 11 fib(21) = 10946
// CHECK-NEXT: 12 jobs done by 4 workers
