#!/usr/bin/env python3
"""Runs `cprime-clangd --check` on every examples/*.cpp and on Inputs/bad.cpp.

    check_examples.py --server <cprime-clangd> --clangd <clangd-19> --repo <repo> --work <dir>

The compile database in <dir> gives each file the flags the CMake build
uses (C++20, include/). Every example must pass: exit status 0, "All checks
completed, 0 errors", and no error line in the log at all.

clangd's check also applies every code action it can offer at every token
and counts one that then fails. clangd-19's "Extract to function" offers
itself on a `break` inside a loop and then refuses, in plain C++ as well:
clangd-19 itself reports it on the plain-break.cpp control below, and
cprime-clangd logs that exact failure as a warning without counting it.
The control with one real error added must still count exactly that one,
and bad.cpp must report its CPrime error in clangd's log format, counted in
the summary.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

CLANGD_QUIRK = ("tweak: ExtractFunction ==> FAIL: Cannot extract break/continue "
                "without corresponding loop/switch statement.")


def run(server, path, work):
    p = subprocess.run([server, "--check=" + path, "--compile-commands-dir=" + work],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def summary(log):
    m = re.search(r"^I\[[^]]*\] All checks completed, (\d+) errors$", log, re.M)
    return int(m.group(1)) if m else None


def errors(log):
    return [l for l in log.splitlines() if l.startswith("E[")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--clangd", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    work = os.path.abspath(a.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    here = os.path.dirname(os.path.abspath(__file__))
    files = sorted(os.path.join(a.repo, "examples", f)
                   for f in os.listdir(os.path.join(a.repo, "examples")) if f.endswith(".cpp"))
    bad = os.path.join(work, "bad.cpp")
    shutil.copy(os.path.join(here, "Inputs", "bad.cpp"), bad)
    loop = ("#include <cstdio>\nint main() {\n  for (;;) {\n"
            "    if (std::getchar() < 0) { std::puts(\"eof\"); break; }\n  }\n")
    control = os.path.join(work, "plain-break.cpp")
    with open(control, "w") as f:
        f.write(loop + "}\n")
    with_error = os.path.join(work, "plain-break-error.cpp")
    with open(with_error, "w") as f:
        f.write(loop + "  int x = \"no\";\n}\n")
    db = [{"directory": work, "file": f,
           "arguments": ["clang++-19", "-std=c++20", "-I" + os.path.join(a.repo, "include"),
                         "-c", f]} for f in files + [bad, control, with_error]]
    with open(os.path.join(work, "compile_commands.json"), "w") as f:
        json.dump(db, f, indent=2)

    failed = 0
    # clangd-19 alone, on plain C++: the failure is clangd's.
    rc, log = run(a.clangd, control, work)
    print("clangd-19 plain-break.cpp: %s errors, exit %d: %s" % (
        summary(log), rc, "; ".join(re.sub(r"^E\[[^]]*\] +", "", e) for e in errors(log))))
    for f in [control, with_error]:
        rc, log = run(a.server, f, work)
        known = [l for l in log.splitlines() if l.startswith("W[") and CLANGD_QUIRK in l]
        print("cprime-clangd %s: %s errors, exit %d, %d not counted" % (
            os.path.basename(f), summary(log), rc, len(known)))
        for e in errors(log):
            print("  " + re.sub(r"^E\[[^]]*\] +", "", e))
    for f in files:
        rc, log = run(a.server, f, work)
        n = summary(log)
        errs = errors(log)
        ok = (rc == 0 and n == 0 and not errs and
              ("Testing on source file " + f) in log)
        print("%s %s: %s errors" % ("ok" if ok else "FAIL", os.path.relpath(f, a.repo), n))
        if not ok:
            failed += 1
            print("\n".join("  " + e for e in errs) or log)
    rc, log = run(a.server, bad, work)
    errs = errors(log)
    lines = sorted(re.sub(r"^E\[[^]]*\] ", "", e) for e in errs)
    print("bad.cpp: %s errors, exit %d" % (summary(log), rc))
    for l in lines:
        print("  " + l)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
