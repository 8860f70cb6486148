#!/usr/bin/env bash
# test/packaging/deb.sh: `cpack -G DEB` on this build tree (what
# scripts/package runs), then check the package's name, Depends and contents
# with dpkg-deb, unpack it and build with the one-line command from it.
source "$(dirname "$0")/lib.sh"

step "cpack -G DEB"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; fail "cpack"; }
deb=$tmp/out/cprime_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { ls "$tmp/out" >&2; fail "no $deb"; }
echo "   ok: $(basename "$deb") ($(du -h "$deb" | cut -f1))"

step "Depends"
depends=$(dpkg-deb -f "$deb" Depends)
echo "   Depends: $depends"
for d in "clang-$clang_major" libboost-context1.81-dev libboost-stacktrace1.81-dev libc6 libstdc++6 \
         "libclang-cpp$clang_major" "libllvm$clang_major"; do
  # Each entry is "name" or "name (>= version)": compare names exactly.
  sed 's/, */\n/g' <<<"$depends" | awk '{print $1}' | grep -qxF -- "$d" || fail "Depends lacks $d"
done
[ "$(dpkg-deb -f "$deb" Package)" = cprime ] || fail "Package is not cprime"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"

step "contents"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/files"
L=/usr/$libdir
want=(/usr/bin/cprime-rewrite /usr/bin/cprime-clangd "$L/libcprime.so" "$L/libcprime-clang$clang_major.so"
      "$L/libcprime_rt.a" "$L/libcprime_rt.so"
      /usr/include/cprime/cprime.hpp /usr/include/cprime/net.hpp
      "$L/cmake/CPrime/CPrimeConfig.cmake" "$L/cmake/CPrime/CPrimeConfigVersion.cmake"
      "$L/cmake/CPrime/CPrimeTargets.cmake"
      "$L/pkgconfig/cprime.pc" "$L/pkgconfig/cprime-runtime.pc" "$L/cprime/gdb/cprime-gdb.py")
if [ "$san_runtimes" = ON ]; then
  want+=("$L/libcprime_rt_tsan.a" "$L/libcprime_rt_tsan.so" "$L/libcprime_rt_asan.a"
         "$L/libcprime_rt_asan.so" "$L/pkgconfig/cprime-tsan.pc" "$L/pkgconfig/cprime-asan.pc")
  [ "$(dpkg-deb -f "$deb" Recommends)" = "clangd-$clang_major, libunwind8, gdb, libclang-rt-$clang_major-dev" ] ||
    fail "Recommends is not clangd-$clang_major, libunwind8, gdb, libclang-rt-$clang_major-dev: $(dpkg-deb -f "$deb" Recommends)"
else
  [ "$(dpkg-deb -f "$deb" Recommends)" = "clangd-$clang_major, libunwind8, gdb" ] ||
    fail "Recommends is not clangd-$clang_major, libunwind8, gdb: $(dpkg-deb -f "$deb" Recommends)"
fi
for f in "${want[@]}"; do grep -qxF "$f" "$tmp/files" || fail "the package lacks $f"; done
echo "   ok: ${#want[@]} expected files present ($(wc -l <"$tmp/files") entries)"
if grep -vE '^/usr/(bin|include|lib)(/|$)|^/$|^/usr/$' "$tmp/files"; then
  fail "files outside /usr/{bin,include,lib}"
fi

step "unpacked: the one-line command"
dpkg-deb -x "$deb" "$tmp/root"
for pc in "$tmp/root$L"/pkgconfig/*.pc; do
  grep -qx 'prefix=/usr' "$pc" || fail "$(basename "$pc") does not say prefix=/usr"
done
# CPATH/LIBRARY_PATH stand in for the /usr the package installs to.
CPATH=$tmp/root/usr/include LIBRARY_PATH=$tmp/root$L \
  $clangxx -std=c++20 -fplugin="$tmp/root$L/libcprime.so" "$examples/app.cpp" -lcprime_rt -o "$tmp/app"
run_app "the .deb's one-line command" "$tmp/app"
for f in "$tmp/root$L/libcprime-clang$clang_major.so" "$tmp/root/usr/bin/cprime-rewrite" \
         "$tmp/root/usr/bin/cprime-clangd"; do
  case "$(file -b "$f")" in *"not stripped"*) fail "$f is not stripped" ;; *stripped*) ;; *) fail "$f: $(file -b "$f")" ;; esac
done
echo "packaging_deb: passed"
