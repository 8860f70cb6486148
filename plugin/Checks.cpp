//===- Checks.cpp - facts and reporting shared by the hazard checks -------===//
//
// Settings: the checks' levels from -W options and diagnostic pragmas
// (CheckHooks.cpp says how they reach here; docs/checks/README.md).
//
// TUFacts: one RecursiveASTVisitor pass over the enabled files' top-level
// declarations (template patterns, not instantiations; lambda bodies as
// functions of their own), then two fixed points over the call graph.
//
//===----------------------------------------------------------------------===//

#include "Checks.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSwitch.h"

#include <functional>

using namespace clang;

namespace cprime::checks {

static const char *const Names[NumChecks] = {
    "cprime-lock-across-suspend", "cprime-tls-across-suspend",
    "cprime-blocking-call", "cprime-dangling-capture"};

llvm::StringRef flagName(Check C) { return Names[C]; }

bool Settings::checksFor(llvm::StringRef Group, llvm::SmallVectorImpl<Check> &Out) {
  if (Group == "cprime") {
    for (unsigned I = 0; I < NumChecks; ++I)
      Out.push_back(Check(I));
    return true;
  }
  for (unsigned I = 0; I < NumChecks; ++I)
    if (Group == Names[I]) {
      Out.push_back(Check(I));
      return true;
    }
  return false;
}

bool Settings::applyOption(llvm::StringRef W) {
  if (W == "error") {
    ErrorAll = true;
    return false;
  }
  if (W == "no-error") {
    ErrorAll = false;
    return false;
  }
  if (W == "everything") {
    for (Level &L : Base)
      L = Level::Warning;
    return false;
  }
  llvm::SmallVector<Check, 4> Cs;
  if (W.consume_front("no-error=")) {
    if (!checksFor(W, Cs))
      return false;
    for (Check C : Cs) {
      NoError[C] = true;
      if (Base[C] == Level::Error)
        Base[C] = Level::Warning;
    }
    return true;
  }
  Level Lv = Level::Warning;
  if (W.consume_front("error="))
    Lv = Level::Error;
  else if (W.consume_front("no-"))
    Lv = Level::Ignored;
  if (!checksFor(W, Cs))
    return false;
  for (Check C : Cs) {
    Base[C] = Lv;
    if (Lv == Level::Error)
      NoError[C] = false;
  }
  return true;
}

bool Settings::pragmaSet(SourceLocation L, llvm::StringRef Group, Level Lv) {
  Event E{L, Set, {}, Lv};
  if (!checksFor(Group, E.Checks))
    return false;
  Events.push_back(std::move(E));
  return true;
}

bool Settings::anyEnabled() const {
  if (IgnoreAll)
    return false;
  for (Level L : Base)
    if (L != Level::Ignored)
      return true;
  for (const Event &E : Events)
    if (E.K == Set && E.Lv != Level::Ignored)
      return true;
  return false;
}

Level Settings::levelAt(Check C, SourceLocation L, const SourceManager &SM) const {
  if (IgnoreAll)
    return Level::Ignored;
  // std::nullopt in a slot: no pragma has set the check, the command line
  // decides.
  std::optional<Level> Cur;
  llvm::SmallVector<std::optional<Level>, 4> Stack;
  for (const Event &E : Events) {
    if (!SM.isBeforeInTranslationUnit(E.Loc, L))
      break;
    switch (E.K) {
    case Push:
      Stack.push_back(Cur);
      break;
    case Pop:
      if (!Stack.empty())
        Cur = Stack.pop_back_val();
      break;
    case Set:
      if (llvm::is_contained(E.Checks, C))
        Cur = E.Lv;
      break;
    }
  }
  Level Lv = Cur ? *Cur : Base[C];
  if (Lv == Level::Warning && ErrorAll && !NoError[C])
    Lv = Level::Error;
  return Lv;
}

bool Reporter::warn(Check C, SourceLocation L, llvm::StringRef Message) {
  DiagnosticsEngine &DE = Ctx.getDiagnostics();
  Level Lv = S.levelAt(C, L, Ctx.getSourceManager());
  LastEmitted = Lv != Level::Ignored;
  if (!LastEmitted)
    return false;
  unsigned ID = DE.getCustomDiagID(Lv == Level::Error ? DiagnosticsEngine::Error
                                                      : DiagnosticsEngine::Warning,
                                   "%0 [-W%1]");
  DE.Report(L, ID) << Message << flagName(C);
  return true;
}

void Reporter::note(SourceLocation L, llvm::StringRef Message) {
  if (!LastEmitted)
    return;
  DiagnosticsEngine &DE = Ctx.getDiagnostics();
  DE.Report(L, DE.getCustomDiagID(DiagnosticsEngine::Note, "%0")) << Message;
}

// --- helpers ---------------------------------------------------------------

const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *N = E->IgnoreImplicit()->IgnoreParens();
    if (auto *C = dyn_cast<CXXConstructExpr>(N))
      if (C->getNumArgs() == 1 && C->getConstructor()->isCopyOrMoveConstructor())
        N = C->getArg(0);
    if (N == E)
      return E;
    E = N;
  }
  return E;
}

static const CXXRecordDecl *stdRecord(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getIdentifier() ? RD : nullptr;
}

bool isStdMutex(QualType T) {
  const CXXRecordDecl *RD = stdRecord(T);
  if (!RD)
    return false;
  return llvm::StringSwitch<bool>(RD->getName())
      .Cases("mutex", "timed_mutex", "recursive_mutex", "recursive_timed_mutex",
             true)
      .Cases("shared_mutex", "shared_timed_mutex", true)
      .Default(false);
}

bool isStdLockWrapper(QualType T, QualType *MutexArg) {
  const auto *RD = dyn_cast_or_null<ClassTemplateSpecializationDecl>(stdRecord(T));
  if (!RD || !llvm::StringSwitch<bool>(RD->getName())
                  .Cases("lock_guard", "unique_lock", "scoped_lock", "shared_lock", true)
                  .Default(false))
    return false;
  if (MutexArg) {
    const TemplateArgumentList &Args = RD->getTemplateArgs();
    *MutexArg = QualType();
    if (Args.size() && Args[0].getKind() == TemplateArgument::Type)
      *MutexArg = Args[0].getAsType();
    else if (Args.size() && Args[0].getKind() == TemplateArgument::Pack &&
             Args[0].pack_size())
      *MutexArg = Args[0].pack_begin()->getAsType();
  }
  return true;
}

std::string describe(const FunctionDecl *FD) {
  return FD->getQualifiedNameAsString();
}

std::string typeName(QualType T) {
  PrintingPolicy P{LangOptions()};
  P.SuppressTagKeyword = true;
  return T.getUnqualifiedType().getAsString(P);
}

bool isScope(const Stmt *S) {
  return isa<CompoundStmt, IfStmt, ForStmt, WhileStmt, DoStmt, SwitchStmt,
             CXXForRangeStmt, CXXCatchStmt>(S);
}

SourceLocation suspendLoc(const Expr *E, const SourceManager &SM) {
  SourceLocation B = SM.getExpansionLoc(E->getBeginLoc());
  SourceLocation End = SM.getExpansionLoc(E->getEndLoc());
  // A block's call (parallel, timeout) ends in text the rewriter inserted
  // after the user's closing brace; it waits at that brace, the end of its
  // last argument, the block's lambda.
  if (const auto *C = dyn_cast<CallExpr>(E->IgnoreImplicit()))
    if (unsigned N = C->getNumArgs())
      if (const auto *L = dyn_cast<LambdaExpr>(C->getArg(N - 1)->IgnoreImplicit()))
        End = SM.getExpansionLoc(L->getEndLoc());
  return SM.getExpansionLineNumber(B) == SM.getExpansionLineNumber(End) ? B : End;
}

// --- TUFacts -----------------------------------------------------------------

const FunctionDecl *TUFacts::key(const FunctionDecl *FD) {
  if (const FunctionDecl *P = FD->getTemplateInstantiationPattern(false))
    FD = P;
  return FD->getCanonicalDecl();
}

unsigned TUFacts::marks(const FunctionDecl *FD) const {
  const FunctionDecl *K = key(FD);
  auto [It, New] = MarkCache.try_emplace(K, 0);
  if (!New)
    return It->second;
  unsigned M = 0;
  auto Scan = [&M](const FunctionDecl *D) {
    for (const FunctionDecl *R : D->redecls())
      for (const auto *A : R->specific_attrs<AnnotateAttr>())
        M |= llvm::StringSwitch<unsigned>(A->getAnnotation())
                 .Case("cprime::suspends", MarkSuspends)
                 .Case("cprime::spawns", MarkSpawns)
                 .Case("cprime::spawns_blocking", MarkSpawnsBlocking)
                 .Case("cprime::unstructured", MarkUnstructured)
                 .Case("cprime::fd_wait", MarkFdWait)
                 .Default(0);
  };
  Scan(K);
  if (FD->getCanonicalDecl() != K)
    Scan(FD);
  MarkCache[K] = M;
  return M;
}

void TUFacts::callees(const Expr *Call, llvm::SmallVectorImpl<const FunctionDecl *> &Out) {
  if (const auto *CE = dyn_cast<CallExpr>(Call)) {
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      Out.push_back(FD);
      return;
    }
    // A dependent call in a template pattern: every candidate.
    if (const auto *OE = dyn_cast<OverloadExpr>(CE->getCallee()->IgnoreParenImpCasts()))
      for (const NamedDecl *D : OE->decls()) {
        D = D->getUnderlyingDecl();
        if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
          D = FT->getTemplatedDecl();
        if (const auto *FD = dyn_cast<FunctionDecl>(D))
          Out.push_back(FD);
      }
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Call))
    Out.push_back(CE->getConstructor());
}

const FnInfo *TUFacts::info(const FunctionDecl *FD) const {
  auto It = Infos.find(key(FD));
  return It == Infos.end() ? nullptr : It->second.get();
}

FnInfo &TUFacts::get(const FunctionDecl *Key) {
  std::unique_ptr<FnInfo> &P = Infos[Key];
  if (!P)
    P = std::make_unique<FnInfo>();
  return *P;
}

bool TUFacts::isCoroutine(const FunctionDecl *FD) const {
  const FnInfo *I = info(FD);
  return I && I->Coroutine;
}

// A std lock wrapper over a mutex whose lock() suspends (cprime::mutex): its
// construction locks, so it is a suspension point.
static bool lockingConstruct(const TUFacts &F, const CXXConstructExpr *CE,
                             const FunctionDecl **Why) {
  QualType M;
  if (!isStdLockWrapper(CE->getType(), &M))
    return false;
  for (const Expr *A : CE->arguments())
    if (const CXXRecordDecl *RD = A->getType()->getAsCXXRecordDecl())
      if (RD->isInStdNamespace() && RD->getIdentifier() &&
          llvm::StringSwitch<bool>(RD->getName())
              .Cases("defer_lock_t", "try_to_lock_t", "adopt_lock_t", true)
              .Default(false))
        return false;
  for (const Expr *A : CE->arguments()) {
    const CXXRecordDecl *RD = A->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD)
      continue;
    for (const CXXMethodDecl *MD : RD->methods())
      if (MD->getIdentifier() && MD->getName() == "lock" &&
          (F.marks(MD) & MarkSuspends)) {
        if (Why)
          *Why = MD;
        return true;
      }
  }
  return false;
}

bool TUFacts::suspends(const Expr *E, const FunctionDecl **Why) const {
  llvm::SmallVector<const FunctionDecl *, 2> Cs;
  callees(E, Cs);
  for (const FunctionDecl *C : Cs) {
    const FnInfo *I = info(C);
    if ((marks(C) & MarkSuspends) || (I && I->MaySuspend)) {
      if (Why)
        *Why = C;
      return true;
    }
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return lockingConstruct(*this, CE, Why);
  return false;
}

const Expr *TUFacts::spawnCallable(const CallExpr *CE) {
  if (isa<CXXOperatorCallExpr>(CE))
    return nullptr;
  // Leading options: the spawn site, a stack size.
  for (const Expr *A : CE->arguments()) {
    const CXXRecordDecl *RD = A->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (RD && RD->getIdentifier() &&
        (RD->getName() == "site" || RD->getName() == "stack_size"))
      continue;
    return strip(A);
  }
  return nullptr;
}

class FactsBuilder : public RecursiveASTVisitor<FactsBuilder> {
  using Base = RecursiveASTVisitor<FactsBuilder>;

public:
  FactsBuilder(TUFacts &F) : F(F) {}

  bool TraverseDecl(Decl *D) {
    auto *FD = dyn_cast_or_null<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      return Base::TraverseDecl(D);
    FnInfo &I = F.get(TUFacts::key(FD));
    if (I.FD) // already walked (a redeclaration reached twice)
      return true;
    I.FD = FD;
    F.Order.push_back(&I);
    Stack.push_back(&I);
    bool R = Base::TraverseDecl(D);
    Stack.pop_back();
    return R;
  }

  bool TraverseLambdaExpr(LambdaExpr *LE) {
    const CXXMethodDecl *Op = LE->getCallOperator();
    FnInfo &I = F.get(TUFacts::key(Op));
    I.FD = Op;
    if (!Stack.empty())
      I.Creator = TUFacts::key(Stack.back()->FD);
    F.Order.push_back(&I);
    Stack.push_back(&I);
    bool R = Base::TraverseLambdaExpr(LE);
    Stack.pop_back();
    return R;
  }

  bool VisitCompoundStmt(CompoundStmt *CS) {
    for (Stmt *S : CS->body())
      if (auto *E = dyn_cast<Expr>(S))
        F.Discarded.insert(strip(E));
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) { return call(CE); }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) { return call(CE); }

  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      if (!CalleeRefs.count(DRE))
        F.get(TUFacts::key(FD)).Escapes = true;
    return true;
  }

private:
  bool call(Expr *E) {
    if (Stack.empty())
      return true;
    FnInfo &Cur = *Stack.back();
    if (auto *CE = dyn_cast<CallExpr>(E))
      if (auto *DRE = dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreParenImpCasts()))
        CalleeRefs.insert(DRE);
    llvm::SmallVector<const FunctionDecl *, 2> Cs;
    TUFacts::callees(E, Cs);
    unsigned M = 0;
    for (const FunctionDecl *C : Cs) {
      Cur.Callees.push_back(TUFacts::key(C));
      M |= F.marks(C);
    }
    if (M & MarkUnstructured)
      Cur.CallsUnstructured = true;
    if (M & MarkSuspends)
      Cur.DirectSuspend = true;
    else if (auto *CE = dyn_cast<CXXConstructExpr>(E))
      Cur.DirectSuspend |= F.suspends(CE);
    if (!(M & (MarkSpawns | MarkSpawnsBlocking)))
      return true;
    const Expr *Callable = TUFacts::spawnCallable(cast<CallExpr>(E));
    const FunctionDecl *Entry = nullptr;
    if (auto *LE = dyn_cast_or_null<LambdaExpr>(Callable))
      Entry = LE->getCallOperator();
    else if (Callable) {
      const Expr *C = Callable;
      if (auto *UO = dyn_cast<UnaryOperator>(C); UO && UO->getOpcode() == UO_AddrOf)
        C = UO->getSubExpr()->IgnoreParenImpCasts();
      if (auto *DRE = dyn_cast<DeclRefExpr>(C))
        if ((Entry = dyn_cast<FunctionDecl>(DRE->getDecl())))
          CalleeRefs.insert(DRE);
    }
    if (Entry) {
      FnInfo &I = F.get(TUFacts::key(Entry));
      if (M & MarkSpawnsBlocking)
        I.BlockingEntry = true;
      else
        I.SpawnEntry = true;
    }
    return true;
  }

  TUFacts &F;
  llvm::SmallVector<FnInfo *, 8> Stack;
  llvm::DenseSet<const DeclRefExpr *> CalleeRefs;
};

TUFacts::TUFacts(ASTContext &Ctx, const llvm::DenseSet<const FileEntry *> &Enabled)
    : Ctx(Ctx) {
  SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseMap<FileID, bool> InEnabled;
  auto Enabledp = [&](SourceLocation L) {
    FileID FID = SM.getFileID(SM.getExpansionLoc(L));
    auto [It, New] = InEnabled.try_emplace(FID, false);
    if (New)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
        It->second = Enabled.count(&FE->getFileEntry());
    return It->second;
  };
  FactsBuilder B(*this);
  // Namespaces span files: descend into them, and traverse only the
  // declarations that lie in an enabled file.
  std::function<void(const DeclContext *)> Walk = [&](const DeclContext *DC) {
    for (Decl *D : DC->decls()) {
      if (isa<NamespaceDecl, LinkageSpecDecl, ExportDecl>(D))
        Walk(cast<DeclContext>(D));
      else if (D->getLocation().isValid() && Enabledp(D->getLocation()))
        B.TraverseDecl(D);
    }
  };
  Walk(Ctx.getTranslationUnitDecl());
  solve();
}

void TUFacts::solve() {
  // get() may insert: collect the edges first.
  std::vector<std::pair<const FunctionDecl *, const FunctionDecl *>> Edges;
  for (auto &[K, I] : Infos)
    for (const FunctionDecl *C : I->Callees)
      if (C != K)
        Edges.push_back({C, K});
  for (auto [C, K] : Edges)
    get(C).Callers.push_back(K);
  // May suspend: least fixed point from the direct suspenders up the callers.
  std::vector<FnInfo *> Work;
  for (auto &[K, I] : Infos)
    if (I->DirectSuspend || (I->FD && (marks(I->FD) & MarkSuspends))) {
      I->MaySuspend = true;
      Work.push_back(I.get());
    }
  while (!Work.empty()) {
    FnInfo *I = Work.back();
    Work.pop_back();
    for (const FunctionDecl *C : I->Callers) {
      FnInfo &P = get(C);
      if (!P.MaySuspend) {
        P.MaySuspend = true;
        Work.push_back(&P);
      }
    }
  }
  // Runs as a coroutine: a spawn's callable; a lambda created in a coroutine
  // (and not handed to spawn blocking); a function whose every reference in
  // this TU is a call from a coroutine.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (FnInfo *I : Order) {
      if (I->Coroutine || I->BlockingEntry)
        continue;
      bool Co = I->SpawnEntry;
      if (!Co && I->Creator)
        Co = get(I->Creator).Coroutine;
      else if (!Co && !I->Creator && !I->Escapes && !I->Callers.empty() &&
               !I->FD->isMain()) {
        Co = llvm::all_of(I->Callers, [&](const FunctionDecl *C) {
          return get(C).Coroutine;
        });
      }
      if (Co) {
        I->Coroutine = true;
        Changed = true;
      }
    }
  }
}

void runAll(ASTContext &Ctx, const llvm::DenseSet<const FileEntry *> &Enabled,
            const Settings &S) {
  TUFacts F(Ctx, Enabled);
  Reporter R(Ctx, S);
  runLockAcrossSuspend(F, R);
  runTlsAcrossSuspend(F, R);
  runBlockingCall(F, R);
  runDanglingCapture(F, R);
}

} // namespace cprime::checks
