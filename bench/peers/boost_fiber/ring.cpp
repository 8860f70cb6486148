// ring: N fibers in a ring of unbuffered channels pass a token for LAPS laps
// (N*LAPS hops). Prints ns per hop. Usage: ring [N=10000] [LAPS=100].
#include <memory>

#include "common.hpp"

int main(int argc, char** argv) {
  const long n = bf::arg(argc, argv, 1, 10000), laps = bf::arg(argc, argv, 2, 100);
  const long hops = n * laps;
  const unsigned threads = bf::threads_from_env();
  long last = -1;
  double ns = 0;
  bf::run(threads, [&] {
    using channel = bf::fibers::unbuffered_channel<long>;
    std::vector<std::unique_ptr<channel>> chs;
    for (long i = 0; i < n; ++i) chs.push_back(std::make_unique<channel>());
    channel done;
    bf::wait_group wg;
    wg.add(n);
    auto stack = bf::small_stack();
    for (long i = 0; i < n; ++i) {
      // The token carries the hop count; whoever receives hop number `hops`
      // reports its index instead of passing it on.
      bf::fibers::fiber(std::allocator_arg, stack, [&, i] {
        channel& in = *chs[i];
        channel& out = *chs[(i + 1) % n];
        for (long v : in) {
          if (v == hops) done.push(i);
          else out.push(v + 1);
        }
        wg.done();
      }).detach();
    }
    auto start = bf::clock::now();
    chs[0]->push(0);
    done.pop(last);
    ns = bf::ns_since(start);
    for (auto& c : chs) c->close();
    wg.wait();
  });
  if (last != hops % n) bf::fail("ring: token ended at the wrong fiber");
  bf::print("ring", threads, ns / hops, "ns/hop");
}
