//===- Server.h - the LSP front between an editor and clangd ----*- C++ -*-===//

#ifndef CPRIME_CLANGD_SERVER_H
#define CPRIME_CLANGD_SERVER_H

#include <string>
#include <vector>

namespace cprime::clangd {

/// Speaks LSP on stdin/stdout with the editor and runs \p Clangd with
/// \p Args as a child, rewriting enabled files in between. Returns the exit
/// status.
int runServer(const std::string &Clangd, std::vector<std::string> Args);

/// `--check=File`: rewrites File, runs `Clangd --check` on the result with
/// the project's compile flags, and prints clangd's log with the user's
/// file name and CPrime's own errors folded into the summary.
int runCheck(const std::string &Clangd, const std::string &File,
             std::vector<std::string> Args);

} // namespace cprime::clangd

#endif
