# `cpack -G DEB` in a build tree (scripts/package) → cprime_<version>_amd64.deb,
# installing under /usr whatever CMAKE_INSTALL_PREFIX the tree has: the
# plugin and its guard, the runtime (plain and sanitizer variants, with their
# linker scripts), headers, the CMake package, the pkg-config files,
# cprime-rewrite and cprime-clangd. Every installed path is prefix-relative, so the same tree
# also serves `cmake --install --prefix`.
set(CPACK_PACKAGE_NAME cprime)
set(CPACK_PACKAGE_VENDOR "CPrime")
set(CPACK_PACKAGE_CONTACT "CPrime maintainers <cprime@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Go-style concurrency for C++: a clang++-${CPRIME_CLANG_MAJOR} plugin and an M:N runtime")
set(CPACK_PACKAGE_DESCRIPTION
  "spawn, channels, select, parallel, defer and timeout in ordinary C++ files,
rewritten by a Clang ${CPRIME_CLANG_MAJOR} frontend plugin into calls on a bundled runtime
(stackful coroutines on Boost.Context, work stealing, timers, epoll).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # cprime_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The plugin loads only into clang-19; -lcprime_rt needs libboost_context.so
# and libboost_stacktrace_backtrace.so (dumps symbolize with it; the -dev
# packages hold those links). dpkg-shlibdeps adds what the binaries
# link: libc6, libstdc++6, libgcc-s1, and libclang-cpp19 / libllvm19 for
# cprime-rewrite. The sanitizer variants link Clang's sanitizer runtimes.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "clang-${CPRIME_CLANG_MAJOR}, libboost-context1.81-dev, libboost-stacktrace1.81-dev")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Recommended: clangd-19, which cprime-clangd runs for editors, libunwind8,
# which dumps load to unwind coroutine stacks (without it they print none),
# gdb, which loads the embedded coroutine commands, and Clang's sanitizer
# runtimes, which programs using the sanitizer variants link.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clangd-${CPRIME_CLANG_MAJOR}, libunwind8, gdb")
if(CPRIME_SANITIZER_RUNTIMES)
  string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS ", libclang-rt-${CPRIME_CLANG_MAJOR}-dev")
endif()
# Debug information stays in the build tree: strip the plugin and the tool
# (the archives keep their symbols; CPack strips only what it can).
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 0)
include(CPack)
