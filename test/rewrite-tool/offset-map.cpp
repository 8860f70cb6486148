// The rewriter's offset map (what cprime-clangd maps positions with) holds
// on every example and rewrite test: spans tile the output, verbatim spans
// are the input's bytes, every verbatim byte maps there and back and takes
// edits exactly, inserted text takes none, and a closer inserted after the
// user's code maps to its construct's keyword.
// RUN: python3 %S/verify_maps.py %cprime-rewrite %repo | FileCheck %s
// RUN: %cprime-rewrite --verify-offset-map %S/../interop/not-enabled.cpp | FileCheck %s --check-prefix=PLAIN
// CHECK-NOT: FAIL
// CHECK: ok examples/hello.cpp: offset map ok: {{.*}} {{[1-9][0-9]*}} closers at their keyword
// CHECK: ok test/rewrite/select/arms.cpp: offset map ok
// CHECK: {{[1-9][0-9]+}} files, 0 failed
// PLAIN: identity map
