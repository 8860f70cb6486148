//===- LowerSelect.cpp - select { arms } → cases, ::cprime::select, gotos ---===//
//
// Contract (docs/lowering.md, "select"; runtime side:
// include/cprime/select.hpp). Each arm's operand stays on its own line as a
// case object, declared in source order, so channels and values are
// evaluated once on entry and a C++ error in an operand is reported on the
// arm's line. The select call comes at the closing `}`, once every case
// exists, and jumps back to the arm that fired; the arm bodies stay on their
// lines and run in the enclosing scope, so break/continue/return act on the
// enclosing loop or function:
//   select {                       { {
//     int x = a.recv() => f(x);      ::cprime::typed_case __cprime_sel1_0(a.recv()); if (false) { __cprime_sel1_l0: int x = __cprime_sel1_0.take(); f(x); goto __cprime_sel1_end; }
//     default => {}                  if (false) { __cprime_sel1_ld: {} goto __cprime_sel1_end; }
//   }                              switch (::cprime::select(::cprime::with_default, __cprime_sel1_0)) { case 0: goto __cprime_sel1_l0; default: goto __cprime_sel1_ld; } } __cprime_sel1_end:; }
// The jump back leaves the scopes of the later arms' cases (they are
// destroyed: the select is over) and enters the fired arm's block at its
// start, bypassing no initialization. In a #define body the labels are GNU
// local labels (`__label__`), so the macro may be used twice in a function.
//
// An arm `_ = cprime::after(d) =>` (or `::cprime::after(d)`: the operand is
// exactly that call) becomes
// `::cprime::select_case N(::cprime::select_after(d))`: a deadline, no channel.
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

/// afterParen returns the `(` of an after arm's `cprime::after(…)` operand
/// when that call is the whole operand, else -1.
static int afterParen(const SelectArm &A, const TokenBuffer &T) {
  if (A.Kind != SelectArm::Discard)
    return -1;
  int I = A.OperandBegin;
  if (T.is(I, clang::tok::coloncolon))
    ++I;
  if (!T.isWord(I, "cprime") || !T.is(I + 1, clang::tok::coloncolon) ||
      !T.isWord(I + 2, "after") || !T.is(I + 3, clang::tok::l_paren))
    return -1;
  int Depth = 0;
  for (int J = I + 3; J <= A.OperandLast; ++J) {
    if (T.isOpen(J))
      ++Depth;
    else if (T.isClose(J) && --Depth == 0)
      return J == A.OperandLast && J > I + 4 ? I + 3 : -1;
  }
  return -1;
}

void lowerSelect(const SelectNode &N, const TokenBuffer &Toks, Emitter &E) {
  std::string Name = "__cprime_sel" + std::to_string(N.Number);
  auto CaseName = [&](const SelectArm &A) {
    return Name + "_" + std::to_string(A.Index);
  };
  auto Label = [&](const SelectArm &A) {
    return A.Kind == SelectArm::Default ? Name + "_ld"
                                        : Name + "_l" + std::to_string(A.Index);
  };
  std::string End = Name + "_end";

  std::string Head = "{ ";
  if (Toks[N.Keyword].InDirective) {
    Head += "__label__ ";
    for (const SelectArm &A : N.Arms)
      Head += Label(A) + ", ";
    Head += End + "; ";
  }
  E.replace(N.Keyword, {Head + "{"});
  E.remove(N.Open);
  E.dropGap(N.Open);

  std::string Cases, Dispatch;
  for (const SelectArm &A : N.Arms) {
    std::string Open = "if (false) { " + Label(A) + ":";
    if (A.Kind == SelectArm::Default) {
      E.replace(A.Begin, {Open});
      E.remove(A.Arrow);
      Dispatch += "default: goto " + Label(A) + "; ";
    } else {
      E.insertBefore(A.OperandBegin,
                     std::string(A.TypedCase ? "::cprime::typed_case "
                                             : "::cprime::select_case ") +
                         CaseName(A) + "(",
                     N.Keyword);
      E.dropGap(A.OperandBegin);
      if (int Paren = afterParen(A, Toks); Paren >= 0) {
        // `[::]cprime::after` → `::cprime::select_after`; `(d)` stays.
        for (int I = A.OperandBegin; I < Paren - 1; ++I) {
          E.remove(I);
          E.dropGap(I + 1);
        }
        E.replace(Paren - 1, {"::cprime::select_after"});
      }
      std::vector<Piece> Arrow{"); " + Open};
      std::string Take = " " + CaseName(A) + ".take();";
      switch (A.Kind) {
      case SelectArm::Decl:
      case SelectArm::Name: // `x = …`: a name only, declared `auto`
        E.move(A.Begin, A.Equal);
        Arrow.emplace_back(A.Kind == SelectArm::Name ? " auto " : " ");
        Arrow.push_back(Piece::tokens(A.Begin, A.Equal));
        Arrow.emplace_back(Take);
        break;
      case SelectArm::Discard:
        E.remove(A.Begin);
        E.remove(A.Equal);
        E.dropGap(A.Equal);
        break;
      default:
        break;
      }
      E.replace(A.Arrow, std::move(Arrow));
      Cases += ", " + CaseName(A);
      Dispatch += "case " + std::to_string(A.Index) + ": goto " + Label(A) +
                  "; ";
    }
    E.dropGap(A.Arrow);
    E.remove(A.Arrow + 1);
    E.insertAfter(A.BodyLast, " goto " + End + "; }", N.Keyword);
  }
  E.insertBefore(N.Close,
                 std::string("switch (::cprime::select(") +
                     (N.HasDefault ? "::cprime::with_default"
                                   : "::cprime::no_default") +
                     Cases + ")) { " + Dispatch + "} } " + End + ":; ",
                 N.Keyword);
}

} // namespace cprime
