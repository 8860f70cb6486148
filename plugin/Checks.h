//===- Checks.h - hazard checks over CPrime-enabled files -------*- C++ -*-===//
//
// After parsing, the plugin analyses the functions defined in files that opt
// in (docs/checks/). A file that does not opt in is never analysed: the
// consumer returns at once when no enabled file was seen.
//
// Facts shared by the checks (TUFacts, built once per translation unit):
//  - which functions may suspend: marked CPRIME_SUSPENDS in a header
//    (include/cprime/detail/annotate.hpp), or defined in an enabled file of
//    this TU and calling one that may suspend (transitively);
//  - which functions run as coroutines: the callable of a CPRIME_SPAWNS call,
//    and functions whose every reference in the TU is a call from one;
//  - each function body to walk.
// Functions of other translation units are out of reach unless marked.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_PLUGIN_CHECKS_H
#define CPRIME_PLUGIN_CHECKS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTConsumer;
class CompilerInstance;
class Preprocessor;
struct PragmaIntroducer;
class Token;
} // namespace clang

namespace cprime::checks {

enum Check : unsigned {
  LockAcrossSuspend,
  TlsAcrossSuspend,
  BlockingCall,
  DanglingCapture,
  NumChecks
};

// flagName(C) is the name after -W: "cprime-lock-across-suspend".
llvm::StringRef flagName(Check C);

enum class Level { Ignored, Warning, Error };

// Settings: the level of each check from the command line (-Wcprime-…,
// -Wno-cprime-…, -Werror=cprime-…, -Werror, -w) and from
// `#pragma clang diagnostic` in enabled files (with push/pop).
class Settings {
public:
  // Applies one -W option body ("no-cprime-x", "error=cprime-x", "error",
  // "cprime" …). Returns false when the option does not concern the checks.
  bool applyOption(llvm::StringRef W);
  void setIgnoreAll(bool B) { IgnoreAll = B; }

  // Pragma events, in the order the preprocessor saw them.
  void pragmaPush(clang::SourceLocation L) { Events.push_back({L, Push, {}, {}}); }
  void pragmaPop(clang::SourceLocation L) { Events.push_back({L, Pop, {}, {}}); }
  // Group is the text after -W ("cprime-lock-across-suspend"); false when it
  // names no check.
  bool pragmaSet(clang::SourceLocation L, llvm::StringRef Group, Level Lv);

  // Whether any check can report: false under -w or -Wno-cprime with no
  // pragma turning one back on, and then the analysis is skipped.
  bool anyEnabled() const;

  Level levelAt(Check C, clang::SourceLocation L,
                const clang::SourceManager &SM) const;

private:
  enum Kind { Push, Pop, Set };
  struct Event {
    clang::SourceLocation Loc;
    Kind K;
    llvm::SmallVector<Check, 4> Checks;
    Level Lv = Level::Warning;
  };
  static bool checksFor(llvm::StringRef Group, llvm::SmallVectorImpl<Check> &Out);
  Level Base[NumChecks] = {Level::Warning, Level::Warning, Level::Warning,
                           Level::Warning};
  bool ErrorAll = false;
  bool NoError[NumChecks] = {};
  bool IgnoreAll = false;
  std::vector<Event> Events;
};

// Reporter emits a check's warning (or error, per Settings) with its notes.
class Reporter {
public:
  Reporter(clang::ASTContext &Ctx, const Settings &S) : Ctx(Ctx), S(S) {}
  // Returns false when the check is silenced at L (then emit no notes).
  bool warn(Check C, clang::SourceLocation L, llvm::StringRef Message);
  void note(clang::SourceLocation L, llvm::StringRef Message);

private:
  clang::ASTContext &Ctx;
  const Settings &S;
  bool LastEmitted = false;
};

// Marks read from [[clang::annotate("cprime::…")]].
enum Mark : unsigned {
  MarkSuspends = 1,
  MarkSpawns = 2,
  MarkSpawnsBlocking = 4,
  MarkUnstructured = 8,
  MarkFdWait = 16,
};

struct FnInfo {
  const clang::FunctionDecl *FD = nullptr; // the definition walked
  const clang::FunctionDecl *Creator = nullptr; // for a lambda's operator()
  llvm::SmallVector<const clang::FunctionDecl *, 4> Callees; // keys
  llvm::SmallVector<const clang::FunctionDecl *, 2> Callers; // keys
  bool DirectSuspend = false;
  bool CallsUnstructured = false; // calls a CPRIME_UNSTRUCTURED spawn
  bool Escapes = false;       // referenced other than by a call
  bool SpawnEntry = false;    // the callable of a CPRIME_SPAWNS call
  bool BlockingEntry = false; // the callable of a CPRIME_SPAWNS_BLOCKING call
  bool MaySuspend = false;
  bool Coroutine = false;
};

class TUFacts {
public:
  TUFacts(clang::ASTContext &Ctx,
          const llvm::DenseSet<const clang::FileEntry *> &Enabled);

  // The functions defined in enabled files, in source order.
  const std::vector<FnInfo *> &functions() const { return Order; }

  // key(FD) identifies a function across its declarations and template
  // instantiations (the pattern's canonical declaration).
  static const clang::FunctionDecl *key(const clang::FunctionDecl *FD);
  unsigned marks(const clang::FunctionDecl *FD) const;

  // The functions a call may reach (several for a dependent call in a
  // template: every candidate).
  static void callees(const clang::Expr *Call,
                      llvm::SmallVectorImpl<const clang::FunctionDecl *> &Out);
  // suspends(E): the call or construction E may suspend the caller. Why is
  // set to the function that suspends (for the note).
  bool suspends(const clang::Expr *E, const clang::FunctionDecl **Why = nullptr) const;
  bool isCoroutine(const clang::FunctionDecl *FD) const;
  const FnInfo *info(const clang::FunctionDecl *FD) const;

  // The callable argument of a spawn call (after an optional cprime::site
  // and cprime::stack_size).
  static const clang::Expr *spawnCallable(const clang::CallExpr *CE);
  // Whether the value of E is discarded (a statement of its own).
  bool discarded(const clang::Expr *E) const { return Discarded.count(E); }

  clang::ASTContext &Ctx;

private:
  friend class FactsBuilder;
  FnInfo &get(const clang::FunctionDecl *Key);
  void solve();
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FnInfo>> Infos;
  std::vector<FnInfo *> Order;
  mutable llvm::DenseMap<const clang::FunctionDecl *, unsigned> MarkCache;
  llvm::DenseSet<const clang::Expr *> Discarded;
};

// Helpers shared by the checks.
const clang::Expr *strip(const clang::Expr *E);
bool isStdMutex(clang::QualType T);
// A std::lock_guard / unique_lock / scoped_lock / shared_lock (any mutex);
// MutexArg is set to its first template argument.
bool isStdLockWrapper(clang::QualType T, clang::QualType *MutexArg = nullptr);
std::string describe(const clang::FunctionDecl *FD);
std::string typeName(clang::QualType T);
// Where a note places a suspension: the call's start (`co_await` of a
// rewritten await), or its end when it spans lines (the closing brace of a
// parallel or timeout block, where it waits).
clang::SourceLocation suspendLoc(const clang::Expr *E,
                                 const clang::SourceManager &SM);

// A statement that opens a scope of its own (its locals end with it).
bool isScope(const clang::Stmt *S);

// walkStructure(W, S): the part of a statement walk every check shares. A
// lambda's body is a function of its own (walked separately), so only its
// captures are walked here; a scope is walked with W.Scope set to it, then
// W.leaveScope(S) drops what the check tracked in it. Returns false for any
// other statement, which the check handles itself.
template <class Walker>
bool walkStructure(Walker &W, const clang::Stmt *S) {
  if (const auto *LE = llvm::dyn_cast<clang::LambdaExpr>(S)) {
    for (const clang::Expr *Init : LE->capture_inits())
      W.walk(Init);
    return true;
  }
  if (!isScope(S))
    return false;
  const clang::Stmt *Saved = W.Scope;
  W.Scope = S;
  for (const clang::Stmt *C : S->children())
    W.walk(C);
  W.Scope = Saved;
  W.leaveScope(S);
  return true;
}

// --- the plugin's hooks (CheckHooks.cpp) -----------------------------------

// Session is one compilation's checks: the enabled files and the levels.
class Session : public std::enable_shared_from_this<Session> {
public:
  // Reads the -W options and the plugin's W arguments, and follows
  // diagnostic push/pop from here on.
  static std::shared_ptr<Session> start(clang::CompilerInstance &CI,
                                        llvm::ArrayRef<std::string> PluginArgs);
  // FE (null for a buffer without a file) opted in; Text is its rewritten
  // text, whose diagnostic pragmas naming a check are mapped in place.
  void enable(const clang::FileEntry *FE, std::string &Text);
  // The AST consumer that runs the checks after parsing.
  std::unique_ptr<clang::ASTConsumer> consumer();

  llvm::DenseSet<const clang::FileEntry *> Enabled;
  Settings Levels;

private:
  clang::CompilerInstance *CI = nullptr;
};

// Renames `clang|GCC diagnostic <level> "-Wcprime…"` pragmas (also in
// _Pragma) to `cprime diag`, without moving any column.
void mapDiagnosticPragmas(std::string &Text);
// Arg is a -fplugin-arg-cprime- argument; a W<option> for the checks is
// taken (appended to Out, without the W) and true returned.
bool acceptPluginArg(llvm::StringRef Arg, std::vector<std::string> &Out);
// The rest of a `#pragma cprime` line.
void handlePragma(clang::Preprocessor &PP, clang::PragmaIntroducer Intro,
                  clang::Token &Tok);

// runAll analyses the functions defined in the Enabled files.
void runAll(clang::ASTContext &Ctx,
            const llvm::DenseSet<const clang::FileEntry *> &Enabled,
            const Settings &S);

void runLockAcrossSuspend(const TUFacts &F, Reporter &R);
void runTlsAcrossSuspend(const TUFacts &F, Reporter &R);
void runBlockingCall(const TUFacts &F, Reporter &R);
void runDanglingCapture(const TUFacts &F, Reporter &R);

} // namespace cprime::checks

#endif
