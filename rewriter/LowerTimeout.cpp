//===- LowerTimeout.cpp - timeout (d) { } else { } → ::cprime::timeout(d, …) ===//
//
// Contract (docs/lowering.md, "timeout"; runtime side:
// include/cprime/scope.hpp). cprime::timeout returns true when the deadline
// passed, which selects the else branch:
//   timeout (d) { body } else { alt }
//   if (::cprime::timeout (d, [&](CPRIME_DETAIL_NOSHADOW([[maybe_unused]] ::cprime::scope& __cprime_scope)) { body })) { alt }
//   timeout (d) { body }
//   ::cprime::timeout (d, [&](CPRIME_DETAIL_NOSHADOW([[maybe_unused]] ::cprime::scope& __cprime_scope)) { body });
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

void lowerTimeout(const TimeoutNode &N, const TokenBuffer &, Emitter &E) {
  bool HasElse = N.Else >= 0;
  E.replace(N.Keyword,
            {HasElse ? "if (::cprime::timeout" : "::cprime::timeout"});
  E.replace(N.DurationClose,
            {", [&](" + scopeParam(N.Scope) + ")"});
  E.insertAfter(N.Close, HasElse ? "))" : ");", N.Keyword);
  if (HasElse) {
    E.remove(N.Else);
    E.dropGap(N.Else);
  }
}

} // namespace cprime
