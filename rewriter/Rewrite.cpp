//===- Rewrite.cpp - the rewriter's one entry point -----------------------===//

#include "Rewrite.h"

#include "Emitter.h"
#include "Lower.h"
#include "Parser.h"
#include "Scanner.h"

#include <algorithm>

namespace cprime {

llvm::StringRef diagMessage(DiagID ID) {
  switch (ID) {
#define CPRIME_DIAG(Name, Message)                                             \
  case DiagID::Name:                                                           \
    return Message;
#include "Diagnostics.def"
  }
  return "unknown CPrime diagnostic";
}

RewriteResult rewrite(llvm::StringRef Source, bool Force) {
  RewriteResult Result;
  if (!Force && !isCPrimeEnabled(Source))
    return Result;
  Result.Enabled = true;

  TokenBuffer Toks(Source);
  ParseResult Nodes = parse(Toks, Result.Diags);
  if (!Result.Diags.empty()) {
    Result.Text = Source.str();
    std::sort(Result.Diags.begin(), Result.Diags.end(),
              [](const Diagnostic &A, const Diagnostic &B) {
                return A.Offset != B.Offset ? A.Offset < B.Offset
                                            : A.ID < B.ID;
              });
    return Result;
  }

  Emitter E(Toks);
  for (const SelectNode &N : Nodes.Selects)
    lowerSelect(N, Toks, E);
  for (const TimeoutNode &N : Nodes.Timeouts)
    lowerTimeout(N, Toks, E);
  for (const ParallelNode &N : Nodes.Parallels)
    lowerParallel(N, Toks, E);
  for (const DeferNode &N : Nodes.Defers)
    lowerDefer(N, Toks, E);
  for (const SpawnNode &N : Nodes.Spawns)
    lowerSpawn(N, Toks, E);
  for (const AwaitNode &N : Nodes.Awaits)
    lowerAwait(N, Toks, E);
  Result.Text = E.render();

  if (std::count(Result.Text.begin(), Result.Text.end(), '\n') !=
      std::count(Source.begin(), Source.end(), '\n')) {
    Result.Text = Source.str();
    Result.Diags.push_back({DiagID::InternalLineCount, 0});
  }
  return Result;
}

} // namespace cprime
