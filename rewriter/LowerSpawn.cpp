//===- LowerSpawn.cpp - spawn → ::cprime::spawn(::cprime::here(), …) ------===//
//
// Contract (docs/lowering.md, "spawn"; runtime side: include/cprime/task.hpp
// and scope.hpp). The head replaces the `spawn` keyword, so the callee and
// its arguments keep their place and a type error in `spawn f(x)` is
// reported on `f(x)`:
//   spawn f(a, b);     ::cprime::spawn_detached(::cprime::here(), f, a, b);
//   h = spawn f(a);    h = ::cprime::spawn(::cprime::here(), f, a);
// A spawn that is a statement of its own drops its handle at once, so it
// lowers to spawn_detached (no task is allocated); one used as a value, or
// in a #define body (the macro's use decides), lowers to spawn, which
// returns the task<R>. Below, `spawn` stands for whichever applies.
//   spawn o.m(a);      ::cprime::spawn(::cprime::here(), [__cprime_self = o]
//                        (auto&&... __cprime_a) mutable { return
//                        __cprime_self.m(::std::forward<…>(__cprime_a)...); }, a);
//   spawn { body }     ::cprime::spawn(::cprime::here(), [=]() mutable { body });
//   spawn [c] { body } ::cprime::spawn(::cprime::here(), [c]() mutable { body });
//   spawn with(o) f(a);  ::cprime::spawn_detached(::cprime::here(), o, f, a);
// Directly inside parallel/timeout the callee is the scope's
// `__cprime_scopeN.spawn`, and a plain block captures by reference, except
// enclosing `for` loop variables, copied per iteration (`[&, i]() mutable`).
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

void lowerSpawn(const SpawnNode &N, const TokenBuffer &Toks, Emitter &E) {
  std::string Fn = N.Blocking >= 0                   ? "spawn_blocking"
                   : !N.Expression && !N.InDirective && N.Scope < 0 ? "spawn_detached"
                                                  : "spawn";
  std::string Head = N.Scope >= 0 ? scopeName(N.Scope) + "." + Fn + "("
                                  : "::cprime::" + Fn + "(";
  Head += "::cprime::here(), ";
  if (N.Blocking >= 0) {
    E.remove(N.Blocking);
    E.dropGap(N.Blocking);
  }
  E.dropGap((N.Blocking >= 0 ? N.Blocking : N.Keyword) + 1);
  // `with(opts)`: opts move to the head, as the argument after the site.
  auto H = [&](std::string Rest) -> std::vector<Piece> {
    if (N.With < 0)
      return {Head + Rest};
    return {Head, Piece::tokens(N.With + 2, Toks[N.With + 1].Match - 1), ", " + Rest};
  };
  if (N.With >= 0) {
    int Close = Toks[N.With + 1].Match;
    E.move(N.With + 2, Close - 1);
    E.remove(N.With);
    E.remove(N.With + 1);
    E.remove(Close);
    E.dropGap(Close + 1);
  }
  const char *Tail = N.Expression ? ")" : ");";

  switch (N.Form) {
  case SpawnNode::Call:
    E.replace(N.Keyword, H(""));
    E.replace(N.CallOpen, {N.CallOpen + 1 == N.CallClose ? "" : ", "});
    break;
  case SpawnNode::MemberCall:
    E.replace(N.Keyword, H("[__cprime_self = "));
    E.replace(N.MemberOp,
              {std::string("](auto&&... __cprime_a) mutable { return "
                           "__cprime_self") +
               std::string(Toks.text(N.MemberOp))});
    E.replace(N.CallOpen,
              {std::string("(::std::forward<decltype(__cprime_a)>(__cprime_a)"
                           "...); }") +
               (N.CallOpen + 1 == N.CallClose ? "" : ", ")});
    break;
  case SpawnNode::Block: {
    std::string Caps = N.Scope >= 0 ? "[&]() " : "[=]() mutable ";
    if (N.Scope >= 0 && !N.LoopCopies.empty()) {
      Caps = "[&";
      for (const std::string &Name : N.LoopCopies)
        Caps += ", " + Name;
      Caps += "]() mutable ";
    }
    E.replace(N.Keyword, H(Caps));
    E.insertAfter(N.BodyClose, Tail, N.Keyword);
    break;
  }
  case SpawnNode::CapturedBlock:
    E.replace(N.Keyword, H(""));
    E.insertBefore(N.BodyOpen, "() mutable ", N.Keyword);
    E.dropGap(N.BodyOpen);
    E.insertAfter(N.BodyClose, Tail, N.Keyword);
    break;
  }
}

} // namespace cprime
