//===- Rewrite.h - the rewriter's one entry point ---------------*- C++ -*-===//
//
// rewrite() is the whole pipeline: opt-in check, Scanner, Parser, Lower*,
// Emitter. The Clang plugin and cprime-rewrite both call it and nothing else,
// so they share every line of rewriting code.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_REWRITER_REWRITE_H
#define CPRIME_REWRITER_REWRITE_H

#include "Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace cprime {

struct RewriteResult {
  /// The file opts in (SPEC §2). When false nothing else is set.
  bool Enabled = false;
  /// The rewritten text; the same number of lines as the input. Equal to
  /// the input when there are diagnostics.
  std::string Text;
  /// Errors at byte offsets of the input.
  DiagnosticList Diags;
};

/// rewrite returns the rewritten form of \p Source. With \p Force it skips
/// the opt-in check (cprime-rewrite --force, the fuzzer).
RewriteResult rewrite(llvm::StringRef Source, bool Force = false);

} // namespace cprime

#endif
