//===- LowerSelect.cpp - select { arms } → cases, ::cprime::select, if-chain ===//
//
// Contract (docs/lowering.md, "select"; runtime side:
// include/cprime/select.hpp). Every arm's operand moves to the `select {`
// line, in source order, as a case object, so channels and values are
// evaluated once on entry; the arm bodies stay on their lines and run in the
// enclosing scope through an if/else chain, so break/continue/return act on
// the enclosing loop or function:
//   select {                       { ::cprime::typed_case __cprime_sel1_0(a.recv()); …
//                                    const int __cprime_sel1 = ::cprime::select(
//                                    ::cprime::no_default, __cprime_sel1_0, …);
//     int x = a.recv() => f(x);      if (__cprime_sel1 == 0) { int x = __cprime_sel1_0.take(); f(x); }
//     default => {}                  else { {} }
//   }                              }
//
//===----------------------------------------------------------------------===//

#include "Lower.h"

namespace cprime {

void lowerSelect(const SelectNode &N, const TokenBuffer &, Emitter &E) {
  std::string Name = "__cprime_sel" + std::to_string(N.Number);
  auto CaseName = [&](const SelectArm &A) {
    return Name + "_" + std::to_string(A.Index);
  };

  std::vector<Piece> Head{"{ "};
  std::string Cases;
  for (const SelectArm &A : N.Arms) {
    if (A.Kind == SelectArm::Default)
      continue;
    Head.emplace_back(std::string(A.TypedCase ? "::cprime::typed_case "
                                              : "::cprime::select_case ") +
                      CaseName(A) + "(");
    Head.push_back(Piece::tokens(A.OperandBegin, A.OperandLast));
    Head.emplace_back("); ");
    Cases += ", " + CaseName(A);
    E.move(A.OperandBegin, A.OperandLast);
  }
  Head.emplace_back("const int " + Name + " = ::cprime::select(" +
                    (N.HasDefault ? "::cprime::with_default"
                                  : "::cprime::no_default") +
                    Cases + ");");
  E.replace(N.Keyword, std::move(Head));
  E.remove(N.Open);
  E.dropGap(N.Open);

  for (size_t I = 0; I < N.Arms.size(); ++I) {
    const SelectArm &A = N.Arms[I];
    bool First = I == 0, Last = I + 1 == N.Arms.size();
    std::string Cond = First ? "if (" : "else if (";
    if (A.Kind != SelectArm::Default)
      Cond += Name + " == " + std::to_string(A.Index) + ")";
    else if (Last && !First)
      Cond = "else";
    else
      Cond += Name + " == -1)";
    std::string Take = CaseName(A) + ".take();";

    switch (A.Kind) {
    case SelectArm::Decl:
      E.insertBefore(A.Begin, Cond + " { ", N.Keyword);
      E.replace(A.Arrow, {Take});
      break;
    case SelectArm::Name:
      E.insertBefore(A.Begin, Cond + " { auto ", N.Keyword);
      E.replace(A.Arrow, {Take});
      break;
    case SelectArm::Discard:
      E.replace(A.Begin, {Cond + " {"});
      E.remove(A.Equal);
      E.dropGap(A.Equal);
      E.dropGap(A.OperandBegin);
      E.remove(A.Arrow);
      break;
    case SelectArm::Bare:
      E.replace(A.Arrow, {Cond + " {"});
      break;
    case SelectArm::Default:
      E.replace(A.Begin, {Cond + " {"});
      E.remove(A.Arrow);
      break;
    }
    E.dropGap(A.Arrow);
    E.remove(A.Arrow + 1);
    E.insertAfter(A.BodyLast, " }", N.Keyword);
  }
}

} // namespace cprime
