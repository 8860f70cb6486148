#!/usr/bin/env python3
# expect_exit.py CODE CMD ARGS...: runs CMD with stderr merged into stdout,
# echoes its output, and fails unless it exited with CODE (a negative CODE:
# killed by that signal). For tests of messages printed on the way out.
import subprocess
import sys

code = int(sys.argv[1])
r = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
sys.stdout.write(r.stdout.decode("utf-8", "replace"))
if r.returncode != code:
    sys.stdout.write("expect_exit: exit status %d, expected %d\n" % (r.returncode, code))
    sys.exit(1)
