//===- Workspace.cpp - what clangd reads from disk, rewritten -------------===//

#include "Workspace.h"

#include "Scanner.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace cprime::clangd {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

Workspace::Workspace() = default;

Workspace::~Workspace() { removeFiles(); }

void Workspace::removeFiles() const {
  if (!Dir.empty())
    fs::remove_directories(Dir);
}

static bool isHeaderName(llvm::StringRef Name) {
  llvm::StringRef Ext = path::extension(Name);
  return Ext == ".h" || Ext == ".hh" || Ext == ".hpp" || Ext == ".hxx" ||
         Ext == ".h++" || Ext == ".inl" || Ext == ".ipp" || Ext == ".tcc";
}

// Directories that hold no user headers: VCS metadata, build trees (they
// contain a CMakeCache.txt), and the runtime's own include/cprime.
static bool skipDirectory(llvm::StringRef Dir) {
  llvm::StringRef Name = path::filename(Dir);
  if (Name.starts_with(".") || Name == "node_modules")
    return true;
  if (Name == "cprime" && path::filename(path::parent_path(Dir)) == "include")
    return true;
  llvm::SmallString<256> Cache(Dir);
  path::append(Cache, "CMakeCache.txt");
  return fs::exists(Cache);
}

bool Workspace::init(llvm::StringRef Root, llvm::StringRef CdbDirectory) {
  llvm::SmallString<128> Tmp;
  if (fs::createUniqueDirectory("cprime-clangd", Tmp))
    return false;
  Dir = std::string(Tmp);
  CdbDir = CdbDirectory.str();

  // Bounded, so that opening a huge tree does not stall the editor.
  constexpr int MaxFiles = 50000;
  int Seen = 0;
  std::error_code EC;
  if (!Root.empty()) {
    for (fs::recursive_directory_iterator It(Root, EC), End;
         It != End && !EC && Seen < MaxFiles; It.increment(EC)) {
      ++Seen;
      if (It->type() == fs::file_type::directory_file) {
        if (skipDirectory(It->path()))
          It.no_push();
        continue;
      }
      if (!isHeaderName(It->path()))
        continue;
      auto Buf = llvm::MemoryBuffer::getFile(It->path());
      if (!Buf || !isCPrimeEnabled((*Buf)->getBuffer()))
        continue;
      updateHeader(It->path(), (*Buf)->getBuffer());
    }
  }
  writeOverlay();

  if (CdbDir.empty())
    return false;
  llvm::SmallString<256> Json(CdbDir);
  path::append(Json, "compile_commands.json");
  std::string Error;
  auto Loaded = clang::tooling::JSONCompilationDatabase::loadFromFile(
      Json, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Loaded)
    return false;
  for (clang::tooling::CompileCommand &C : Loaded->getAllCompileCommands())
    Entries.push_back({C.Filename, C.Directory, C.CommandLine});
  Db = clang::tooling::inferMissingCompileCommands(std::move(Loaded));
  writeDatabase();
  return true;
}

void Workspace::updateHeader(llvm::StringRef Path, llvm::StringRef Text) {
  auto &D = Headers[Path];
  bool Known = D != nullptr;
  if (!D)
    D = std::make_unique<Document>();
  D->setText(Text.str());
  if (!D->enabled()) {
    Headers.erase(Path);
    return;
  }
  if (Dir.empty())
    return;
  llvm::SmallString<256> Shadow(Dir);
  path::append(Shadow, "headers", Path);
  fs::create_directories(path::parent_path(Shadow));
  std::error_code EC;
  llvm::raw_fd_ostream Out(Shadow, EC);
  if (!EC)
    Out << D->clangdText();
  if (!Known)
    writeOverlay();
}

const Document *Workspace::header(llvm::StringRef Path) const {
  auto It = Headers.find(Path);
  return It == Headers.end() ? nullptr : It->second.get();
}

// The overlay maps each enabled header to its rewritten copy and keeps the
// original name in diagnostics and locations ("use-external-names": false).
void Workspace::writeOverlay() const {
  if (Dir.empty())
    return;
  llvm::json::Array Roots;
  for (const auto &H : Headers) {
    llvm::SmallString<256> Shadow(Dir);
    path::append(Shadow, "headers", H.getKey());
    Roots.push_back(llvm::json::Object{
        {"type", "file"},
        {"name", H.getKey()},
        {"external-contents", std::string(Shadow)},
    });
  }
  llvm::json::Value Overlay = llvm::json::Object{
      {"version", 0},
      {"case-sensitive", "true"},
      {"use-external-names", false},
      {"roots", std::move(Roots)},
  };
  llvm::SmallString<256> File(Dir);
  path::append(File, "overlay.yaml");
  std::error_code EC;
  llvm::raw_fd_ostream Out(File, EC);
  if (!EC)
    Out << llvm::formatv("{0:2}", Overlay) << "\n";
}

static std::vector<std::string> withOverlay(std::vector<std::string> Args,
                                            llvm::StringRef Dir) {
  llvm::SmallString<256> Overlay(Dir);
  path::append(Overlay, "overlay.yaml");
  // Before a `--` that ends the options, if there is one.
  auto It = std::find(Args.begin(), Args.end(), "--");
  It = Args.insert(It, "-ivfsoverlay");
  Args.insert(It + 1, std::string(Overlay));
  return Args;
}

void Workspace::writeDatabase() const {
  llvm::json::Array Out;
  for (const Entry &E : Entries) {
    llvm::json::Array Args;
    for (const std::string &A : withOverlay(E.Args, Dir))
      Args.push_back(A);
    Out.push_back(llvm::json::Object{{"directory", E.Directory},
                                     {"file", E.File},
                                     {"arguments", std::move(Args)}});
  }
  llvm::SmallString<256> File(Dir);
  path::append(File, "compile_commands.json");
  std::error_code EC;
  llvm::raw_fd_ostream OS(File, EC);
  if (!EC)
    OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Out))) << "\n";
}

std::vector<std::string> Workspace::commandFor(llvm::StringRef File,
                                               std::string &Directory) const {
  if (!Db)
    return {};
  std::vector<clang::tooling::CompileCommand> Cs = Db->getCompileCommands(File);
  if (Cs.empty())
    return {};
  Directory = Cs.front().Directory;
  return withOverlay(Cs.front().CommandLine, Dir);
}

void Workspace::addEntry(llvm::StringRef File, llvm::StringRef Directory,
                         const std::vector<std::string> &Args) {
  // Args already carry the overlay (commandFor): store them without it.
  std::vector<std::string> Plain;
  for (size_t I = 0; I < Args.size(); ++I) {
    if (Args[I] == "-ivfsoverlay" && I + 1 < Args.size()) {
      ++I;
      continue;
    }
    Plain.push_back(Args[I]);
  }
  Entries.push_back({File.str(), Directory.str(), std::move(Plain)});
  writeDatabase();
}

std::optional<std::string> findDatabaseDir(llvm::StringRef Root) {
  for (const char *Sub : {"", "build"}) {
    llvm::SmallString<256> P(Root);
    if (*Sub)
      path::append(P, Sub);
    llvm::SmallString<256> J(P);
    path::append(J, "compile_commands.json");
    if (fs::exists(J))
      return std::string(P);
  }
  return std::nullopt;
}

std::optional<std::string> uriToPath(llvm::StringRef URI) {
  if (!URI.consume_front("file://"))
    return std::nullopt;
  std::string Out;
  for (size_t I = 0; I < URI.size(); ++I) {
    if (URI[I] == '%' && I + 2 < URI.size()) {
      unsigned V;
      if (!URI.substr(I + 1, 2).getAsInteger(16, V)) {
        Out += static_cast<char>(V);
        I += 2;
        continue;
      }
    }
    Out += URI[I];
  }
  return Out;
}

std::string pathToUri(llvm::StringRef Path) {
  std::string Out = "file://";
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-_.~").contains(C)) {
      Out += C;
    } else {
      Out += '%';
      Out += llvm::hexdigit(C >> 4);
      Out += llvm::hexdigit(C & 15);
    }
  }
  return Out;
}

} // namespace cprime::clangd
