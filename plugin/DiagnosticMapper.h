//===- DiagnosticMapper.h - Clang's diagnostics on the user's text -*- C++ -*-===//
//
// Clang compiles an enabled file's rewritten text, so on its own it reports
// rewritten columns and prints rewritten lines. DiagnosticMapper is the
// DiagnosticConsumer the plugin puts in front of the compiler's own (the
// text printer, -verify, SARIF, --serialize-diagnostics, …). A diagnostic
// that touches a rewritten buffer — its location, a range, a fix-it, or a
// macro expansion or #include on the way there — is rebuilt on a second
// FileID that holds the file as the user wrote it, under the same file
// entry, and handed to that consumer as a StoredDiagnostic: the consumer
// renders the user's line, column, caret line, ranges, fix-its, macro
// backtrace and include stack with Clang's own code. Every other diagnostic
// passes through untouched. See docs/design.md, "Diagnostics".
//
// A diagnostic whose locations all lie on lines the rewrite left as they
// were is passed through as it is: its line, column and snippet are already
// the user's.
//
// What must hold:
//  - Levels, -Werror, error limits and pragmas are decided by Clang's engine
//    before a diagnostic reaches a consumer; the mapper never changes them.
//  - The error and warning counts Clang prints and exits on are the wrapped
//    consumer's (under -verify, the mismatches), mirrored after every call.
//  - The second FileID gets the rewritten FileID's include location (mapped
//    too) and #line entries, so names, lines and include stacks are as
//    without the plugin.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_PLUGIN_DIAGNOSTICMAPPER_H
#define CPRIME_PLUGIN_DIAGNOSTICMAPPER_H

#include "Rewrite.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class CompilerInstance;
}

namespace cprime {

class DiagnosticMapper : public clang::DiagnosticConsumer {
public:
  /// The mapper in front of \p CI's diagnostic consumer, installed on first
  /// use.
  static DiagnosticMapper &install(clang::CompilerInstance &CI);
  ~DiagnosticMapper() override;

  /// Every FileID of \p File holds a rewrite of \p Original described by
  /// \p Map (an overridden main file or header).
  void addFile(clang::FileEntryRef File, llvm::StringRef Original,
               OffsetMap Map);
  /// \p FID holds a rewrite of \p Original (a main file read from stdin).
  void addBuffer(clang::FileID FID, llvm::StringRef Original, OffsetMap Map);

  void BeginSourceFile(const clang::LangOptions &LO,
                       const clang::Preprocessor *PP) override;
  void EndSourceFile() override;
  void finish() override;
  void clear() override;
  bool IncludeInDiagnosticCounts() const override;
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override;

private:
  struct Rewritten {
    std::string Original;
    std::string Name;
    OffsetMap Map;
    clang::OptionalFileEntryRef File;
  };
  // A rewritten FileID's twin with the original text (or, with R null, a
  // FileID that is not rewritten, twins included).
  struct Twin {
    const Rewritten *R = nullptr;
    clang::FileID ID;
    size_t LineEntries = 0;
  };

  DiagnosticMapper(clang::DiagnosticsEngine &Engine,
                   clang::DiagnosticConsumer *Inner,
                   std::unique_ptr<clang::DiagnosticConsumer> Owned,
                   const clang::LangOptions &LO);

  void forward(clang::DiagnosticsEngine::Level Level,
               const clang::Diagnostic &Info);
  void mirrorCounts();

  bool onRewrittenLine(clang::SourceLocation Loc, unsigned Depth = 0);
  bool onRewrittenLine(const clang::Diagnostic &Info);
  const Rewritten *rewrittenFile(clang::FileID FID);
  const Twin *twinOf(clang::FileID FID);
  void copyLineEntries(clang::FileID FID, Twin &T);
  clang::SourceLocation mapLoc(clang::SourceLocation Loc, bool RangeEnd = false);
  clang::SourceLocation mapExpansion(clang::FileID FID);
  std::optional<clang::CharSourceRange> mapRange(clang::CharSourceRange R);
  std::optional<clang::CharSourceRange> mapExactly(clang::CharSourceRange R);
  bool decompose(clang::CharSourceRange R, clang::FileID &FID, unsigned &Begin,
                 unsigned &End);

  clang::DiagnosticsEngine &Engine;
  clang::DiagnosticConsumer *Inner;
  std::unique_ptr<clang::DiagnosticConsumer> Owned;
  const clang::LangOptions *LangOpts;
  // Hands rebuilt diagnostics to Inner: a second engine, so that the one
  // whose diagnostic is in flight is left alone.
  std::unique_ptr<clang::DiagnosticsEngine> Replay;

  std::vector<std::unique_ptr<Rewritten>> Files;
  llvm::DenseMap<const clang::FileEntry *, const Rewritten *> ByEntry;
  llvm::DenseMap<clang::FileID, const Rewritten *> ByBuffer;
  // The SourceManager whose buffers the plugin rewrote.
  clang::SourceManager *SM = nullptr;
  llvm::DenseMap<clang::FileID, Twin> Twins;
  // An expansion's copy over twin locations (or its own start, unchanged).
  llvm::DenseMap<clang::FileID, clang::SourceLocation> Expansions;
};

} // namespace cprime

#endif
