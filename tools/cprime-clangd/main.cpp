//===- main.cpp - cprime-clangd: clangd for CPrime files ------------------===//
//
//   cprime-clangd [--clangd=PATH] [clangd flags...]      language server
//   cprime-clangd --check=FILE [clangd flags...]         one-file check
//
// Editors run it where they would run clangd. It runs clangd-19 (or PATH)
// with the same flags and rewrites CPrime-enabled files in between; see
// docs/editors.md. Flags it does not know are clangd's and are passed on.
//
//===----------------------------------------------------------------------===//

#include "Server.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace {

const char Help[] = R"(cprime-clangd: clangd for files that use CPrime

USAGE: cprime-clangd [options] [clangd options]

Runs clangd as a child and rewrites CPrime-enabled files (those with
`#include <cprime/...>` or `#pragma cprime`) before clangd sees them, mapping
every position back, so completion, hover, go-to-definition and diagnostics
work inside spawn, select, parallel, defer and timeout. Other files pass
through untouched. Options not listed here are clangd's and are passed on
(`clangd-19 --help` lists them).

OPTIONS:
  --check=<file>   Check <file> as clangd --check does, on the rewritten text,
                   with its flags from compile_commands.json
  --clangd=<path>  The clangd to run (default: clangd-19)
  --help           Display this help
  --version        Display the version
)";

} // namespace

int main(int argc, char **argv) {
  std::string Clangd = "clangd-19", Check;
  std::vector<std::string> Pass;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A = argv[I];
    // clangd accepts both -flag and --flag.
    llvm::StringRef Bare = A.starts_with("--") ? A.drop_front(2)
                           : A.starts_with("-") ? A.drop_front(1) : A;
    if (Bare.consume_front("clangd=")) {
      Clangd = Bare.str();
    } else if (Bare == "clangd" && I + 1 < argc) {
      Clangd = argv[++I];
    } else if (Bare.consume_front("check=")) {
      Check = Bare.str();
    } else if (Bare == "help" || A == "-h") {
      llvm::outs() << Help;
      return 0;
    } else if (Bare == "version") {
      llvm::outs() << "cprime-clangd (CPrime) " CPRIME_VERSION "\n";
      return 0;
    } else {
      Pass.push_back(A.str());
    }
  }
  if (!Check.empty())
    return cprime::clangd::runCheck(Clangd, Check, std::move(Pass));
  return cprime::clangd::runServer(Clangd, std::move(Pass));
}
