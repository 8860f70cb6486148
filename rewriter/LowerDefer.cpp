//===- LowerDefer.cpp - defer stmt → auto __cprime_deferN = ::cprime::defer(…) ===//
//
// Contract (docs/lowering.md, "defer"; runtime side: include/cprime/defer.hpp).
// The guard is a local of the enclosing block, so the statement runs at that
// block's exit, in reverse order of declaration, capturing by reference:
//   defer close(f);     auto __cprime_defer1 = ::cprime::defer([&]() { close(f); });
//   defer { … }         auto __cprime_defer2 = ::cprime::defer([&]() { … });
// In a #define body the name is CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__).
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

void lowerDefer(const DeferNode &N, const TokenBuffer &, Emitter &E) {
  // In a #define body the macro may be used twice in one block (a
  // SCOPE_EXIT-style macro): the guard gets a name per expansion from
  // __COUNTER__, pasted by CPRIME_DETAIL_CAT (include/cprime/defer.hpp).
  std::string Name =
      N.InDirective ? "CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__)"
                    : "__cprime_defer" + std::to_string(N.Number);
  std::string Head = "auto " + Name + " = ::cprime::defer([&]()";
  for (int A = N.AttrBegin; A >= 0 && A <= N.AttrEnd; ++A)
    E.remove(A);
  if (N.Block) {
    E.replace(N.Keyword, {Head});
    E.insertAfter(N.Last, ");", N.Keyword);
  } else {
    E.replace(N.Keyword, {Head + " {"});
    // `#define DEFER(x) defer x`: the statement's `;` comes from the use,
    // so the lambda gets its own and the guard's is left to the use.
    E.insertAfter(N.Last, N.OpenTail ? "; })" : " });", N.Keyword);
  }
}

} // namespace cprime
