// spawn: start N trivial fibers that each count down a wait group; wait for
// all. Prints ns per fiber. Usage: spawn [N=1000000]; BENCH_THREADS sets threads.
#include "common.hpp"

int main(int argc, char** argv) {
  const long n = bf::arg(argc, argv, 1, 1000000);
  const unsigned threads = bf::threads_from_env();
  std::vector<char> ran(n, 0);  // each fiber marks its own slot: the check
  double ns = 0;
  bf::run(threads, [&] {
    auto stack = bf::small_stack();
    bf::wait_group wg;
    auto start = bf::clock::now();
    wg.add(n);
    for (long i = 0; i < n; ++i) {
      bf::fibers::fiber(std::allocator_arg, stack, [&, i] {
        ran[i] = 1;
        wg.done();
      }).detach();
    }
    wg.wait();
    ns = bf::ns_since(start);
  });
  for (char r : ran)
    if (!r) bf::fail("spawn: a fiber did not run");
  bf::print("spawn", threads, ns / n, "ns/coroutine");
}
