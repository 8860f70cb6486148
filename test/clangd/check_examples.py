#!/usr/bin/env python3
"""Runs `cprime-clangd --check` on every examples/*.cpp and on Inputs/bad.cpp.

    check_examples.py --server <cprime-clangd> --repo <repo> --work <dir>

The compile database in <dir> gives each file the flags the CMake build
uses (C++20, include/). Every example must report no diagnostic. clangd
also probes every code action ("tweak") at every token and counts one that
offers itself and then fails as an error; clangd-19's ExtractFunction does
that on any `{ ...; break; }` block inside a loop, in plain C++ as well
(the `plain-break.cpp` control below shows it), so that one failure, and
only that one, is accepted. bad.cpp must report its CPrime error in
clangd's log format, counted in the summary.
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
    control = os.path.join(work, "plain-break.cpp")
    with open(control, "w") as f:
        f.write("#include <cstdio>\nint main() {\n  for (;;) {\n"
                "    if (std::getchar() < 0) { std::puts(\"eof\"); break; }\n  }\n}\n")
    db = [{"directory": work, "file": f,
           "arguments": ["clang++-19", "-std=c++20", "-I" + os.path.join(a.repo, "include"),
                         "-c", f]} for f in files + [bad, control]]
    with open(os.path.join(work, "compile_commands.json"), "w") as f:
        json.dump(db, f, indent=2)

    failed = 0
    rc, log = run(a.server, control, work)
    quirk_in_plain = CLANGD_QUIRK in log
    print("control plain-break.cpp: %s errors%s" % (
        summary(log), " (the ExtractFunction tweak quirk)" if quirk_in_plain else ""))
    for f in files:
        rc, log = run(a.server, f, work)
        n = summary(log)
        errs = errors(log)
        quirks = [e for e in errs if e.endswith(CLANGD_QUIRK)]
        diags = [e for e in errs if " Line " in e]
        other = [e for e in errs if e not in quirks and e not in diags]
        ok = (n is not None and not diags and not other and
              n == len(quirks) and (not quirks or quirk_in_plain) and
              ("Testing on source file " + f) in log)
        print("%s %s: %s errors%s" % ("ok" if ok else "FAIL", os.path.relpath(f, a.repo), n,
                                      " (%d ExtractFunction tweak quirk)" % len(quirks) if quirks else ""))
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
