//===- main.cpp - cprime-rewrite: print a file's rewritten C++ ------------===//
//
//   cprime-rewrite [--force] [--line-markers] [-o out] <file | ->
//
// Prints what the Clang plugin compiles: the file with its CPrime constructs
// lowered to runtime calls, every line where it was. Files that do not opt
// in are printed unchanged (--force rewrites them anyway). Errors print as
// file:line:col: error: message, and the exit status is 1.
//
// --line-markers puts `#line 1 "file"` first, so a compiler reading the
// result from a pipe or another file names the user's file in its
// diagnostics, on the same lines. It is an option, not the default, because
// without it the output is line-for-line the input (diff and review rely on
// that).
//
//===----------------------------------------------------------------------===//

#include "Rewrite.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {

// --help lists this category only, not the options every LLVM tool links.
cl::OptionCategory Category("cprime-rewrite options");

cl::opt<std::string> Input(cl::Positional, cl::desc("<file | ->"),
                           cl::Required, cl::cat(Category));
cl::opt<std::string> Output("o", cl::desc("Write the result to <file>"),
                            cl::value_desc("file"), cl::init("-"),
                            cl::cat(Category));
cl::opt<bool> Force("force",
                    cl::desc("Rewrite even a file that does not opt in"),
                    cl::cat(Category));
cl::opt<bool> LineMarkers(
    "line-markers",
    cl::desc("Start the output with #line 1 \"<file>\" so that a compiler "
             "reading it names <file> in diagnostics"),
    cl::cat(Category));

// For tests: checks the offset map of the rewrite against the texts.
cl::opt<bool> VerifyMap("verify-offset-map", cl::Hidden,
                        cl::desc("Check the rewrite's offset map; print a "
                                 "summary instead of the output"),
                        cl::cat(Category));

// verifyMap checks what tools mapping positions rely on: the spans tile the
// output; a verbatim span's bytes are the input's; every verbatim byte maps
// to the input and back exactly, and carries edits over exactly; inserted
// text carries none, and maps to the token it stands for or, for a closer,
// to its construct's keyword; every offset maps into range.
bool verifyMap(StringRef Source, StringRef Text, const cprime::OffsetMap &M,
               raw_ostream &OS) {
  if (M.identity()) {
    OS << "identity map\n";
    return Text == Source;
  }
  uint32_t Next = 0, Verbatim = 0, Inserted = 0, Closers = 0;
  for (const cprime::Span &S : M.spans()) {
    if (S.Out != Next || S.OutLength == 0) {
      OS << "span at " << S.Out << " does not continue at " << Next << "\n";
      return false;
    }
    Next = S.Out + S.OutLength;
    if (S.Src + S.SrcLength > Source.size() || Next > Text.size()) {
      OS << "span at " << S.Out << " out of range\n";
      return false;
    }
    if (!S.Verbatim) {
      Inserted += S.OutLength;
      if (M.exactSource(S.Out, 1)) {
        OS << "inserted span at " << S.Out << " takes edits\n";
        return false;
      }
      StringRef At = Source.substr(M.toSource(S.Out));
      bool Closer = S.SrcLength == 0 && S.Report != S.Src;
      if (Closer && !At.starts_with("spawn") && !At.starts_with("select") &&
          !At.starts_with("parallel") && !At.starts_with("defer") &&
          !At.starts_with("timeout") && !At.starts_with("co_await")) {
        OS << "closer at " << S.Out << " maps to '" << At.take_front(12)
           << "', not a construct's keyword\n";
        return false;
      }
      Closers += Closer;
      continue;
    }
    if (M.exactSource(S.Out, S.OutLength) != S.Src ||
        M.exactSource(S.Out, 0) != S.Src) {
      OS << "verbatim span at " << S.Out << " does not take edits exactly\n";
      return false;
    }
    Verbatim += S.OutLength;
    if (S.OutLength != S.SrcLength ||
        Text.substr(S.Out, S.OutLength) != Source.substr(S.Src, S.SrcLength)) {
      OS << "verbatim span at " << S.Out << " differs from input at " << S.Src
         << "\n";
      return false;
    }
    for (uint32_t K = 0; K < S.OutLength; ++K)
      if (M.toSource(S.Out + K) != S.Src + K ||
          M.toRewritten(S.Src + K) != S.Out + K) {
        OS << "byte " << S.Out + K << " does not map to " << S.Src + K
           << " and back\n";
        return false;
      }
  }
  if (Next != Text.size()) {
    OS << "spans end at " << Next << " of " << Text.size() << "\n";
    return false;
  }
  for (uint32_t I = 0; I <= Source.size(); ++I)
    if (M.toRewritten(I) > Text.size() || M.toRewritten(I, true) > Text.size()) {
      OS << "input offset " << I << " maps out of range\n";
      return false;
    }
  OS << "offset map ok: " << Verbatim << " bytes verbatim, " << Inserted
     << " inserted, " << Closers << " closers at their keyword\n";
  return true;
}

// The path as a string literal for #line: backslashes and quotes escaped.
std::string quoted(StringRef Path) {
  std::string Q = "\"";
  for (char C : Path) {
    if (C == '\\' || C == '"')
      Q += '\\';
    Q += C;
  }
  return Q + "\"";
}

void printDiagnostic(StringRef File, StringRef Source,
                     const cprime::Diagnostic &D) {
  StringRef Before = Source.take_front(D.Offset);
  unsigned Line = Before.count('\n') + 1;
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
  unsigned Col = D.Offset - LineStart + 1;
  errs() << File << ":" << Line << ":" << Col << ": ";
  WithColor(errs(), HighlightColor::Error) << "error: ";
  errs() << cprime::diagMessage(D.ID) << "\n";
  StringRef Text = Source.substr(LineStart).split('\n').first.rtrim('\r');
  errs() << Text << "\n";
  for (size_t I = LineStart; I < D.Offset; ++I)
    errs() << (Source[I] == '\t' ? '\t' : ' ');
  errs() << "^\n";
}

} // namespace

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "cprime-rewrite (CPrime) " CPRIME_VERSION "\n";
  });
  cl::ParseCommandLineOptions(argc, argv,
                              "cprime-rewrite: print a CPrime file as C++\n");
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
      MemoryBuffer::getFileOrSTDIN(Input, /*IsText=*/false);
  if (!Buf) {
    WithColor::error(errs(), "cprime-rewrite")
        << Input << ": " << Buf.getError().message() << "\n";
    return 1;
  }
  StringRef Source = (*Buf)->getBuffer();
  cprime::RewriteResult R = cprime::rewrite(Source, Force);
  StringRef Name = Input == "-" ? "<stdin>" : StringRef(Input);
  for (const cprime::Diagnostic &D : R.Diags)
    printDiagnostic(Name, Source, D);
  if (!R.Diags.empty())
    return 1;

  if (VerifyMap)
    return verifyMap(Source, R.Enabled ? StringRef(R.Text) : Source, R.Map,
                     outs())
               ? 0
               : 1;

  std::error_code EC;
  raw_fd_ostream Out(Output, EC, sys::fs::OF_None);
  if (EC) {
    WithColor::error(errs(), "cprime-rewrite")
        << Output << ": " << EC.message() << "\n";
    return 1;
  }
  // stdin has no name to point back at.
  if (LineMarkers && Input != "-")
    Out << "#line 1 " << quoted(Input) << "\n";
  Out << (R.Enabled ? StringRef(R.Text) : Source);
  return 0;
}
