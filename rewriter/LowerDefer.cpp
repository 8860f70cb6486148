//===- LowerDefer.cpp - defer stmt → auto __cprime_deferN = ::cprime::defer(…) ===//
//
// Contract (docs/lowering.md, "defer"; runtime side: include/cprime/defer.hpp).
// The guard is a local of the enclosing block, so the statement runs at that
// block's exit, in reverse order of declaration, capturing by reference:
//   defer close(f);     auto __cprime_defer1 = ::cprime::defer([&]() { close(f); });
//   defer { … }         auto __cprime_defer2 = ::cprime::defer([&]() { … });
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

void lowerDefer(const DeferNode &N, const TokenBuffer &, Emitter &E) {
  std::string Head = "auto __cprime_defer" + std::to_string(N.Number) +
                     " = ::cprime::defer([&]()";
  if (N.Block) {
    E.replace(N.Keyword, {Head});
    E.insertAfter(N.Last, ");", N.Keyword);
  } else {
    E.replace(N.Keyword, {Head + " {"});
    E.insertAfter(N.Last, " });", N.Keyword);
  }
}

} // namespace cprime
