"""Compile the project's correct CPrime code with the plugin and fail on any
hazard-check diagnostic: the examples, the benchmarks, the run tests, the
interop tests and a file including every runtime header (public and
detail). Every file named is
compiled (-fsyntax-only) with -Werror for the four checks.

usage: no_warnings.py --clangxx CLANGXX --plugin SO --repo REPO --work DIR
"""
import argparse
import glob
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

CHECKS = ["lock-across-suspend", "tls-across-suspend", "blocking-call",
          "dangling-capture"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clangxx", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)

    # Every runtime header, in an enabled file.
    inc = os.path.join(a.repo, "include")
    headers = sorted(glob.glob(os.path.join(inc, "cprime/*.hpp")) +
                     glob.glob(os.path.join(inc, "cprime/detail/*.hpp")))
    all_headers = os.path.join(a.work, "all_headers.cpp")
    with open(all_headers, "w") as f:
        f.write("#pragma cprime\n")
        for h in headers:
            f.write('#include <%s>\n' % os.path.relpath(h, inc))
    files = [all_headers]
    # Each set must be found, so that a moved directory fails the test
    # instead of shrinking it.
    for pattern, least in [("examples/**/*.cpp", 10), ("bench/*.cpp", 10),
                           ("bench/compile/*.cpp", 2),
                           ("test/run/**/*.cpp", 20),
                           ("test/interop/*.cpp", 2)]:
        found = sorted(glob.glob(os.path.join(a.repo, pattern), recursive=True))
        if len(found) < least:
            print("FAIL: %s matches %d files, expected at least %d"
                  % (pattern, len(found), least))
            return 1
        files += found

    flags = [f"-Werror=cprime-{c}" for c in CHECKS]
    def compile_one(path):
        cmd = a.clangxx.split() + [
            "-std=c++20", "-fsyntax-only", "-fplugin=" + a.plugin,
            "-I" + os.path.join(a.repo, "include"),
            "-I" + os.path.join(a.repo, "bench"),
            "-I" + os.path.join(a.repo, "test/interop/Inputs"),
            "-Wno-unknown-warning-option"] + flags + [path]
        p = subprocess.run(cmd, capture_output=True, text=True)
        return path, p.returncode, p.stderr

    bad = 0
    with ThreadPoolExecutor(max_workers=2) as ex:
        for path, rc, err in ex.map(compile_one, files):
            rel = ("all_headers.cpp" if path == all_headers
                   else os.path.relpath(path, a.repo))
            if "[-Wcprime-" in err:
                bad += 1
                print("FAIL %s\n%s" % (rel, err))
            elif rc != 0 and "interop" not in rel:
                bad += 1
                print("FAIL %s (exit %d)\n%s" % (rel, rc, err))
            else:
                print("ok %s" % rel)
    print("%d files, %d with check diagnostics" % (len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
