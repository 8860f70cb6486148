// libcprime.so — the file users pass to -fplugin. It holds no Clang code, so
// any compiler can load it: its constructor checks that the loading process is
// the Clang the real plugin was built against (CPRIME_CLANG_MAJOR) and then
// loads the real plugin, CPRIME_REAL_PLUGIN, from this file's own directory.
// The real plugin registers itself with the running Clang's plugin registry
// from its static constructors, so by the time Clang looks up "cprime" the
// action is there.
//
// Why a separate file: a plugin built against Clang 19 resolves hundreds of
// Clang and LLVM symbols from the host. Loaded into Debian's default clang++
// (Clang 14) it fails with "undefined symbol: _ZN5clang11PPCallbacks…", and
// into g++ with "cannot load plugin … undefined symbol"; a host with the same
// names but another ABI would crash. Any host that is not Clang
// CPRIME_CLANG_MAJOR gets instead, on stderr:
//   error: libcprime.so needs clang++-19; it was loaded by <exe> (<clang lib>)
// and exit status 1.
//
// The host's version is the soname of its libclang-cpp (Debian's clang
// binaries link it: libclang-cpp.so.19.1). A Clang that links its libraries
// statically has none; then the real plugin's own load decides, with RTLD_NOW
// so a mismatch is reported here with the same message rather than later.
#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#ifndef CPRIME_CLANG_MAJOR
#error "CPRIME_CLANG_MAJOR must be defined (plugin/CMakeLists.txt)"
#endif
#ifndef CPRIME_REAL_PLUGIN
#error "CPRIME_REAL_PLUGIN must be defined (plugin/CMakeLists.txt)"
#endif
// CPRIME_REAL_PLUGIN_SHA256: the real plugin's hash, generated at build time.
// It makes this file's bytes change with the real plugin's, which ccache
// needs: it hashes the -fplugin file, and would otherwise reuse objects
// compiled by an older rewriter. It also names the build in load errors.
#include "real_plugin_hash.h"
#define CPRIME_STR2(x) #x
#define CPRIME_STR(x) CPRIME_STR2(x)

namespace {

[[gnu::used]] constexpr char kBuildId[] = "cprime plugin build id " CPRIME_REAL_PLUGIN_SHA256;
constexpr char kClangLib[] = "libclang-cpp.so.";
constexpr char kMajor[] = CPRIME_STR(CPRIME_CLANG_MAJOR);

// host_clang_lib: the base name of the loaded libclang-cpp.so.N…, if any.
struct host_lib {
  char name[128] = "";
};

int find_clang_lib(dl_phdr_info* info, size_t, void* data) {
  const char* path = info->dlpi_name;
  if (path == nullptr || *path == '\0') return 0;
  const char* base = std::strrchr(path, '/');
  base = base != nullptr ? base + 1 : path;
  if (std::strncmp(base, kClangLib, sizeof kClangLib - 1) != 0) return 0;
  std::snprintf(static_cast<host_lib*>(data)->name, sizeof(host_lib::name), "%s", base);
  return 1;
}

// major_matches: "libclang-cpp.so.19.1" and "libclang-cpp.so.19" are Clang 19;
// "libclang-cpp.so.190" is not.
bool major_matches(const char* lib) {
  const char* v = lib + sizeof kClangLib - 1;
  const size_t n = sizeof kMajor - 1;
  return std::strncmp(v, kMajor, n) == 0 && (v[n] == '\0' || v[n] == '.');
}

[[noreturn]] void refuse(const char* host_lib_name, const char* why) {
  char exe[512] = "this compiler";
  const ssize_t len = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) exe[len] = '\0';
  std::fprintf(stderr,
               "error: libcprime.so needs clang++-%s; it was loaded by %s (%s)%s%s\n"
               "note: compile with clang++-%s, or run the source through "
               "cprime-rewrite for other compilers\n",
               kMajor, exe, *host_lib_name ? host_lib_name : "no libclang-cpp",
               *why ? ": " : "", why, kMajor);
  std::fflush(stderr);
  // The host is mid-way through loading plugins; its own cleanup would run
  // on a half-initialised state, and returning would let it go on to compile
  // CPrime syntax without the plugin (dozens of unrelated errors).
  ::_exit(1);
}

__attribute__((constructor)) void load_real_plugin() {
  host_lib host;
  dl_iterate_phdr(find_clang_lib, &host);
  if (*host.name && !major_matches(host.name)) refuse(host.name, "");

  // The real plugin sits next to this file (build tree and install tree alike).
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&load_real_plugin), &self) == 0 || self.dli_fname == nullptr)
    refuse(host.name, "cannot locate libcprime.so itself");
  char path[4096];
  const char* slash = std::strrchr(self.dli_fname, '/');
  const int dir_len = slash != nullptr ? static_cast<int>(slash - self.dli_fname) : 1;
  const char* dir = slash != nullptr ? self.dli_fname : ".";
  if (std::snprintf(path, sizeof path, "%.*s/%s", dir_len, dir, CPRIME_REAL_PLUGIN) >=
      static_cast<int>(sizeof path))
    refuse(host.name, "path too long");
  if (dlopen(path, RTLD_NOW | RTLD_LOCAL) == nullptr) {
    const char* err = dlerror();
    if (!*host.name) refuse(host.name, err != nullptr ? err : path);
    // Clang 19 itself could not load it: a broken install, not the wrong Clang.
    std::fprintf(stderr, "error: libcprime.so: cannot load %s: %s\n(libcprime.so: %s)\n",
                 path, err != nullptr ? err : "unknown error", kBuildId);
    std::fflush(stderr);
    ::_exit(1);
  }
}

}  // namespace
