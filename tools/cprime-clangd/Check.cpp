//===- Check.cpp - cprime-clangd --check=FILE -----------------------------===//
//
// clangd's --check parses one file as the editor would and logs every
// problem, ending with "All checks completed, N errors". For an enabled file
// this runs the same check on the rewritten text: the text goes to a private
// copy, compiled with the project's flags for the original file (plus
// `-iquote <its directory>`, so its quoted includes resolve as before, and
// the header overlay). clangd's log is printed with the copy's name replaced
// by the user's; lines are the user's lines, since the rewriter keeps them.
// CPrime syntax errors are logged in clangd's format and counted in the
// summary; clangd's errors on lines blanked to recover from them are not.
//
// One failure of clangd's own is not counted either (see extractBreak
// below). A file that does not opt in goes through the same log, so its
// summary is what clangd's would be but for that failure.
//
//===----------------------------------------------------------------------===//

#include "Server.h"

#include "Document.h"
#include "Workspace.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>

#include <sys/wait.h>
#include <unistd.h>

namespace cprime::clangd {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

// The project root: the nearest directory up from File holding .git, else
// File's directory.
std::string projectRoot(llvm::StringRef File) {
  for (llvm::StringRef D = path::parent_path(File); !D.empty();
       D = path::parent_path(D)) {
    llvm::SmallString<256> G(D);
    path::append(G, ".git");
    if (fs::exists(G))
      return D.str();
  }
  return path::parent_path(File).str();
}

// Where clangd would find File's compile_commands.json: in an ancestor
// directory or its build/ subdirectory.
std::string databaseFor(llvm::StringRef File) {
  for (llvm::StringRef D = path::parent_path(File); !D.empty();
       D = path::parent_path(D))
    if (auto Found = findDatabaseDir(D))
      return *Found;
  return "";
}

// clangd's check also tries every code action it can offer at every token
// and counts one that then fails. clangd-19's "Extract to function" offers
// itself on a `break` or `continue` (or a block ending in one) whose loop is
// outside the selection, then refuses: this exact failure, in plain C++ as
// much as in CPrime files, on code that compiles. It says nothing about the
// file, so it is logged as a warning and left out of the count; any other
// failure, of this action or another, counts.
bool extractBreak(llvm::StringRef Line) {
  return Line.starts_with("E[") &&
         Line.ends_with("] " "    tweak: ExtractFunction ==> FAIL: Cannot "
                        "extract break/continue without corresponding "
                        "loop/switch statement.");
}

[[noreturn]] void execClangd(const std::string &Clangd,
                             std::vector<std::string> Argv) {
  std::vector<char *> P;
  for (std::string &A : Argv)
    P.push_back(A.data());
  P.push_back(nullptr);
  execvp(Clangd.c_str(), P.data());
  llvm::errs() << "cprime-clangd: cannot run " << Clangd << ": "
               << strerror(errno) << "\n";
  _exit(127);
}

} // namespace

int runCheck(const std::string &Clangd, const std::string &FileArg,
             std::vector<std::string> Args) {
  llvm::SmallString<256> File(FileArg);
  fs::make_absolute(File);
  path::remove_dots(File, /*remove_dot_dot=*/true);
  auto Buf = llvm::MemoryBuffer::getFile(File);
  if (!Buf) {
    llvm::errs() << "cprime-clangd: " << FileArg << ": "
                 << Buf.getError().message() << "\n";
    return 1;
  }
  Document D;
  D.setText((*Buf)->getBuffer().str());

  std::string CdbDir;
  std::vector<std::string> Pass;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (A.consume_front("--compile-commands-dir=") ||
        A.consume_front("-compile-commands-dir=")) {
      CdbDir = A.str();
      continue;
    }
    if ((A == "--compile-commands-dir" || A == "-compile-commands-dir") &&
        I + 1 < Args.size()) {
      CdbDir = Args[++I];
      continue;
    }
    Pass.push_back(Args[I]);
  }
  if (CdbDir.empty())
    CdbDir = databaseFor(File);

  Workspace WS;
  bool HaveDb = WS.init(projectRoot(File), CdbDir);

  // An enabled file is checked as a private copy holding the rewritten text,
  // under a directory of its own so that nothing else named like it is found
  // beside it. A file that does not opt in is checked where it is; it still
  // gets the private database, for the enabled headers it may include.
  llvm::SmallString<256> Copy(File);
  if (D.enabled()) {
    Copy = WS.dir();
    path::append(Copy, "check", path::filename(File));
    fs::create_directories(path::parent_path(Copy));
    std::error_code EC;
    llvm::raw_fd_ostream Out(Copy, EC);
    if (EC) {
      llvm::errs() << "cprime-clangd: " << Copy << ": " << EC.message() << "\n";
      return 1;
    }
    Out << D.clangdText();
    Out.close();
    std::string Directory;
    std::vector<std::string> Cmd = WS.commandFor(File, Directory);
    if (Cmd.empty()) {
      // No database: clangd's own fallback is a bare `clang`; CPrime needs
      // C++20 at least.
      Directory = path::parent_path(File).str();
      Cmd = {"clang++", "-std=c++20", std::string(File)};
    }
    for (std::string &A : Cmd) {
      llvm::SmallString<256> Abs(A);
      if (!path::is_absolute(Abs)) {
        Abs = Directory;
        path::append(Abs, A);
      }
      path::remove_dots(Abs, true);
      if (Abs == File)
        A = std::string(Copy);
    }
    Cmd.insert(Cmd.begin() + 1, {"-iquote", path::parent_path(File).str()});
    WS.addEntry(Copy, Directory, Cmd);
  }

  int Pipe[2];
  if (pipe(Pipe))
    return 1;
  pid_t Child = fork();
  if (Child < 0)
    return 1;
  if (Child == 0) {
    dup2(Pipe[1], STDOUT_FILENO);
    dup2(Pipe[1], STDERR_FILENO);
    close(Pipe[0]);
    close(Pipe[1]);
    std::vector<std::string> Argv{Clangd, "--check=" + std::string(Copy)};
    if (HaveDb || D.enabled())
      Argv.push_back("--compile-commands-dir=" + WS.dir());
    else if (!CdbDir.empty())
      Argv.push_back("--compile-commands-dir=" + CdbDir);
    Argv.insert(Argv.end(), Pass.begin(), Pass.end());
    execClangd(Clangd, Argv);
  }
  close(Pipe[1]);
  std::string Log;
  char Tmp[65536];
  for (ssize_t N; (N = read(Pipe[0], Tmp, sizeof Tmp)) != 0;) {
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      break;
    Log.append(Tmp, N);
  }
  close(Pipe[0]);
  int Status = 0;
  waitpid(Child, &Status, 0);

  llvm::Regex DiagLine("^E\\[[^]]*\\] \\[[^]]*\\] Line ([0-9]+):");
  llvm::Regex Summary("^(I\\[[^]]*\\] All checks completed, )([0-9]+)( errors?)$");
  unsigned Dropped = 0, Errors = 0, Known = 0;
  bool SawSummary = false;
  llvm::StringRef Rest = Log;
  while (!Rest.empty()) {
    auto [L, Tail] = Rest.split('\n');
    Rest = Tail;
    std::string Line = L.str();
    if (Copy != File)
      for (size_t P; (P = Line.find(Copy.str())) != std::string::npos;)
        Line.replace(P, Copy.size(), File.str());
    if (extractBreak(Line)) {
      llvm::outs() << "W" << llvm::StringRef(Line).drop_front()
                   << " (a clangd bug on code that compiles: not counted)\n";
      ++Known;
      continue;
    }
    llvm::SmallVector<llvm::StringRef, 4> M;
    if (DiagLine.match(Line, &M)) {
      unsigned N = 0;
      M[1].getAsInteger(10, N);
      if (D.suppressClangd() || D.blanked(static_cast<int>(N) - 1)) {
        ++Dropped;
        continue;
      }
    }
    if (Summary.match(Line, &M)) {
      unsigned N = 0;
      M[2].getAsInteger(10, N);
      Errors = N - std::min(N, Dropped + Known) + D.errors().size();
      llvm::outs() << M[1] << Errors << M[3]
                   << "\n";
      SawSummary = true;
      continue;
    }
    llvm::outs() << Line << "\n";
    // CPrime's own errors come where clangd logs its diagnostics.
    if (llvm::StringRef(Line).ends_with("] Building AST...")) {
      llvm::StringRef Stamp = llvm::StringRef(Line).split(']').first;
      for (const Diagnostic &E : D.errors()) {
        Position P = D.editorPosition(E.Offset, Encoding::UTF8);
        llvm::outs() << "E" << Stamp.drop_front() << "] [cprime] Line "
                     << P.Line + 1 << ": " << diagMessage(E.ID) << "\n";
      }
    }
  }
  llvm::outs().flush();
  if (!SawSummary)
    return WIFEXITED(Status) ? WEXITSTATUS(Status) : 1;
  return Errors == 0 ? 0 : 3; // clangd's "check failed" status
}

} // namespace cprime::clangd
