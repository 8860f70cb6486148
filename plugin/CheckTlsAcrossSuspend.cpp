//===- CheckTlsAcrossSuspend.cpp - -Wcprime-tls-across-suspend ------------===//
//
// A coroutine may resume on another worker thread after any suspension
// point. A thread_local read before it and used after it through a local
// (a reference `auto& r = tls;`, a pointer `auto* p = &tls;`, or a cached
// value `int id = tls;`) then names the previous thread's object, or a value
// that belonged to it. The use after the suspension is reported, with notes
// at the suspension point and at the read.
//
// The walk is linear like the lock check's: a local that is reassigned
// drops what it cached, and a loop's back edge is not followed
// (docs/checks/tls-across-suspend.md).
//
//===----------------------------------------------------------------------===//

#include "Checks.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace cprime::checks {
namespace {

struct Cache {
  const VarDecl *Local;
  const VarDecl *Tls;
  SourceLocation Read;
  const Stmt *Scope;
  SourceLocation Susp;
  const FunctionDecl *Why = nullptr;
  bool Done = false;
};

// The thread_local variable E reads (through `&`, `*`, `.`, `->`, `[]` and
// copies), or null.
const VarDecl *tlsRead(const Expr *E) {
  while (E) {
    E = strip(E);
    if (auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      return VD && VD->getTLSKind() != VarDecl::TLS_None ? VD : nullptr;
    }
    if (auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
    } else if (auto *ME = dyn_cast<MemberExpr>(E)) {
      if (isa<CXXMethodDecl>(ME->getMemberDecl()))
        return nullptr;
      E = ME->getBase();
    } else if (auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

class Walker {
public:
  Walker(const TUFacts &F, Reporter &R) : F(F), R(R) {}

  void run(const Stmt *Body) {
    Caches.clear();
    Scope = Body;
    walk(Body);
  }

private:
  void cache(const VarDecl *Local, const Expr *Init, SourceLocation Loc) {
    llvm::erase_if(Caches, [Local](const Cache &C) { return C.Local == Local; });
    if (const VarDecl *T = Init ? tlsRead(Init) : nullptr)
      Caches.push_back({Local, T, Loc, Scope});
  }

  void use(const DeclRefExpr *DRE) {
    for (Cache &C : Caches) {
      if (C.Done || !C.Why || C.Local != DRE->getDecl())
        continue;
      C.Done = true;
      std::string Msg = "'" + C.Local->getNameAsString() +
                        "' caches thread_local '" + C.Tls->getNameAsString() +
                        "' from before a suspension point: the coroutine may "
                        "have resumed on another thread; read '" +
                        C.Tls->getNameAsString() + "' again after suspending";
      if (!R.warn(TlsAcrossSuspend, DRE->getLocation(), Msg))
        continue;
      R.note(C.Susp, "'" + describe(C.Why) + "' may suspend here");
      R.note(C.Read, "'" + C.Tls->getNameAsString() + "' read here");
    }
  }

  template <class W> friend bool cprime::checks::walkStructure(W &, const clang::Stmt *);

  // What this check tracked in scope S ends with it (walkStructure).
  void leaveScope(const Stmt *S) {
      llvm::erase_if(Caches, [S](const Cache &C) { return C.Scope == S; });
  }

  void walk(const Stmt *S) {
    if (!S || walkStructure(*this, S))
      return;
    if (auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          walk(VD->getInit());
          if (VD->hasLocalStorage())
            cache(VD, VD->getInit(), VD->getLocation());
        }
      return;
    }
    if (auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->getOpcode() == BO_Assign)
      if (auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType()) {
          walk(BO->getRHS());
          cache(VD, BO->getRHS(), BO->getOperatorLoc());
          return;
        }
    if (auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      use(DRE);
      return;
    }
    for (const Stmt *C : S->children())
      walk(C);
    if (isa<CallExpr, CXXConstructExpr>(S)) {
      const FunctionDecl *Why = nullptr;
      if (!Caches.empty() && F.suspends(cast<Expr>(S), &Why))
        for (Cache &C : Caches)
          if (!C.Why) {
            C.Why = Why;
            C.Susp = suspendLoc(cast<Expr>(S), F.Ctx.getSourceManager());
          }
    }
  }

  const TUFacts &F;
  Reporter &R;
  llvm::SmallVector<Cache, 4> Caches;
  const Stmt *Scope = nullptr;
};

} // namespace

void runTlsAcrossSuspend(const TUFacts &F, Reporter &R) {
  Walker W(F, R);
  for (const FnInfo *I : F.functions())
    if (I->FD && I->MaySuspend && I->FD->getBody())
      W.run(I->FD->getBody());
}

} // namespace cprime::checks
