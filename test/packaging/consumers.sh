#!/usr/bin/env bash
# test/packaging/consumers.sh: `cmake --install` this build into a temporary
# prefix, then build and run examples/consumers/app.cpp (CPrime syntax) and
# runtime_app.cpp (plain API) every way docs/using.md shows: the one-line
# command, pkg-config (clang++-19 with the plugin; g++ with cprime-rewrite),
# CMake components (plugin with clang++-19; runtime with g++), Meson, Make,
# the sanitizer variants; and the wrong-compiler guards.
source "$(dirname "$0")/lib.sh"
P=$tmp/prefix L=$tmp/prefix/$libdir

step "cmake --install $build --prefix $P"
cmake --install "$build" --prefix "$P" >/dev/null

step "the one-line command (CPATH/LIBRARY_PATH stand in for a /usr install)"
# Exactly the documented command line; the environment gives the compiler
# the prefix's include/ and lib/ as if they were the system's.
CPATH=$P/include LIBRARY_PATH=$L \
  $clangxx -std=c++20 -fplugin="$L/libcprime.so" "$examples/app.cpp" -lcprime_rt -o "$tmp/one-line"
run_app "one-line command" "$tmp/one-line"
grep -q 'INPUT(libcprime_rt.a -lboost_context -lboost_stacktrace_backtrace -lpthread)' "$L/libcprime_rt.so" ||
  fail "libcprime_rt.so is not the linker script"

step "pkg-config"
export PKG_CONFIG_PATH=$L/pkgconfig
[ "$(pkg-config --variable=prefix cprime)" = "$P" ] ||
  fail "cprime.pc prefix is $(pkg-config --variable=prefix cprime), want $P"
cflags=$(pkg-config --cflags cprime)
case "$cflags" in *-fplugin=*/libcprime.so*) ;; *) fail "cprime.pc Cflags lack the plugin: $cflags" ;; esac
# shellcheck disable=SC2046
$clangxx -std=c++20 "$examples/app.cpp" $(pkg-config --cflags --libs cprime) -o "$tmp/pc"
run_app "pkg-config cprime, clang++-$clang_major" "$tmp/pc"
case "$(pkg-config --cflags cprime-runtime)" in *-fplugin*) fail "cprime-runtime.pc names the plugin" ;; esac
# shellcheck disable=SC2046
"$P/bin/cprime-rewrite" "$examples/app.cpp" |
  g++ -std=c++20 -x c++ - -x none $(pkg-config --cflags --libs cprime-runtime) -o "$tmp/pc-gxx"
run_app "pkg-config cprime-runtime, g++ via cprime-rewrite" "$tmp/pc-gxx"
# shellcheck disable=SC2046
g++ -std=c++20 "$examples/runtime_app.cpp" $(pkg-config --cflags --libs --static cprime-runtime) \
  -static-libstdc++ -o "$tmp/pc-gxx-static"
run_app "pkg-config --static cprime-runtime, g++, plain API" "$tmp/pc-gxx-static"

step "CMake: COMPONENTS plugin with $clangxx"
cmake -S "$examples/cmake" -B "$tmp/cmake-plugin" -G Ninja -DCMAKE_CXX_COMPILER=$clangxx \
  -DCMAKE_PREFIX_PATH="$P" >/dev/null
cmake --build "$tmp/cmake-plugin" >/dev/null
run_app "CMake CPrime::cprime" "$tmp/cmake-plugin/app"
if [ "$san_runtimes" = ON ]; then
  [ -x "$tmp/cmake-plugin/app_tsan" ] || fail "CPrime::cprime_tsan was not defined"
  has_symbol "$tmp/cmake-plugin/app_tsan" ' __tsan_init$' || fail "app_tsan is not a TSan program"
  run_app "CMake CPrime::cprime_tsan (ThreadSanitizer)" "$tmp/cmake-plugin/app_tsan"
fi

step "CMake: COMPONENTS runtime rewrite with g++"
cmake -S "$examples/cmake-runtime" -B "$tmp/cmake-runtime" -G Ninja -DCMAKE_CXX_COMPILER=g++ \
  -DCMAKE_PREFIX_PATH="$P" >/dev/null
cmake --build "$tmp/cmake-runtime" >/dev/null
run_app "CMake CPrime::runtime, g++, plain API" "$tmp/cmake-runtime/runtime_app"
run_app "CMake CPrime::runtime + CPrime::rewrite, g++" "$tmp/cmake-runtime/app"

step "CMake: the guards with g++"
mkdir -p "$tmp/cm-none" "$tmp/cm-plugin"
# No COMPONENTS: a g++ project gets the runtime (and a status line), no error.
cat >"$tmp/cm-none/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.25)
project(none CXX)
find_package(CPrime REQUIRED)
if(TARGET CPrime::cprime)
  message(FATAL_ERROR "CPrime::cprime defined for g++")
endif()
add_executable(runtime_app $examples/runtime_app.cpp)
target_compile_features(runtime_app PRIVATE cxx_std_20)
target_link_libraries(runtime_app PRIVATE CPrime::runtime)
CM
cmake -S "$tmp/cm-none" -B "$tmp/cm-none/b" -G Ninja -DCMAKE_CXX_COMPILER=g++ \
  -DCMAKE_PREFIX_PATH="$P" >"$tmp/cm-none.log"
grep -q "libcprime.so needs clang++-$clang_major" "$tmp/cm-none.log" ||
  fail "find_package(CPrime) with g++ did not say why CPrime::cprime is missing"
cmake --build "$tmp/cm-none/b" >/dev/null
run_app "find_package(CPrime REQUIRED), g++, CPrime::runtime" "$tmp/cm-none/b/runtime_app"
cat >"$tmp/cm-plugin/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.25)
project(plugin CXX)
find_package(CPrime REQUIRED COMPONENTS plugin)
CM
expect_fail "COMPONENTS plugin with g++" "libcprime.so needs clang++-$clang_major" \
  cmake -S "$tmp/cm-plugin" -B "$tmp/cm-plugin/b" -G Ninja -DCMAKE_CXX_COMPILER=g++ \
  -DCMAKE_PREFIX_PATH="$P"

step "Meson (pkg-config)"
CXX=$clangxx meson setup "$tmp/meson" "$examples" >/dev/null
meson compile -C "$tmp/meson" >/dev/null
run_app "Meson dependency('cprime')" "$tmp/meson/app"

step "Make"
mkdir -p "$tmp/make"
cp "$examples/Makefile" "$examples/app.cpp" "$tmp/make/"
make -s -C "$tmp/make" CPRIME="$P" CPRIME_LIB="$L" >/dev/null
run_app "Make" "$tmp/make/app"

if [ "$san_runtimes" = ON ]; then
  step "sanitizer variants"
  has_symbol "$L/libcprime_rt_tsan.a" ' U __tsan_func_entry$' ||
    fail "libcprime_rt_tsan.a is not TSan-instrumented"
  has_symbol "$L/libcprime_rt_asan.a" ' U __asan_report_' ||
    fail "libcprime_rt_asan.a is not ASan-instrumented"
  if has_symbol "$L/libcprime_rt.a" ' U __(tsan|asan)_'; then
    fail "libcprime_rt.a is instrumented"
  fi
  echo "   ok: libcprime_rt_tsan.a / _asan.a instrumented, libcprime_rt.a not"
  case "$(pkg-config --cflags --libs cprime-tsan)" in
    *-fsanitize=thread*-lcprime_rt_tsan*-fsanitize=thread*) ;;
    *) fail "cprime-tsan.pc: $(pkg-config --cflags --libs cprime-tsan)" ;;
  esac
  echo "   ok: cprime-tsan.pc adds -fsanitize=thread and -lcprime_rt_tsan"
  # shellcheck disable=SC2046
  $clangxx -std=c++20 "$examples/app.cpp" $(pkg-config --cflags --libs cprime-asan) -o "$tmp/asan"
  has_symbol "$tmp/asan" ' __asan_init$' || fail "the cprime-asan build is not an ASan program"
  run_app "pkg-config cprime-asan (AddressSanitizer)" "$tmp/asan"
else
  echo "   (no sanitizer variants: this build has CPRIME_SANITIZER_RUNTIMES=OFF)"
fi

step "the plugin's own guard: loaded by a compiler that is not Clang $clang_major"
expect_fail "g++ -fplugin=libcprime.so" "error: libcprime.so needs clang++-$clang_major" \
  g++ -std=c++20 -fplugin="$L/libcprime.so" -I"$P/include" -c "$examples/app.cpp" -o "$tmp/x.o"
# The guard carries the real plugin's hash: ccache keys on the -fplugin file's
# bytes, so they must change whenever the rewriter does.
sha=$(sha256sum "$build/plugin/libcprime-clang$clang_major.so" | cut -d' ' -f1)
grep -qaF "cprime plugin build id $sha" "$L/libcprime.so" ||
  fail "libcprime.so does not carry the real plugin's hash $sha"
echo "   ok: libcprime.so carries the real plugin's hash"
# Debian's default clang (14) when present; the g++ case above covers hosts
# without it.
for other in clang++-14 clang++-15 clang++-16 clang++-17 clang++-18; do
  command -v $other >/dev/null || continue
  expect_fail "$other -fplugin=libcprime.so" "error: libcprime.so needs clang++-$clang_major" \
    $other -std=c++20 -fplugin="$L/libcprime.so" -I"$P/include" -c "$examples/app.cpp" -o "$tmp/x.o"
done
echo "packaging: every way passed"
