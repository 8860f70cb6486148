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
