// RUN: python3 %S/run_snippets.py --min 9 --cxx "%clangxx_cprime" --rt "%cprime_rt" --tmp %t %repo/docs/tour.md | FileCheck %s
// Every program of docs/tour.md is compiled through the plugin, run, and its
// output compared with the page (test/docs/run_snippets.py).
// CHECK: snippets: {{[0-9]+}} passed, 0 failed
