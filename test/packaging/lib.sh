# test/packaging/lib.sh: shared by consumers.sh and deb.sh.
#   $1 build dir  $2 source dir  $3 CMAKE_INSTALL_LIBDIR  $4 Clang major
#   $5 version    $6 CPRIME_SANITIZER_RUNTIMES (ON/OFF)
set -euo pipefail
build=$1 src=$2 libdir=$3 clang_major=$4 version=$5 san_runtimes=$6
clangxx=clang++-$clang_major
examples=$src/examples/consumers
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cprime-packaging.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
expected="sum of squares = 385"

step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# run_app NAME BINARY: runs it, checks the output and exit status.
run_app() {
  local name=$1 bin=$2 out
  out=$("$bin" 2>"$tmp/stderr") || { cat "$tmp/stderr" >&2; fail "$name: $bin exited $?"; }
  [ "$out" = "$expected" ] || { cat "$tmp/stderr" >&2; fail "$name: printed '$out', want '$expected'"; }
  if grep -q 'Sanitizer' "$tmp/stderr"; then cat "$tmp/stderr" >&2; fail "$name: sanitizer report"; fi
  echo "   ok: $name"
}

# has_symbol FILE REGEX: nm FILE has a line matching REGEX (nm's output is
# read whole: `nm | grep -q` would end nm with SIGPIPE under pipefail).
has_symbol() {
  nm -A "$1" >"$tmp/nm" 2>/dev/null || true
  grep -qE -- "$2" "$tmp/nm"
}

# expect_fail NAME PATTERN CMD...: CMD must fail and print PATTERN.
expect_fail() {
  local name=$1 pattern=$2; shift 2
  if "$@" >"$tmp/out" 2>&1; then cat "$tmp/out" >&2; fail "$name: succeeded"; fi
  grep -q -- "$pattern" "$tmp/out" || { cat "$tmp/out" >&2; fail "$name: no '$pattern' in its output"; }
  echo "   ok: $name fails with '$pattern'"
}
