//===- LowerAwait.cpp - co_await X → ::cprime::await(X) -------------------===//
//
// Contract (docs/lowering.md, "co_await"; runtime side: cprime::await in
// include/cprime/detail/op.hpp). Only outside native C++20 coroutines: the
// Parser leaves functions whose body has co_return/co_yield alone. X is the
// unary-expression after the keyword, so `(co_await c.send(v)).is_err()`
// becomes `(::cprime::await(c.send(v))).is_err()`.
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

void lowerAwait(const AwaitNode &N, const TokenBuffer &, Emitter &E) {
  E.replace(N.Keyword, {"::cprime::await("});
  E.dropGap(N.Keyword + 1);
  E.insertAfter(N.OperandLast, ")", N.Keyword);
}

} // namespace cprime
