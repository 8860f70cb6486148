//===- LowerParallel.cpp - parallel { } → ::cprime::parallel([&](scope&) { }) ===//
//
// Contract (docs/lowering.md, "parallel"; runtime side:
// include/cprime/scope.hpp). Spawns directly inside the block were lowered
// onto the scope parameter `__cprime_scope` by LowerSpawn.
//   parallel { body }              ::cprime::parallel([&](CPRIME_DETAIL_NOSHADOW([[maybe_unused]] ::cprime::scope& __cprime_scope)) { body });
//   auto v = parallel { … };       auto v = ::cprime::parallel([&](…) { … });
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

void lowerParallel(const ParallelNode &N, const TokenBuffer &, Emitter &E) {
  E.replace(N.Keyword, {"::cprime::parallel([&](" + scopeParam(N.Scope) + ")"});
  E.insertAfter(N.Close, N.Expression ? ")" : ");", N.Keyword);
}

} // namespace cprime
