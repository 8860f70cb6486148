//===- CPrimePlugin.cpp - clang++-19 -fplugin=libcprime.so ----------------===//
//
// Registration and buffer plumbing only; all rewriting is in rewriter/.
//
// How the hook works with Clang 19 (verified against Clang 19's sources):
//  - An AddBeforeMainAction plugin action is active with just -fplugin=.
//    Clang calls only ParseArgs and CreateASTConsumer, then destroys the
//    action: state that must live on is owned by the PPCallbacks.
//  - In CreateASTConsumer nothing has been lexed: the main file's buffer is
//    overridden and its FileID re-created (otherwise text past the original
//    length would map into the next buffer).
//  - InclusionDirective fires after header lookup and before the header's
//    FileID exists, so overriding a user header's contents there works.
//  - A file that does not opt in (docs/using.md) is never touched.
//  - An enabled main file is compiled with stack clash protection (the
//    -fstack-clash-protection code generation option).
//  - Enabled files are recorded for the hazard checks (Checks.h), which run
//    on the AST once parsing is done. With no enabled file the consumer does
//    nothing. `#pragma clang diagnostic <level> "-Wcprime-…"` lines of an
//    enabled file become `#pragma cprime diagnostic …` (Clang would reject
//    the unknown group), handled by CPrimePragma below.
//  - Rewriter errors go through DiagnosticsEngine at the original offsets;
//    the file is then compiled unrewritten with later diagnostics suppressed,
//    so the user sees the CPrime error and not a cascade from the raw syntax.
//
//===----------------------------------------------------------------------===//

#include "Checks.h"
#include "Rewrite.h"
#include "Scanner.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Pragma.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

using namespace clang;

namespace {

// CheckState is what the hazard checks need from the preprocessing: the
// enabled files and the levels set by options and pragmas.
struct CheckState {
  llvm::DenseSet<const FileEntry *> Enabled;
  cprime::checks::Settings Settings;
};

// The state of the compilation running on this thread, for CPrimePragma
// (instantiated by Clang's registry, it cannot be handed the state).
thread_local CheckState *CurrentState = nullptr;

// mapDiagnosticPragmas rewrites `#pragma clang diagnostic <level>
// "-Wcprime-…"` into `#pragma cprime diagnostic …` in Text. Clang warns about
// a warning group it does not know (and errors under -Werror) before any
// plugin code could see the pragma; the cprime handler records it instead.
// No newline is added or removed.
void mapDiagnosticPragmas(std::string &Text) {
  size_t Pos = 0;
  while ((Pos = Text.find("diagnostic", Pos)) != std::string::npos) {
    size_t LineStart = Text.rfind('\n', Pos);
    LineStart = LineStart == std::string::npos ? 0 : LineStart + 1;
    size_t LineEnd = Text.find('\n', Pos);
    llvm::StringRef Line = llvm::StringRef(Text).slice(LineStart, LineEnd);
    Pos += 10;
    llvm::StringRef Rest = Line.ltrim();
    if (!Rest.consume_front("#"))
      continue;
    Rest = Rest.ltrim();
    if (!Rest.consume_front("pragma"))
      continue;
    Rest = Rest.ltrim();
    size_t Clang = Rest.data() - Text.data();
    if (!Rest.consume_front("clang"))
      continue;
    Rest = Rest.ltrim();
    if (!Rest.consume_front("diagnostic"))
      continue;
    Rest = Rest.ltrim();
    if (!Rest.consume_front("ignored") && !Rest.consume_front("warning") &&
        !Rest.consume_front("error"))
      continue;
    if (!Rest.ltrim().starts_with("\"-Wcprime"))
      continue;
    Text.replace(Clang, 5, "cprime");
    Pos = LineEnd == std::string::npos ? Text.size() : LineEnd + 1;
  }
}

// report emits the rewriter's errors for the file FID through Clang, then
// silences what follows: the unrewritten file would only add a cascade.
void report(DiagnosticsEngine &DE, SourceManager &SM, FileID FID,
            const cprime::DiagnosticList &Diags) {
  SourceLocation Start = SM.getLocForStartOfFile(FID);
  unsigned Size = SM.getBufferData(FID).size();
  for (const cprime::Diagnostic &D : Diags) {
    unsigned ID = DE.getDiagnosticIDs()->getCustomDiagID(
        DiagnosticIDs::Error, cprime::diagMessage(D.ID));
    DE.Report(Start.getLocWithOffset(std::min<unsigned>(D.Offset, Size)), ID);
  }
  DE.setSuppressAllDiagnostics(true);
}

// The runtime headers the lowering calls into are C++20 (concepts, requires
// clauses, <coroutine>): an older -std fails deep inside them. requireCxx20 reports one error at the
// file's opt-in line instead and silences the cascade; it returns false then.
bool requireCxx20(CompilerInstance &CI, FileID FID, llvm::StringRef Text) {
  const LangOptions &LO = CI.getLangOpts();
  if (LO.CPlusPlus && LO.CPlusPlus20)
    return true;
  uint32_t Offset = 0;
  for (llvm::StringRef Rest = Text; !Rest.empty();) {
    auto [Line, Tail] = Rest.split('\n');
    if (cprime::isCPrimeEnabled(Line)) {
      Offset = Line.data() - Text.data();
      break;
    }
    Rest = Tail;
  }
  DiagnosticsEngine &DE = CI.getDiagnostics();
  SourceManager &SM = CI.getSourceManager();
  DE.Report(SM.getLocForStartOfFile(FID).getLocWithOffset(Offset),
            DE.getCustomDiagID(DiagnosticsEngine::Error,
                               "CPrime needs C++20 or later; compile with "
                               "-std=c++20 (or -std=gnu++20, or newer)"));
  DE.setSuppressAllDiagnostics(true);
  return false;
}

class IncludeHook : public PPCallbacks {
public:
  IncludeHook(CompilerInstance &CI, std::shared_ptr<CheckState> State)
      : CI(CI), SM(CI.getSourceManager()), State(std::move(State)) {}

  void PragmaDiagnosticPush(SourceLocation Loc, StringRef) override {
    State->Settings.pragmaPush(Loc);
  }
  void PragmaDiagnosticPop(SourceLocation Loc, StringRef) override {
    State->Settings.pragmaPop(Loc);
  }

  void InclusionDirective(SourceLocation, const Token &, StringRef FileName,
                          bool, CharSourceRange, OptionalFileEntryRef File,
                          StringRef, StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind FileType) override {
    // System headers never opt in; the runtime's own headers are plain C++.
    if (!File || FileType != SrcMgr::C_User || FileName.starts_with("cprime/"))
      return;
    if (!Seen.insert(&File->getFileEntry()).second ||
        SM.isFileOverridden(*File))
      return;
    std::optional<llvm::MemoryBufferRef> Buf =
        SM.getMemoryBufferForFileOrNone(*File);
    if (!Buf)
      return;
    cprime::RewriteResult R = cprime::rewrite(Buf->getBuffer());
    if (!R.Enabled)
      return;
    if (!CI.getLangOpts().CPlusPlus20) {
      Pending[&File->getFileEntry()] = {};
      return;
    }
    if (!R.Diags.empty()) {
      Pending[&File->getFileEntry()] = std::move(R.Diags);
      return;
    }
    State->Enabled.insert(&File->getFileEntry());
    mapDiagnosticPragmas(R.Text);
    if (R.Text != Buf->getBuffer())
      SM.overrideFileContents(*File, llvm::MemoryBuffer::getMemBufferCopy(
                                         R.Text, Buf->getBufferIdentifier()));
  }

  // A header's errors are reported once it has a FileID to point into.
  void FileChanged(SourceLocation Loc, FileChangeReason Reason,
                   SrcMgr::CharacteristicKind, FileID) override {
    if (Reason != EnterFile || Pending.empty())
      return;
    FileID FID = SM.getFileID(Loc);
    OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
    if (!FE)
      return;
    auto It = Pending.find(&FE->getFileEntry());
    if (It == Pending.end())
      return;
    cprime::DiagnosticList Diags = std::move(It->second);
    Pending.erase(It);
    if (requireCxx20(CI, FID, SM.getBufferData(FID)))
      report(CI.getDiagnostics(), SM, FID, Diags);
  }

private:
  CompilerInstance &CI;
  SourceManager &SM;
  std::shared_ptr<CheckState> State;
  llvm::DenseSet<const FileEntry *> Seen;
  llvm::DenseMap<const FileEntry *, cprime::DiagnosticList> Pending;
};

// CheckConsumer runs the hazard checks once the translation unit is parsed,
// when an enabled file was seen and the file compiled without error (the
// checks would only echo an error).
class CheckConsumer : public ASTConsumer {
public:
  CheckConsumer(CompilerInstance &CI, std::shared_ptr<CheckState> State)
      : CI(CI), State(std::move(State)) {
    CurrentState = this->State.get();
  }
  ~CheckConsumer() override {
    if (CurrentState == State.get())
      CurrentState = nullptr;
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (State->Enabled.empty() || CI.getDiagnostics().hasErrorOccurred() ||
        !State->Settings.anyEnabled())
      return;
    cprime::checks::runAll(Ctx, State->Enabled, State->Settings);
  }

private:
  CompilerInstance &CI;
  std::shared_ptr<CheckState> State;
};

class CPrimeAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    auto State = std::make_shared<CheckState>();
    const DiagnosticOptions &DO = CI.getDiagnosticOpts();
    for (const std::string &W : DO.Warnings)
      State->Settings.applyOption(W);
    for (const std::string &W : PluginWarnings)
      State->Settings.applyOption(W);
    State->Settings.setIgnoreAll(DO.IgnoreWarnings);
    if (const FileEntry *Main = rewriteMainFile(CI))
      State->Enabled.insert(Main);
    CI.getPreprocessor().addPPCallbacks(std::make_unique<IncludeHook>(CI, State));
    return std::make_unique<CheckConsumer>(CI, std::move(State));
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    // Returning false would drop the plugin silently: report instead.
    // -fplugin-arg-cprime-W<option> sets a check's level like -W<option>,
    // without Clang's warning about a group it does not know.
    DiagnosticsEngine &DE = CI.getDiagnostics();
    cprime::checks::Settings Probe;
    for (const std::string &A : Args) {
      llvm::StringRef W(A);
      if (W.consume_front("W") && Probe.applyOption(W)) {
        PluginWarnings.push_back(W.str());
        continue;
      }
      DE.Report(DE.getCustomDiagID(DiagnosticsEngine::Error,
                                   "unknown argument '%0' to the cprime plugin"))
          << A;
    }
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  std::vector<std::string> PluginWarnings;

  // rewriteMainFile returns the main file's entry when it is enabled and was
  // rewritten without error (the checks analyse it), else null.
  static const FileEntry *rewriteMainFile(CompilerInstance &CI) {
    SourceManager &SM = CI.getSourceManager();
    FileID Main = SM.getMainFileID();
    if (Main.isInvalid())
      return nullptr;
    llvm::StringRef Original = SM.getBufferData(Main);
    cprime::RewriteResult R = cprime::rewrite(Original);
    if (!R.Enabled || !requireCxx20(CI, Main, Original))
      return nullptr;
    // An enabled file runs on coroutine stacks: a frame larger than a page
    // probes its pages top down, so it meets the stack's guard zone instead
    // of jumping over it (docs/runtime.md, "Stacks").
    CI.getCodeGenOpts().StackClashProtector = true;
    if (!R.Diags.empty()) {
      report(CI.getDiagnostics(), SM, Main, R.Diags);
      return nullptr;
    }
    OptionalFileEntryRef FE = SM.getFileEntryRefForID(Main);
    const FileEntry *Entry = FE ? &FE->getFileEntry() : nullptr;
    mapDiagnosticPragmas(R.Text);
    if (R.Text == Original)
      return Entry;
    SrcMgr::CharacteristicKind Kind =
        SM.getFileCharacteristic(SM.getLocForStartOfFile(Main));
    llvm::StringRef Name = SM.getBufferOrFake(Main).getBufferIdentifier();
    auto Buffer = llvm::MemoryBuffer::getMemBufferCopy(R.Text, Name);
    if (FE) {
      SM.overrideFileContents(*FE, std::move(Buffer));
      SM.setMainFileID(SM.createFileID(*FE, SourceLocation(), Kind));
    } else {
      SM.setMainFileID(SM.createFileID(std::move(Buffer), Kind));
    }
    return Entry;
  }
};

// `#pragma cprime` opts a file in; Clang itself must not warn about it.
// `#pragma cprime diagnostic <ignored|warning|error> "-Wcprime-…"` (what
// mapDiagnosticPragmas makes of the `clang diagnostic` spelling) sets a
// check's level from that point, like Clang's own pragma.
class CPrimePragma : public PragmaHandler {
public:
  CPrimePragma() : PragmaHandler("cprime") {}
  void HandlePragma(Preprocessor &PP, PragmaIntroducer Intro, Token &Tok) override {
    PP.Lex(Tok);
    if (!Tok.is(tok::identifier) || Tok.getIdentifierInfo()->getName() != "diagnostic")
      return;
    PP.Lex(Tok);
    using cprime::checks::Level;
    std::optional<Level> Lv;
    if (Tok.is(tok::identifier))
      Lv = llvm::StringSwitch<std::optional<Level>>(Tok.getIdentifierInfo()->getName())
               .Case("ignored", Level::Ignored)
               .Case("warning", Level::Warning)
               .Case("error", Level::Error)
               .Default(std::nullopt);
    PP.Lex(Tok);
    if (!Lv || !Tok.is(tok::string_literal))
      return;
    std::string Spelling = PP.getSpelling(Tok);
    llvm::StringRef Group = llvm::StringRef(Spelling).drop_front().drop_back();
    DiagnosticsEngine &DE = PP.getDiagnostics();
    if (CurrentState && Group.consume_front("-W") &&
        CurrentState->Settings.pragmaSet(Intro.Loc, Group, *Lv))
      return;
    DE.Report(Tok.getLocation(),
              DE.getCustomDiagID(DiagnosticsEngine::Warning,
                                 "unknown warning group '%0', ignored"))
        << llvm::StringRef(Spelling).drop_front().drop_back();
  }
};

} // namespace

static FrontendPluginRegistry::Add<CPrimeAction>
    X("cprime", "rewrite CPrime constructs (spawn, select, parallel, defer, "
                "timeout, co_await) into calls on the CPrime runtime");
static PragmaHandlerRegistry::Add<CPrimePragma>
    Y("cprime", "marks a file as CPrime-enabled");
