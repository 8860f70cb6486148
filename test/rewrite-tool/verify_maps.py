#!/usr/bin/env python3
"""verify_maps.py <cprime-rewrite> <repo>: runs --verify-offset-map on every
enabled file of examples/, test/rewrite/ and test/clangd/Inputs/ that
rewrites without errors, and prints one line per file."""
import glob
import os
import subprocess
import sys

tool, repo = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(repo, "examples", "*.cpp")) +
               glob.glob(os.path.join(repo, "test", "rewrite", "*", "*.cpp")) +
               glob.glob(os.path.join(repo, "test", "clangd", "Inputs", "good.cpp")) +
               glob.glob(os.path.join(repo, "test", "clangd", "Inputs", "worker.h")))
failed = 0
for f in files:
    p = subprocess.run([tool, "--verify-offset-map", f], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    ok = p.returncode == 0 and "offset map ok" in p.stdout
    failed += not ok
    print("%s %s: %s" % ("ok" if ok else "FAIL", os.path.relpath(f, repo),
                         p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""))
print("%d files, %d failed" % (len(files), failed))
sys.exit(1 if failed else 0)
