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
#include "Skim.h"

#include <algorithm>

using namespace clang;

namespace cprime {

namespace {

// The loop variables a spawned block copies (the by-reference default
// captures everything else): the one input of the capture policy below
// that the tokens decide.
struct LoopVariables : Skim {
  using Skim::Skim;
  std::vector<std::string> loopCopies(int ScopeOpen, int Spawn, int BodyOpen,
                                      int BodyClose) const;
  void loopNames(int B, int E, std::vector<std::string> &Names) const;
};

// A spawn block directly inside parallel/timeout captures by reference, but
// the variables declared by the headers of the `for` loops around it (within
// the block) by copy, as Go 1.22 gives each iteration its own variable:
// `for (int i = 0; i < n; ++i) spawn { use(i); }` must not share one `i`.
// Reference declarations (`for (auto& x : v)`) stay by reference. Only names
// the body mentions are listed, so -Wunused-lambda-capture stays quiet.
std::vector<std::string> LoopVariables::loopCopies(int ScopeOpen, int Spawn,
                                            int BodyOpen,
                                            int BodyClose) const {
  std::vector<std::string> Declared, Used;
  int ScopeClose = T[ScopeOpen].Match;
  for (int F = ScopeOpen + 1; F < Spawn; ++F) {
    if (!T.isWord(F, "for") || !T.is(F + 1, tok::l_paren) ||
        !matched(F + 1, Spawn))
      continue;
    int Last = skipStatement(T[F + 1].Match + 1, ScopeClose, 0);
    if (Last >= Spawn)
      loopNames(F + 2, T[F + 1].Match, Declared);
  }
  for (const std::string &D : Declared) {
    bool Seen = false;
    for (int P = BodyOpen + 1; P < BodyClose && !Seen; ++P)
      Seen = T.isWord(P, D) && !T.is(P - 1, tok::period) &&
             !T.is(P - 1, tok::arrow) && !T.is(P - 1, tok::coloncolon);
    if (Seen && std::find(Used.begin(), Used.end(), D) == Used.end())
      Used.push_back(D);
  }
  return Used;
}

// loopNames adds the non-reference variables a `for` header [B, E) declares:
// `T x : r`, `auto [a, b] : r`, `T i = 0, j = 1; …`.
void LoopVariables::loopNames(int B, int E, std::vector<std::string> &Names) const {
  int Colon = -1, Semi = -1;
  for (int P = B; P < E && Colon < 0 && Semi < 0; ++P) {
    if (T.isOpen(P) && T[P].Match > P) {
      P = T[P].Match;
      continue;
    }
    if (T.is(P, tok::colon))
      Colon = P;
    else if (T.is(P, tok::semi))
      Semi = P;
  }
  auto IsRef = [&](int P) { return T.is(P, tok::amp) || T.is(P, tok::ampamp); };
  if (Colon >= 0) {
    for (int P = B; P < Colon; ++P)
      if (IsRef(P))
        return;
    int Bracket = -1;
    for (int P = B; P < Colon; ++P)
      if (T.is(P, tok::l_square))
        Bracket = P;
    if (Bracket >= 0 && T[Bracket].Match > Bracket) {
      for (int P = Bracket + 1; P < T[Bracket].Match; ++P)
        if (T.isIdent(P))
          Names.push_back(T.text(P).str());
    } else if (Colon > B + 1 && T.isIdent(Colon - 1)) {
      Names.push_back(T.text(Colon - 1).str());
    }
    return;
  }
  if (Semi < 0)
    return;
  // Declarators separated by top-level commas (angle brackets counted, so
  // `std::map<int, int> m` is one piece).
  int PieceBegin = B, Angle = 0;
  for (int P = B; P <= Semi; ++P) {
    if (P < Semi && T.isOpen(P) && T[P].Match > P) {
      P = T[P].Match;
      continue;
    }
    if (T.is(P, tok::less))
      ++Angle;
    else if (T.is(P, tok::greater) && Angle > 0)
      --Angle;
    if (P < Semi && !(T.is(P, tok::comma) && Angle == 0))
      continue;
    int End = PieceBegin;
    while (End < P && !T.is(End, tok::equal) && !T.is(End, tok::l_brace) &&
           !T.is(End, tok::l_paren))
      ++End;
    int Name = End - 1;
    bool First = PieceBegin == B;
    if (Name >= PieceBegin && T.isIdent(Name)) {
      int Before = Name - 1;
      bool Decl = First ? Before >= PieceBegin &&
                              (T.isIdent(Before) || T.is(Before, tok::greater) ||
                               T.is(Before, tok::star))
                        : Before < PieceBegin || T.is(Before, tok::star);
      if (Decl)
        Names.push_back(T.text(Name).str());
      else if (First)
        return; // `i = 0`: an expression, not a declaration.
    } else if (First) {
      return;
    }
    PieceBegin = P + 1;
  }
}

} // namespace

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
    std::vector<std::string> Copies;
    if (ByReference)
      Copies = LoopVariables(Toks).loopCopies(N.ScopeOpen, N.Keyword,
                                              N.BodyOpen, N.BodyClose);
    if (!Copies.empty()) {
      Caps = "[&";
      for (const std::string &Name : Copies)
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
