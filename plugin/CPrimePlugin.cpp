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
//  - Clang's own diagnostics in a rewritten file are shown on the user's
//    text by DiagnosticMapper, installed when a file is first rewritten.
//  - Rewriter errors go through DiagnosticsEngine at the original offsets;
//    the file is then compiled unrewritten with later diagnostics suppressed,
//    so the user sees the CPrime error and not a cascade from the raw syntax.
//  - The hazard checks (Checks.h, CheckHooks.cpp) are told each enabled
//    file and its rewritten text, and own the AST consumer.
//
//===----------------------------------------------------------------------===//

#include "Checks.h"
#include "DiagnosticMapper.h"
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
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

using namespace clang;

namespace {

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
// It also refuses -fixit (a cc1 option): Clang's fix-it writer would save
// the rewritten C++ over the user's file.
bool appliesFixIts(const CompilerInstance &CI) {
  const FrontendOptions &FO = CI.getFrontendOpts();
  return FO.ProgramAction == frontend::FixIt || FO.FixAndRecompile;
}

bool requireCxx20(CompilerInstance &CI, FileID FID, llvm::StringRef Text) {
  const LangOptions &LO = CI.getLangOpts();
  bool FixIt = appliesFixIts(CI);
  if (LO.CPlusPlus && LO.CPlusPlus20 && !FixIt)
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
            FixIt ? DE.getCustomDiagID(
                        DiagnosticsEngine::Error,
                        "CPrime cannot apply fix-its to an enabled file "
                        "(-fixit would save the rewritten C++ over it); use "
                        "-fdiagnostics-parseable-fixits, whose edits are on "
                        "your text")
                  : DE.getCustomDiagID(DiagnosticsEngine::Error,
                                       "CPrime needs C++20 or later; compile "
                                       "with -std=c++20 (or -std=gnu++20, or "
                                       "newer)"));
  DE.setSuppressAllDiagnostics(true);
  return false;
}

class IncludeHook : public PPCallbacks {
public:
  IncludeHook(CompilerInstance &CI, std::shared_ptr<cprime::checks::Session> Checks)
      : CI(CI), SM(CI.getSourceManager()), Checks(std::move(Checks)) {}

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
    if (!CI.getLangOpts().CPlusPlus20 || appliesFixIts(CI)) {
      Pending[&File->getFileEntry()] = {};
      return;
    }
    if (!R.Diags.empty()) {
      Pending[&File->getFileEntry()] = std::move(R.Diags);
      return;
    }
    Checks->enable(&File->getFileEntry(), R.Text);
    if (R.Text == Buf->getBuffer())
      return;
    cprime::DiagnosticMapper::install(CI).addFile(*File, Buf->getBuffer(),
                                                  std::move(R.Map));
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
  std::shared_ptr<cprime::checks::Session> Checks;
  llvm::DenseSet<const FileEntry *> Seen;
  llvm::DenseMap<const FileEntry *, cprime::DiagnosticList> Pending;
};

class CPrimeAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    auto Checks = cprime::checks::Session::start(CI, CheckArgs);
    rewriteMainFile(CI, *Checks);
    CI.getPreprocessor().addPPCallbacks(std::make_unique<IncludeHook>(CI, Checks));
    return Checks->consumer();
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    // Returning false would drop the plugin silently: report instead.
    DiagnosticsEngine &DE = CI.getDiagnostics();
    for (const std::string &A : Args)
      if (!cprime::checks::acceptPluginArg(A, CheckArgs))
        DE.Report(DE.getCustomDiagID(DiagnosticsEngine::Error,
                                     "unknown argument '%0' to the cprime plugin"))
            << A;
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  std::vector<std::string> CheckArgs;

  static void rewriteMainFile(CompilerInstance &CI, cprime::checks::Session &Checks) {
    SourceManager &SM = CI.getSourceManager();
    FileID Main = SM.getMainFileID();
    if (Main.isInvalid())
      return;
    llvm::StringRef Original = SM.getBufferData(Main);
    cprime::RewriteResult R = cprime::rewrite(Original);
    if (!R.Enabled || !requireCxx20(CI, Main, Original))
      return;
    // An enabled file runs on coroutine stacks: a frame larger than a page
    // probes its pages top down, so it meets the stack's guard zone instead
    // of jumping over it (docs/runtime.md, "Stacks").
    CI.getCodeGenOpts().StackClashProtector = true;
    if (!R.Diags.empty())
      return report(CI.getDiagnostics(), SM, Main, R.Diags);
    OptionalFileEntryRef FE = SM.getFileEntryRefForID(Main);
    Checks.enable(FE ? &FE->getFileEntry() : nullptr, R.Text);
    if (R.Text == Original)
      return;
    SrcMgr::CharacteristicKind Kind =
        SM.getFileCharacteristic(SM.getLocForStartOfFile(Main));
    llvm::StringRef Name = SM.getBufferOrFake(Main).getBufferIdentifier();
    auto Buffer = llvm::MemoryBuffer::getMemBufferCopy(R.Text, Name);
    cprime::DiagnosticMapper &Mapper = cprime::DiagnosticMapper::install(CI);
    if (FE) {
      // Original goes with the buffer it points into: copy it first.
      Mapper.addFile(*FE, Original, std::move(R.Map));
      SM.overrideFileContents(*FE, std::move(Buffer));
      SM.setMainFileID(SM.createFileID(*FE, SourceLocation(), Kind));
    } else {
      SM.setMainFileID(SM.createFileID(std::move(Buffer), Kind));
      Mapper.addBuffer(SM.getMainFileID(), Original, std::move(R.Map));
    }
  }
};

// `#pragma cprime` opts a file in; Clang itself must not warn about it.
// `#pragma cprime diag …` sets a hazard check's level (CheckHooks.cpp).
class CPrimePragma : public PragmaHandler {
public:
  CPrimePragma() : PragmaHandler("cprime") {}
  void HandlePragma(Preprocessor &PP, PragmaIntroducer Intro, Token &Tok) override {
    cprime::checks::handlePragma(PP, Intro, Tok);
  }
};

} // namespace

static FrontendPluginRegistry::Add<CPrimeAction>
    X("cprime", "rewrite CPrime constructs (spawn, select, parallel, defer, "
                "timeout, co_await) into calls on the CPrime runtime");
static PragmaHandlerRegistry::Add<CPrimePragma>
    Y("cprime", "marks a file as CPrime-enabled");
