// Under AddressSanitizer the examples that throw across coroutines (errors
// rethrown by task_group, cancellation unwinding parked coroutines, timeouts)
// print nothing from ASan: no "ignoring requested __asan_handle_no_return"
// warning (each fiber switch tells ASan the stack it lands on), no report.
// Runs only in ASan builds: what it asserts is ASan's silence.
// REQUIRES: asan
// RUN: %clangxx_cprime %S/../../examples/task_group_errors.cpp %cprime_rt -o %t.tge
// RUN: env CPRIME_WORKERS=1 %t.tge 2>&1 | FileCheck %s --check-prefix=TGE --implicit-check-not=handle_no_return --implicit-check-not=AddressSanitizer
// RUN: env CPRIME_WORKERS=4 %t.tge 2>&1 | FileCheck %s --check-prefix=TGE --implicit-check-not=handle_no_return --implicit-check-not=AddressSanitizer
// RUN: %clangxx_cprime %S/../../examples/timeout_parallel.cpp %cprime_rt -o %t.tp
// RUN: env CPRIME_WORKERS=1 %t.tp 2>&1 | FileCheck %s --check-prefix=ANY --implicit-check-not=handle_no_return --implicit-check-not=AddressSanitizer
// RUN: env CPRIME_WORKERS=4 %t.tp 2>&1 | FileCheck %s --check-prefix=ANY --implicit-check-not=handle_no_return --implicit-check-not=AddressSanitizer
// RUN: %clangxx_cprime %S/../../examples/load_shedding.cpp %cprime_rt -o %t.ls
// RUN: env CPRIME_WORKERS=2 %t.ls 2>&1 | FileCheck %s --check-prefix=ANY --implicit-check-not=handle_no_return --implicit-check-not=AddressSanitizer
// TGE: first error: cannot fetch bad://
// ANY: {{.}}
