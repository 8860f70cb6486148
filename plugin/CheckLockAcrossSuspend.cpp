//===- CheckLockAcrossSuspend.cpp - -Wcprime-lock-across-suspend ----------===//
//
// A std mutex (std::mutex, timed, recursive, shared) held across a
// suspension point blocks the worker for every other coroutine on it, can
// deadlock against a coroutine that needs it on the same worker, and is
// unlocked on whatever thread the coroutine resumed on (undefined behaviour).
//
// Each function body is walked in source order. A lock is held from a
// std::lock_guard / unique_lock / scoped_lock / shared_lock declaration (not
// with defer_lock or try_to_lock) to the end of its scope, or to an explicit
// `.unlock()` / `.release()` on the guard; a bare `m.lock()` to `m.unlock()`.
// The first suspension point met while it is held is reported (one warning
// per lock). The walk is linear: an unlock on any path counts as released,
// and a loop's back edge is not followed, so the check stays quiet rather
// than guess (docs/checks/lock-across-suspend.md).
//
//===----------------------------------------------------------------------===//

#include "Checks.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace cprime::checks {
namespace {

struct Held {
  const ValueDecl *Key; // the guard variable, or the mutex object
  SourceLocation Loc;
  const Stmt *Scope;
  bool Guard;
  bool Active;
  bool Reported;
  std::string Mutex;
};

const ValueDecl *objectKey(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

class Walker {
public:
  Walker(const TUFacts &F, Reporter &R) : F(F), R(R) {}

  void run(const Stmt *Body) {
    Locks.clear();
    Wrappers.clear();
    BodyScope = Scope = Body;
    walk(Body);
  }

private:
  // The std mutex a wrapper variable locks, or "" when it is none.
  std::string wrappedStdMutex(const VarDecl *VD) {
    if (VD->getType()->isReferenceType() || !isStdLockWrapper(VD->getType()))
      return "";
    const auto *RD = cast<ClassTemplateSpecializationDecl>(
        VD->getType()->getAsCXXRecordDecl());
    for (const TemplateArgument &A : RD->getTemplateArgs().asArray()) {
      llvm::ArrayRef<TemplateArgument> Pack =
          A.getKind() == TemplateArgument::Pack ? A.pack_elements()
                                                : llvm::ArrayRef(A);
      for (const TemplateArgument &P : Pack)
        if (P.getKind() == TemplateArgument::Type && isStdMutex(P.getAsType()))
          return typeName(P.getAsType());
    }
    return "";
  }

  static bool lockedOnConstruction(const VarDecl *VD) {
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(strip(VD->getInit()));
    if (!CE || CE->getNumArgs() == 0)
      return false;
    for (const Expr *A : CE->arguments())
      if (const CXXRecordDecl *RD = A->getType()->getAsCXXRecordDecl())
        if (RD->isInStdNamespace() && RD->getIdentifier() &&
            (RD->getName() == "defer_lock_t" || RD->getName() == "try_to_lock_t"))
          return false;
    return true;
  }

  void suspension(const Expr *E, const FunctionDecl *Why) {
    for (Held &H : Locks) {
      if (!H.Active || H.Reported)
        continue;
      H.Reported = true;
      std::string Msg = "'" + H.Mutex + "' ";
      Msg += H.Guard ? "held by '" + H.Key->getNameAsString() + "'"
                     : "'" + H.Key->getNameAsString() + "' locked here and held";
      Msg += " across a suspension point: the coroutine may resume on another "
             "thread, and the lock blocks this worker meanwhile; use "
             "cprime::mutex, or release the lock before suspending";
      if (!R.warn(LockAcrossSuspend, H.Loc, Msg))
        continue;
      const FnInfo *I = F.info(Why);
      R.note(suspendLoc(E, F.Ctx.getSourceManager()),
             I && I->FD && !(F.marks(Why) & MarkSuspends)
                 ? "'" + describe(Why) + "' may suspend here (it reaches a "
                                         "suspension point)"
                 : "'" + describe(Why) + "' may suspend here");
    }
  }

  void memberCall(const CXXMemberCallExpr *MCE) {
    const CXXMethodDecl *M = MCE->getMethodDecl();
    if (!M || !M->getIdentifier())
      return;
    llvm::StringRef Name = M->getName();
    const ValueDecl *Key = objectKey(MCE->getImplicitObjectArgument());
    if (!Key)
      return;
    QualType Obj = MCE->getObjectType();
    if (isStdLockWrapper(Obj)) {
      auto It = Wrappers.find(Key);
      if (It == Wrappers.end())
        return;
      if (Name == "unlock" || Name == "release") {
        for (Held &H : Locks)
          if (H.Key == Key)
            H.Active = false;
      } else if (Name == "lock") {
        bool Found = false;
        for (Held &H : Locks)
          if (H.Key == Key) {
            H.Active = Found = true;
            H.Loc = MCE->getExprLoc();
            H.Reported = false;
          }
        if (!Found)
          Locks.push_back({Key, MCE->getExprLoc(), It->second.first, true, true,
                           false, It->second.second});
      }
      return;
    }
    if (!isStdMutex(Obj))
      return;
    if (Name == "lock" || Name == "lock_shared") {
      Locks.push_back({Key, MCE->getExprLoc(), BodyScope, false, true, false,
                       typeName(Obj)});
    } else if (Name == "unlock" || Name == "unlock_shared") {
      for (Held &H : Locks)
        if (!H.Guard && H.Key == Key)
          H.Active = false;
    }
  }

  template <class W> friend bool cprime::checks::walkStructure(W &, const clang::Stmt *);

  // What this check tracked in scope S ends with it (walkStructure).
  void leaveScope(const Stmt *S) {
      llvm::erase_if(Locks, [S](const Held &H) { return H.Guard && H.Scope == S; });
  }

  void walk(const Stmt *S) {
    if (!S || walkStructure(*this, S))
      return;
    if (auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD)
          continue;
        walk(VD->getInit());
        std::string Mutex = wrappedStdMutex(VD);
        if (Mutex.empty())
          continue;
        Wrappers[VD] = {Scope, Mutex};
        if (lockedOnConstruction(VD))
          Locks.push_back({VD, VD->getLocation(), Scope, true, true, false, Mutex});
      }
      return;
    }
    for (const Stmt *C : S->children())
      walk(C);
    if (auto *MCE = dyn_cast<CXXMemberCallExpr>(S))
      memberCall(MCE);
    if (isa<CallExpr, CXXConstructExpr>(S)) {
      const FunctionDecl *Why = nullptr;
      if (F.suspends(cast<Expr>(S), &Why))
        suspension(cast<Expr>(S), Why);
    }
  }

  const TUFacts &F;
  Reporter &R;
  llvm::SmallVector<Held, 4> Locks;
  llvm::DenseMap<const ValueDecl *, std::pair<const Stmt *, std::string>> Wrappers;
  const Stmt *Scope = nullptr;
  const Stmt *BodyScope = nullptr;
};

} // namespace

void runLockAcrossSuspend(const TUFacts &F, Reporter &R) {
  Walker W(F, R);
  for (const FnInfo *I : F.functions())
    if (I->FD && I->MaySuspend && I->FD->getBody())
      W.run(I->FD->getBody());
}

} // namespace cprime::checks
