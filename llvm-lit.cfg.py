# lit configuration for CPrime's rewriter and plugin tests.
#
#   python3 /usr/lib/llvm-19/build/utils/lit/lit.py --config-prefix llvm-lit \
#       [--param cprime_build=<build dir>] [--param cprime_cxxflags=<flags>] test/
#
# ctest runs exactly that (test/CMakeLists.txt). The build directory comes
# from --param cprime_build, else $CPRIME_BUILD_DIR, else <repo>/build.
# cprime_cxxflags (ctest passes the build's -fsanitize=... flags) is added to
# every compile and link: a program linking a sanitized libcprime_rt must be
# built with the same sanitizer.
import os
import shutil

import lit.formats

config.name = "CPrime"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp"]
config.excludes = ["Inputs", "fuzz"]
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
config.test_exec_root = os.path.join(
    lit_config.params.get("cprime_build")
    or os.environ.get("CPRIME_BUILD_DIR")
    or os.path.join(config.test_source_root, "build"),
    "lit",
)

repo = config.test_source_root
build = os.path.dirname(config.test_exec_root)
llvm_bin = "/usr/lib/llvm-19/bin"

config.environment["PATH"] = os.pathsep.join(
    [llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))]
)
for var in ("HOME", "TMPDIR", "CPRIME_WORKERS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

plugin = os.path.join(build, "plugin", "libcprime.so")
rewrite = os.path.join(build, "tools", "cprime-rewrite", "cprime-rewrite")
runtime = lit_config.params.get("cprime_rt") or os.path.join(
    build, "runtime", "libcprime_rt.a"
)
clangxx = shutil.which("clang++-19") or os.path.join(llvm_bin, "clang++")
cxxflags = lit_config.params.get("cprime_cxxflags", "").strip()
if "-fsanitize=" in cxxflags:
    config.available_features.add("sanitizer")
if cxxflags:
    clangxx = f"{clangxx} {cxxflags}"
# Features for REQUIRES: test/race/ asserts what ThreadSanitizer reports, so
# it runs only when the runtime and the tests are built with -fsanitize=thread.
if "-fsanitize=thread" in cxxflags.split():
    config.available_features.add("tsan")
if "-fsanitize=address" in cxxflags.split():
    config.available_features.add("asan")

config.substitutions.append(("%cprime-rewrite", rewrite))
config.substitutions.append(
    ("%clangxx_cprime", f"{clangxx} -std=c++20 -fplugin={plugin} -I{repo}/include")
)
config.substitutions.append(("%clangxx", f"{clangxx} -std=c++20 -I{repo}/include"))
config.substitutions.append(("%cprime_plugin", plugin))
config.substitutions.append(("%cprime_rt", f"{runtime} -lboost_context -lboost_stacktrace_backtrace -pthread"))
config.substitutions.append(("%repo", repo))
# %python: the interpreter running lit (test helpers under test/**/Inputs).
import sys as _sys
config.substitutions.append(("%python", _sys.executable))
