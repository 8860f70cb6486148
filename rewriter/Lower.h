//===- Lower.h - one lowering per construct ---------------------*- C++ -*-===//
//
// Each Lower<Construct>.cpp turns one kind of node into Emitter edits that
// spell the construct as plain calls on the runtime API. The calls and their
// shapes are the compiler–runtime contract of docs/lowering.md: a change here
// must be made in include/cprime/ and in that page in the same commit.
//
// Every lowering puts its head where the keyword stood and its tail after the
// user's last token, so the user's own tokens keep their lines and order.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_REWRITER_LOWER_H
#define CPRIME_REWRITER_LOWER_H

#include "Emitter.h"
#include "Parser.h"

#include <string>

namespace cprime {

void lowerSpawn(const SpawnNode &N, const TokenBuffer &Toks, Emitter &E);
void lowerAwait(const AwaitNode &N, const TokenBuffer &Toks, Emitter &E);
void lowerSelect(const SelectNode &N, const TokenBuffer &Toks, Emitter &E);
void lowerParallel(const ParallelNode &N, const TokenBuffer &Toks, Emitter &E);
void lowerDefer(const DeferNode &N, const TokenBuffer &Toks, Emitter &E);
void lowerTimeout(const TimeoutNode &N, const TokenBuffer &Toks, Emitter &E);

/// scopeName is the parameter of a parallel/timeout block's lambda. It is
/// one name for every block, so that C++ lookup finds the innermost block's
/// scope: a `spawn` from a macro body relies on it (docs/lowering.md).
inline std::string scopeName(unsigned) { return "__cprime_scope"; }

/// scopeParam declares that parameter. CPRIME_DETAIL_NOSHADOW
/// (include/cprime/detail/unscoped.hpp) keeps -Wshadow quiet about the outer
/// block's parameter that a nested block's one shadows.
inline std::string scopeParam(unsigned Scope) {
  return "CPRIME_DETAIL_NOSHADOW([[maybe_unused]] ::cprime::scope& " +
         scopeName(Scope) + ")";
}

} // namespace cprime

#endif
