//===- CheckHooks.cpp - where the hazard checks meet the plugin -----------===//
//
// CPrimePlugin.cpp calls four things from here: Session::start when the
// compilation begins, Session::enable for each enabled file (with its
// rewritten text), Session::consumer for the AST consumer, and
// acceptPluginArg / handlePragma for the plugin's arguments and pragma.
//
// Silencing. Clang has no API for a plugin to add warning groups, and it
// reports an unknown -W option (an error under -Werror) while it sets up
// diagnostics, before any plugin is loaded. So:
//  - the -W options Clang parsed (DiagnosticOptions::Warnings) are read
//    here; -fplugin-arg-cprime-W<option> takes the same option without
//    Clang's complaint (docs/checks/README.md, "Silencing");
//  - in an enabled file, a diagnostic pragma naming a -Wcprime group
//    (`#pragma clang|GCC diagnostic <level> "-Wcprime-…"`, or the same in
//    _Pragma("…")) is renamed to `cprime diag` before Clang lexes it, padded
//    with spaces to its old length so that no column moves, and handled by
//    handlePragma; push and pop stay Clang's and are followed through
//    PPCallbacks.
//
//===----------------------------------------------------------------------===//

#include "Checks.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Pragma.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <optional>

using namespace clang;

namespace cprime::checks {

namespace {

// The session of the compilation running on this thread, for handlePragma:
// Clang's registry creates the pragma handler, it cannot be handed one.
thread_local Session *Current = nullptr;

// Follows Clang's `#pragma … diagnostic push/pop`.
class PushPop : public PPCallbacks {
public:
  PushPop(Settings &S, SourceManager &SM) : S(S), SM(SM) {}
  void PragmaDiagnosticPush(SourceLocation Loc, StringRef) override {
    S.pragmaPush(SM.getExpansionLoc(Loc));
  }
  void PragmaDiagnosticPop(SourceLocation Loc, StringRef) override {
    S.pragmaPop(SM.getExpansionLoc(Loc));
  }

private:
  Settings &S;
  SourceManager &SM;
};

// Runs the checks once the translation unit is parsed, when an enabled file
// was seen and the file compiled without error (the checks would only echo
// an error).
class Consumer : public ASTConsumer {
public:
  Consumer(CompilerInstance &CI, std::shared_ptr<Session> S)
      : CI(CI), S(std::move(S)) {}
  ~Consumer() override {
    if (Current == S.get())
      Current = nullptr;
  }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (S->Enabled.empty() || CI.getDiagnostics().hasErrorOccurred() ||
        !S->Levels.anyEnabled())
      return;
    runAll(Ctx, S->Enabled, S->Levels);
  }

private:
  CompilerInstance &CI;
  std::shared_ptr<Session> S;
};

bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

// Consumes Word from the front of S when it stands alone (not a prefix of a
// longer identifier).
bool consumeWord(llvm::StringRef &S, llvm::StringRef Word) {
  if (!S.starts_with(Word) ||
      (S.size() > Word.size() && isIdentChar(S[Word.size()])))
    return false;
  S = S.drop_front(Word.size());
  return true;
}

// Horizontal whitespace only: a pragma ends at its line's end.
llvm::StringRef skipBlanks(llvm::StringRef S) { return S.ltrim(" \t"); }

// Whether the text before Pos (Pos is where `clang` or `GCC` starts) opens a
// pragma: `#pragma ` at the start of a line, or `_Pragma("`.
bool opensPragma(llvm::StringRef Text, size_t Pos) {
  llvm::StringRef Before = Text.take_front(Pos).rtrim(" \t");
  if (Before.consume_back("\"")) {
    Before = Before.rtrim(" \t");
    if (!Before.consume_back("("))
      return false;
    Before = Before.rtrim(" \t");
    return Before.consume_back("_Pragma") &&
           (Before.empty() || !isIdentChar(Before.back()));
  }
  if (!Before.consume_back("pragma"))
    return false;
  Before = Before.rtrim(" \t");
  if (!Before.consume_back("#"))
    return false;
  Before = Before.rtrim(" \t");
  return Before.empty() || Before.back() == '\n';
}

} // namespace

std::shared_ptr<Session> Session::start(CompilerInstance &CI,
                                        llvm::ArrayRef<std::string> PluginArgs) {
  auto S = std::make_shared<Session>();
  const DiagnosticOptions &DO = CI.getDiagnosticOpts();
  for (const std::string &W : DO.Warnings)
    S->Levels.applyOption(W);
  for (const std::string &W : PluginArgs)
    S->Levels.applyOption(W);
  S->Levels.setIgnoreAll(DO.IgnoreWarnings);
  CI.getPreprocessor().addPPCallbacks(
      std::make_unique<PushPop>(S->Levels, CI.getSourceManager()));
  S->CI = &CI;
  Current = S.get();
  return S;
}

void Session::enable(const FileEntry *FE, std::string &Text) {
  if (FE)
    Enabled.insert(FE);
  mapDiagnosticPragmas(Text);
}

std::unique_ptr<ASTConsumer> Session::consumer() {
  return std::make_unique<Consumer>(*CI, shared_from_this());
}

void mapDiagnosticPragmas(std::string &Text) {
  // Every `-Wcprime` group in the text: a pragma naming one stands on the
  // same line, before it.
  for (size_t At = 0; (At = Text.find("-Wcprime", At)) != std::string::npos;
       At += 8) {
    size_t LineStart = Text.rfind('\n', At);
    LineStart = LineStart == std::string::npos ? 0 : LineStart + 1;
    llvm::StringRef Line = llvm::StringRef(Text).slice(LineStart, At);
    // The last `diagnostic` before the group, preceded by the namespace.
    size_t D = Line.rfind("diagnostic");
    if (D == llvm::StringRef::npos)
      continue;
    llvm::StringRef Ns = Line.take_front(D).rtrim(" \t");
    size_t NsLen = Ns.ends_with("clang") ? 5 : Ns.ends_with("GCC") ? 3 : 0;
    if (!NsLen)
      continue;
    size_t NsPos = LineStart + Ns.size() - NsLen;
    if (NsPos > LineStart && isIdentChar(Text[NsPos - 1]))
      continue;
    if (!opensPragma(Text, NsPos))
      continue;
    // Between `diagnostic` and the group: the level, then `"` (or `\"`
    // inside _Pragma's string).
    llvm::StringRef Rest = skipBlanks(Line.drop_front(D + 10));
    if (!consumeWord(Rest, "ignored") && !consumeWord(Rest, "warning") &&
        !consumeWord(Rest, "error"))
      continue;
    Rest = skipBlanks(Rest);
    if (Rest != "\"" && Rest != "\\\"")
      continue;
    // `clang diagnostic` / `GCC diagnostic`, whatever the blanks between,
    // becomes `cprime diag` and blanks: the same length.
    size_t End = LineStart + D + 10;
    std::string New = "cprime diag";
    New.resize(End - NsPos, ' ');
    Text.replace(NsPos, End - NsPos, New);
  }
}

bool acceptPluginArg(llvm::StringRef Arg, std::vector<std::string> &Out) {
  Settings Probe;
  if (!Arg.consume_front("W") || !Probe.applyOption(Arg))
    return false;
  Out.push_back(Arg.str());
  return true;
}

void handlePragma(Preprocessor &PP, PragmaIntroducer Intro, Token &Tok) {
  PP.Lex(Tok);
  llvm::StringRef Sub = Tok.is(tok::identifier) ? Tok.getIdentifierInfo()->getName() : "";
  if (Sub != "diag" && Sub != "diagnostic")
    return; // `#pragma cprime` (the opt-in) or an unknown form: no effect
  PP.Lex(Tok);
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
  llvm::StringRef Name = llvm::StringRef(Spelling).drop_front().drop_back();
  llvm::StringRef Group = Name;
  if (Current && Group.consume_front("-W") &&
      Current->Levels.pragmaSet(PP.getSourceManager().getExpansionLoc(Intro.Loc),
                                Group, *Lv))
    return;
  DiagnosticsEngine &DE = PP.getDiagnostics();
  DE.Report(Tok.getLocation(),
            DE.getCustomDiagID(DiagnosticsEngine::Warning,
                               "unknown warning group '%0', ignored"))
      << Name;
}

} // namespace cprime::checks
