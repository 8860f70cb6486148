// spawn: start N trivial coroutines that each count down a wait group; wait
// for all. Prints ns per coroutine. Usage: spawn [N=1000000]; CPRIME_WORKERS sets threads.
// Runtime-API form of bench/spawn.cpp (what the plugin rewrites it to, per
// docs/lowering.md), built without the plugin.
#include <cprime/cprime.hpp>

#include <vector>

#include "common.hpp"

static double run(long n, std::vector<char>& ran) {
  cprime::wait_group wg;
  auto start = bench::clock::now();
  wg.add(n);
  for (long i = 0; i < n; ++i)
    cprime::spawn(cprime::here(), [&wg, &ran, i]() mutable {
      ran[i] = 1;  // each coroutine marks its own slot: the check
      wg.done();
    });
  wg.wait();
  return bench::ns_since(start);
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  std::vector<char> ran(n, 0);
  auto t = cprime::spawn(cprime::here(), run, n, std::ref(ran));  // the body runs on a coroutine, as Go's main does
  double ns = t.join();
  for (char r : ran)
    if (!r) bench::fail("spawn: a coroutine did not run");
  bench::print("spawn", ns / n, "ns/coroutine");
}
