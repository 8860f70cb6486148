//===- CheckDanglingCapture.cpp - -Wcprime-dangling-capture ---------------===//
//
// A detached spawn runs on after the spawning function returns: a local it
// reaches by reference may be gone by then. Reported: a by-reference capture
// of a local (`spawn [&] { … }`, `[&x]`), an init-capture or an argument that
// is a pointer to a local (`[p = &x]`, `spawn f(&x)`, a local array), and
// `std::ref(x)` / `std::cref(x)` of a local. Detached means a call to a
// CPRIME_UNSTRUCTURED function (cprime::spawn_detached, what the statement
// `spawn …;` lowers to; cprime::spawn whose handle is dropped). Spawns on a
// parallel/timeout scope, a task_group or spawn_scoped are structured: the
// block waits for them, and they never warn.
// Go code waits for its goroutines before their locals go (a wait_group, a
// channel): a suspension point after the spawn, before the local's scope
// ends, is taken as that wait. Reported is a local whose scope ends (or a
// return) with no suspension since the spawn (docs/checks/dangling-capture.md).
//
//===----------------------------------------------------------------------===//

#include "Checks.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace cprime::checks {
namespace {

const VarDecl *local(const Expr *E) {
  auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType() ? VD
                                                                          : nullptr;
}

// The local E points to (`&x`, a local array decaying), or null.
const VarDecl *pointee(const Expr *E) {
  E = E->IgnoreParens();
  while (auto *ICE = dyn_cast<ImplicitCastExpr>(E)) {
    if (ICE->getCastKind() == CK_ArrayToPointerDecay)
      return local(ICE->getSubExpr());
    E = ICE->getSubExpr()->IgnoreParens();
  }
  E = strip(E);
  if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    return local(UO->getSubExpr());
  // A local array bound to spawn's forwarding reference decays when copied.
  if (const VarDecl *VD = local(E); VD && VD->getType()->isArrayType())
    return VD;
  return nullptr;
}

// The local of `std::ref(x)` / `std::cref(x)`, or null.
const VarDecl *refWrapped(const Expr *E) {
  auto *CE = dyn_cast<CallExpr>(strip(E));
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || !FD->isInStdNamespace() ||
      (FD->getName() != "ref" && FD->getName() != "cref") || CE->getNumArgs() != 1)
    return nullptr;
  return local(CE->getArg(0));
}

class Walker {
public:
  Walker(const TUFacts &F, Reporter &R) : F(F), R(R) {}
  void run(const FunctionDecl *FD) {
    Pending.clear();
    ScopeOf.clear();
    Scope = FD->getBody();
    for (const ParmVarDecl *P : FD->parameters())
      ScopeOf[P] = Scope;
    walk(Scope);
    flush([](const Escape &) { return true; });
  }

private:
  // A local a detached spawn reaches by reference, not yet waited for.
  struct Escape {
    const VarDecl *Var;
    const CallExpr *Spawn;
    std::string How;
  };

  template <class Pred> void flush(Pred P) {
    for (const Escape &E : Pending) {
      if (!P(E))
        continue;
      if (R.warn(DanglingCapture, E.Spawn->getBeginLoc(),
                 "detached spawn " + E.How + " local '" +
                     E.Var->getNameAsString() +
                     "', and its scope can end without waiting for the "
                     "task: the task may outlive it; capture it by value, "
                     "wait for the task before the scope ends, or spawn "
                     "inside parallel { }, timeout or a task_group, which "
                     "wait for their tasks"))
        R.note(E.Var->getLocation(),
               "'" + E.Var->getNameAsString() + "' declared here");
    }
    llvm::erase_if(Pending, P);
  }

  void escape(const CallExpr *CE, const VarDecl *VD, const char *How) {
    for (const Escape &E : Pending)
      if (E.Var == VD && E.Spawn == CE)
        return;
    Pending.push_back({VD, CE, How});
  }

  void spawn(const CallExpr *CE) {
    const Expr *Callable = TUFacts::spawnCallable(CE);
    if (!Callable)
      return;
    if (auto *LE = dyn_cast<LambdaExpr>(Callable)) {
      for (const LambdaCapture &C : LE->captures()) {
        if (!C.capturesVariable())
          continue;
        auto *VD = dyn_cast<VarDecl>(C.getCapturedVar());
        if (!VD)
          continue;
        if (C.getCaptureKind() == LCK_ByRef) {
          if (VD->hasLocalStorage() && !VD->getType()->isReferenceType())
            escape(CE, VD, "captures by reference the");
        } else if (VD->isInitCapture() && VD->getInit()) {
          if (const VarDecl *P = pointee(VD->getInit()))
            escape(CE, P, "captures a pointer to the");
          else if (const VarDecl *W = refWrapped(VD->getInit()))
            escape(CE, W, "captures a reference to the");
        }
      }
    }
    bool After = false;
    for (const Expr *A : CE->arguments()) {
      if (strip(A) == Callable) {
        After = true;
        continue;
      }
      if (!After)
        continue;
      if (const VarDecl *P = pointee(A))
        escape(CE, P, "passes a pointer to the");
      else if (const VarDecl *W = refWrapped(A))
        escape(CE, W, "passes a reference to the");
    }
  }

  template <class W> friend bool cprime::checks::walkStructure(W &, const clang::Stmt *);

  // What this check tracked in scope S ends with it (walkStructure).
  void leaveScope(const Stmt *S) {
      // Leaving the scope without a wait since the spawn.
      flush([&](const Escape &E) { return ScopeOf.lookup(E.Var) == S; });
  }

  void walk(const Stmt *S) {
    if (!S || walkStructure(*this, S))
      return;
    if (auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          ScopeOf[VD] = Scope;
          walk(VD->getInit());
        }
      return;
    }
    for (const Stmt *C : S->children())
      walk(C);
    if (isa<ReturnStmt>(S)) {
      flush([](const Escape &) { return true; });
      return;
    }
    if (!isa<CallExpr, CXXConstructExpr>(S))
      return;
    // A suspension after the spawn: the function waits for something (a
    // wait_group, a channel, a join), as Go code waits for its goroutines.
    if (!Pending.empty() && F.suspends(cast<Expr>(S))) {
      Pending.clear();
      return;
    }
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE)
      return;
    llvm::SmallVector<const FunctionDecl *, 2> Cs;
    TUFacts::callees(CE, Cs);
    for (const FunctionDecl *C : Cs)
      if (F.marks(C) & MarkUnstructured) {
        if (C->getReturnType()->isVoidType() || F.discarded(CE))
          spawn(CE);
        return;
      }
  }

  const TUFacts &F;
  Reporter &R;
  std::vector<Escape> Pending;
  llvm::DenseMap<const VarDecl *, const Stmt *> ScopeOf;
  const Stmt *Scope = nullptr;
};

} // namespace

void runDanglingCapture(const TUFacts &F, Reporter &R) {
  Walker W(F, R);
  for (const FnInfo *I : F.functions())
    if (I->FD && I->CallsUnstructured && I->FD->getBody())
      W.run(I->FD);
}

} // namespace cprime::checks
