// A spawn in a macro body whose form the rewriter cannot see, or whose
// meaning would depend on the block of the macro's use, is an error at the
// #define (docs/spawn.md, "spawn in a macro"), never a different lowering.
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
// RUN: not %clangxx_cprime -fsyntax-only %s 2>&1 | FileCheck %s
#pragma cprime

#define GO spawn // expected-error {{'spawn' at the end of a macro body has no operand; spell the call or block in the macro: 'spawn f(args)' or 'spawn { ... }'}}
// CHECK: macros.cpp:[[@LINE-1]]:12: error: 'spawn' at the end of a macro body has no operand
#define TRACE_SPAWN(call) do { trace(#call); spawn call; } while (0) // expected-error {{the operand of 'spawn' in a macro body cannot be a whole macro parameter; spell the call in the macro: 'spawn f(__VA_ARGS__)'}}
// CHECK: macros.cpp:[[@LINE-1]]:52: error: the operand of 'spawn' in a macro body cannot be a whole macro parameter
#define BG(x) spawn { use(x); } // expected-error {{a 'spawn' block in a macro body must write its captures ('spawn [=] { ... }' or 'spawn [&] { ... }'): the block of the macro's use would decide between copy and reference}}
// CHECK: macros.cpp:[[@LINE-1]]:21: error: a 'spawn' block in a macro body must write its captures

// Accepted: the call or captures spelled in the macro.
#define TRACE_SPAWN2(f, ...) do { trace(#f); spawn f(__VA_ARGS__); } while (0)
#define BG2(x) spawn [=] { use(x); }
#define PAR(x) parallel { spawn { use(x); } }
