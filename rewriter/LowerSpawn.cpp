//===- LowerSpawn.cpp - spawn → ::cprime::spawn(::cprime::here(), …) ------===//
//
// Contract (docs/lowering.md, "spawn"; runtime side: include/cprime/task.hpp
// and scope.hpp). The head replaces the `spawn` keyword, so the callee and
// its arguments keep their place and a type error in `spawn f(x)` is
// reported on `f(x)`:
//   spawn f(a, b);     ::cprime::spawn_detached(::cprime::here(),
//                        [=]<class... __cprime_A>(__cprime_A&&... __cprime_a)
//                        mutable { return f(::std::forward<__cprime_A>(
//                        __cprime_a)...); }, a, b);
//   h = spawn f(a);    h = ::cprime::spawn(::cprime::here(), [=](…) …, a);
//   spawn make()(a);   ::cprime::spawn_detached(::cprime::here(), make(), a);
// A spawn that is a statement of its own drops its handle at once, so it
// lowers to spawn_detached (no task is allocated); one used as a value, or
// in a #define body (the macro's use decides), lowers to spawn, which
// returns the task<R>. Below, `spawn` stands for whichever applies.
//   spawn o.m(a);      ::cprime::spawn(::cprime::here(), [__cprime_self = o]
//                        <class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return
//                        __cprime_self.m(::std::forward<__cprime_A>(__cprime_a)...); }, a);
//   spawn { body }     ::cprime::spawn(::cprime::here(), [=]() mutable { body });
//   spawn [c] { body } ::cprime::spawn(::cprime::here(), [c]() mutable { body });
//   spawn [c] mutable { body }   (a lambda taking nothing: spawned as written)
//                      ::cprime::spawn(::cprime::here(), [c] mutable { body });
//   spawn with(o) f(a);  ::cprime::spawn_detached(::cprime::here(), o, [=]<…>(…) …, a);
// Directly inside parallel/timeout the callee is the scope's
// `__cprime_scope.spawn`, and a plain block captures by reference, except
// enclosing `for` loop variables, copied per iteration (`[&, i]() mutable`).
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

void lowerSpawn(const SpawnNode &N, const TokenBuffer &Toks, Emitter &E) {
  // A spawn in a #define body (not in a block of the same macro) cannot know
  // the block the macro is used in: `__cprime_scope` is looked up at the use,
  // the innermost block's scope or, outside any, the global fallback of
  // include/cprime/detail/unscoped.hpp.
  bool Macro = N.InDirective && N.Scope < 0;
  std::string Fn = N.Blocking >= 0                   ? "spawn_blocking"
                   : !N.Expression && !N.InDirective && N.Scope < 0 ? "spawn_detached"
                                                  : "spawn";
  std::string Head = N.Scope >= 0 || Macro ? scopeName(N.Scope) + "." + Fn + "("
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
  // Where `this` exists, C++20 deprecates capturing it through `[=]`: it is
  // captured explicitly, and used once so that an unused capture does not
  // warn either.
  bool ByReference = N.Scope >= 0 && N.InScopeFrame;
  bool This = N.HasThis && !ByReference;
  // The separator between the callee and its arguments: none for `f()`, and
  // `__VA_OPT__(, )` when a macro's arguments are all `__VA_ARGS__`, which
  // may be empty: `#define GO(f, ...) spawn f(__VA_ARGS__)`.
  std::string Sep = N.CallOpen + 1 == N.CallClose ? ""
                    : N.CallOpen + 2 == N.CallClose &&
                            Toks.isWord(N.CallOpen + 1, "__VA_ARGS__")
                        ? " __VA_OPT__(, ) "
                        : ", ";

  // One rule for every call whose callee is not already a value: the call
  // is made, as written, from a lambda that takes the decay-copied arguments
  // and holds what the callee needs, evaluated at the spawn as Go's
  // `go f(x)` does. A name (`f`, `ns::f<T>`, `S::st`, a local function
  // pointer or functor) is looked up in the lambda, so an overload set or a
  // function template is resolved against the copied arguments (a name
  // cannot be passed as a value); a local variable it names is copied by the
  // capture-default, and `this` is captured where an implicit member call
  // may need it. A member call `o.m(x)` / `p->m(x)` copies its receiver into
  // `__cprime_self`. Any other callee (`[](int) {…}(x)`, `make()(x)`) is a
  // value and is passed as it is.
  auto Forward = std::string("(::std::forward<__cprime_A>(__cprime_a)"
                             "...); }") + Sep;
  switch (N.Form) {
  case SpawnNode::Call:
    if (N.BareName) {
      std::string Caps = N.HasThis ? "[=, this]" : N.Local ? "[=]" : "[]";
      E.replace(N.Keyword,
                H(Caps + "<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { " +
                  (N.HasThis ? "(void)this; " : "") + "return "));
      E.replace(N.CallOpen, {Forward});
      break;
    }
    E.replace(N.Keyword, H(""));
    E.replace(N.CallOpen, {Sep});
    break;
  case SpawnNode::MemberCall:
    E.replace(N.Keyword, H("[__cprime_self = "));
    E.replace(N.MemberOp,
              {std::string("]<class... __cprime_A>(__cprime_A&&... __cprime_a) mutable { return "
                           "__cprime_self") +
               std::string(Toks.text(N.MemberOp))});
    E.replace(N.CallOpen, {Forward});
    break;
  case SpawnNode::Block: {
    std::string Caps = ByReference ? "[&]() "
                       : This      ? "[=, this]() mutable "
                                   : "[=]() mutable ";
    if (ByReference && !N.LoopCopies.empty()) {
      Caps = "[&";
      for (const std::string &Name : N.LoopCopies)
        Caps += ", " + Name;
      Caps += "]() mutable ";
    }
    E.replace(N.Keyword, H(Caps));
    if (This)
      E.insertAfter(N.BodyOpen, " (void)this;", N.Keyword);
    E.insertAfter(N.BodyClose, Tail, N.Keyword);
    break;
  }
  case SpawnNode::Lambda:
    E.replace(N.Keyword, H(""));
    E.insertAfter(N.BodyClose, Tail, N.Keyword);
    break;
  case SpawnNode::CapturedBlock:
    E.replace(N.Keyword, H(""));
    E.insertBefore(N.BodyOpen, "() mutable ", N.Keyword);
    E.dropGap(N.BodyOpen);
    E.insertAfter(N.BodyClose, Tail, N.Keyword);
    break;
  }
}

} // namespace cprime
