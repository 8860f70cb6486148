// --help lists cprime-rewrite's own options and LLVM's generic three only;
// --version prints CPrime's version.
// RUN: %cprime-rewrite --help | FileCheck %s
// RUN: %cprime-rewrite --help | FileCheck %s --check-prefix=NOISE
// RUN: %cprime-rewrite --version | FileCheck %s --check-prefix=VERSION
// CHECK: USAGE: cprime-rewrite [options] <file | ->
// CHECK: cprime-rewrite options:
// CHECK: --force
// CHECK: --line-markers
// CHECK: -o <file>
// NOISE-NOT: --color
// NOISE-NOT: --x86
// NOISE-NOT: --debug
// NOISE-NOT: --print-
// NOISE-NOT: --stats
// NOISE-NOT: --rng-seed
// VERSION: cprime-rewrite (CPrime) {{[0-9]+\.[0-9]+\.[0-9]+$}}
// VERSION-NOT: LLVM
