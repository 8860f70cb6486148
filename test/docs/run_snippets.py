#!/usr/bin/env python3
"""run_snippets.py: compile and run the programs of a Markdown page and compare
their output with the page.

  run_snippets.py --cxx "CLANG++ FLAGS" --rt "RUNTIME LIBS" --tmp DIR PAGE.md

A runnable program is a ```cpp block that defines `int main(`, followed
(after an optional line of prose) by a ```text block that begins with the
line `$ ./a.out` (or `$ ./a.out ARGS`): the lines after it are the program's
exact standard output. Every such program is compiled with --cxx (through
the plugin) and linked with --rt; a page whose runnable programs are not all
found, compiled, run with exit status 0 and matched fails.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys


def snippets(text):
    blocks = list(re.finditer(r"^```(\w*)\n(.*?)^```\n", text, re.M | re.S))
    found = []
    for i, b in enumerate(blocks):
        if b.group(1) != "cpp" or "int main(" not in b.group(2):
            continue
        if i + 1 >= len(blocks):
            continue
        nxt = blocks[i + 1]
        between = text[b.end():nxt.start()]
        if nxt.group(1) != "text" or between.count("\n") > 3:
            continue
        out = nxt.group(2).split("\n")
        if not out[0].startswith("$ ./a.out"):
            continue
        args = shlex.split(out[0][len("$ ./a.out"):])
        line = text.count("\n", 0, b.start()) + 2
        found.append((line, b.group(2), args, "\n".join(out[1:])))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cxx", required=True)
    ap.add_argument("--rt", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--min", type=int, default=1, help="fail if fewer programs are found")
    ap.add_argument("page")
    a = ap.parse_args()
    text = open(a.page).read()
    progs = snippets(text)
    os.makedirs(a.tmp, exist_ok=True)
    failed = 0
    for n, (line, code, args, want) in enumerate(progs):
        src = os.path.join(a.tmp, f"snippet{n}.cpp")
        exe = os.path.join(a.tmp, f"snippet{n}")
        with open(src, "w") as f:
            f.write(f'#line {line} "{a.page}"\n' + code)
        cc = subprocess.run(shlex.split(a.cxx) + [src] + shlex.split(a.rt) + ["-o", exe],
                            capture_output=True, text=True)
        where = f"{a.page}:{line}"
        if cc.returncode != 0:
            print(f"{where}: does not compile:\n{cc.stderr}")
            failed += 1
            continue
        try:
            run = subprocess.run([exe] + args, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            print(f"{where}: did not finish in 60 s")
            failed += 1
            continue
        if run.returncode != 0:
            print(f"{where}: exit status {run.returncode}\n{run.stderr}")
            failed += 1
        elif run.stdout != want:
            print(f"{where}: output differs\n--- page\n{want}--- program\n{run.stdout}")
            failed += 1
    ok = len(progs) - failed
    print(f"snippets: {ok} passed, {failed} failed ({a.page})")
    if len(progs) < a.min:
        print(f"snippets: expected at least {a.min} runnable programs, found {len(progs)}")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
