//===- Workspace.h - what clangd reads from disk, rewritten -----*- C++ -*-===//
//
// clangd reads the headers a file includes from disk, and it never loads
// compiler plugins. So that an enabled header (one with `#pragma cprime` or
// a `cprime/` include, holding inline functions that use `spawn`...) parses
// in clangd as it compiles through the plugin, the Workspace:
//  - scans the project for enabled user headers, writes their rewritten text
//    to a private directory, and lists them in a Clang VFS overlay (the
//    `-ivfsoverlay` file format) that keeps the original path names;
//  - writes a private compile_commands.json: the project's, every command
//    with `-ivfsoverlay <overlay>` added; clangd is pointed at it.
// Headers under an include/cprime/ directory are the runtime's own (plain
// C++) and are left alone, as the plugin leaves `cprime/...` includes.
//
// The header's positions that clangd reports (go to definition into it,
// diagnostics "in included file") are mapped back like an open file's.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_CLANGD_WORKSPACE_H
#define CPRIME_CLANGD_WORKSPACE_H

#include "Document.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
}

namespace cprime::clangd {

class Workspace {
public:
  Workspace();
  ~Workspace();
  Workspace(const Workspace &) = delete;
  Workspace &operator=(const Workspace &) = delete;

  /// Scans \p Root for enabled headers and writes the overlay. When
  /// \p CdbDir holds a compile_commands.json, writes the private copy and
  /// returns true; dir() is then the directory to give clangd.
  bool init(llvm::StringRef Root, llvm::StringRef CdbDir);

  /// The private directory (overlay, rewritten headers, compile database).
  const std::string &dir() const { return Dir; }
  /// Removes the private directory (the destructor does too).
  void removeFiles() const;

  /// Rewrites header \p Path (absolute) from \p Text, as the editor has it.
  void updateHeader(llvm::StringRef Path, llvm::StringRef Text);
  /// The rewritten header at \p Path, or null when it is not shadowed.
  const Document *header(llvm::StringRef Path) const;

  /// The command that compiles \p File, from the project's database (an
  /// inferred one for a file it does not list), with the overlay added.
  /// Empty without a database.
  std::vector<std::string> commandFor(llvm::StringRef File,
                                      std::string &Directory) const;
  /// Adds an entry for \p File with \p Args to the private database.
  void addEntry(llvm::StringRef File, llvm::StringRef Directory,
                const std::vector<std::string> &Args);

private:
  void writeOverlay() const;
  void writeDatabase() const;

  struct Entry {
    std::string File, Directory;
    std::vector<std::string> Args;
  };
  std::string Dir;
  std::string CdbDir;
  std::vector<Entry> Entries;
  std::unique_ptr<clang::tooling::CompilationDatabase> Db;
  llvm::StringMap<std::unique_ptr<Document>> Headers;
};

/// Finds the directory holding compile_commands.json for \p Root as clangd
/// would for files there: \p Root or \p Root/build.
std::optional<std::string> findDatabaseDir(llvm::StringRef Root);

/// file:// URI to path and back (absolute paths only).
std::optional<std::string> uriToPath(llvm::StringRef URI);
std::string pathToUri(llvm::StringRef Path);

} // namespace cprime::clangd

#endif
