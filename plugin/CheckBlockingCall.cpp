//===- CheckBlockingCall.cpp - -Wcprime-blocking-call ---------------------===//
//
// A call that blocks the OS thread, made on a coroutine, stalls the worker
// and every coroutine queued on it. Reported in functions that run as
// coroutines (TUFacts: a spawn's callable, a lambda created in one, a
// function every reference to which in this file is a call from one).
// The standard library and libc cannot carry marks, so the blocking calls
// are known by name here; each comes with the CPrime alternative.
// ::read/::recv/::accept/::connect in a function that also waits for fd
// readiness (a CPRIME_FD_WAIT function, cprime::io::wait_readable/_writable)
// are taken to be on non-blocking fds and not reported.
//
//===----------------------------------------------------------------------===//

#include "Checks.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace cprime::checks {
namespace {

struct Blocking {
  std::string Name;
  const char *Instead;
  bool Fd;
};

std::optional<Blocking> classify(const FunctionDecl *FD) {
  if (!FD->getIdentifier())
    return std::nullopt;
  llvm::StringRef N = FD->getName();
  const DeclContext *DC = FD->getDeclContext();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    const CXXRecordDecl *RD = MD->getParent();
    if (!RD->isInStdNamespace() || !RD->getIdentifier())
      return std::nullopt;
    llvm::StringRef C = RD->getName();
    std::string Q = "std::" + C.str() + "::" + N.str();
    if ((C == "condition_variable" || C == "condition_variable_any") &&
        N.starts_with("wait"))
      return Blocking{Q, "a cprime::channel, or cprime::wait_group", false};
    if ((C == "thread" || C == "jthread") && N == "join")
      return Blocking{Q, "a cprime::task joined with co_await, or spawn blocking", false};
    if ((C == "future" || C == "shared_future" || C == "__basic_future") &&
        (N == "get" || N.starts_with("wait")))
      return Blocking{"std::future::" + N.str(),
                      "a cprime::task (co_await it) or a cprime::channel", false};
    if (isStdMutex(QualType(RD->getTypeForDecl(), 0)) &&
        (N == "lock" || N == "lock_shared" || N.starts_with("try_lock_for") ||
         N.starts_with("try_lock_until") || N.starts_with("try_lock_shared_")))
      return Blocking{Q, "cprime::mutex", false};
    return std::nullopt;
  }
  if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
    if (NS->getName() == "this_thread" && NS->isInStdNamespace() &&
        (N == "sleep_for" || N == "sleep_until"))
      return Blocking{"std::this_thread::" + N.str(),
                      "co_await cprime::sleep(d), or cprime::sleep_for", false};
    return std::nullopt;
  }
  if (!DC->getRedeclContext()->isTranslationUnit() || !FD->isExternC())
    return std::nullopt;
  if (N == "sleep" || N == "usleep" || N == "nanosleep")
    return Blocking{"::" + N.str(), "co_await cprime::sleep(d)", false};
  if (llvm::StringSwitch<bool>(N)
          .Cases("read", "recv", "recvfrom", "recvmsg", true)
          .Cases("accept", "accept4", "connect", true)
          .Default(false))
    return Blocking{"::" + N.str(),
                    "cprime::net sockets, cprime::io::wait_readable/"
                    "wait_writable on a non-blocking fd, or spawn blocking",
                    true};
  return std::nullopt;
}

class Walker {
public:
  Walker(const TUFacts &F, Reporter &R) : F(F), R(R) {}

  void run(const FnInfo &I) {
    Fn = &I;
    FdWait = llvm::any_of(I.Callees, [&](const FunctionDecl *C) {
      return F.marks(C) & MarkFdWait;
    });
    walk(I.FD->getBody());
  }

private:
  void walk(const Stmt *S) {
    if (!S)
      return;
    if (auto *LE = dyn_cast<LambdaExpr>(S)) {
      for (const Expr *Init : LE->capture_inits())
        walk(Init);
      return;
    }
    for (const Stmt *C : S->children())
      walk(C);
    const auto *CE = dyn_cast<CallExpr>(S);
    const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
    if (!FD)
      return;
    std::optional<Blocking> B = classify(FD);
    if (!B || (B->Fd && FdWait))
      return;
    if (!R.warn(BlockingCall, CE->getBeginLoc(),
                "blocking call to '" + B->Name +
                    "' on a coroutine stalls its worker thread and every "
                    "coroutine queued on it; use " + B->Instead))
      return;
    if (!Fn->SpawnEntry && !Fn->Creator)
      R.note(Fn->FD->getLocation(),
             "'" + Fn->FD->getNameAsString() +
                 "' runs on a coroutine: every call to it in this file is "
                 "made from one");
  }

  const TUFacts &F;
  Reporter &R;
  const FnInfo *Fn = nullptr;
  bool FdWait = false;
};

} // namespace

void runBlockingCall(const TUFacts &F, Reporter &R) {
  Walker W(F, R);
  for (const FnInfo *I : F.functions())
    if (I->FD && I->Coroutine && I->FD->getBody())
      W.run(*I);
}

} // namespace cprime::checks
