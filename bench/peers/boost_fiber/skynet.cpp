// skynet: a 10-ary tree of N leaf fibers; leaves send their number up an
// unbuffered channel, parents sum. Prints total ms. Usage: skynet [N=1000000].
#include "common.hpp"

using channel = bf::fibers::unbuffered_channel<long>;

void skynet(bf::fibers::fixedsize_stack& stack, channel& c, long num, long size, long div) {
  if (size == 1) {
    c.push(num);
    return;
  }
  channel rc;
  std::vector<bf::fibers::fiber> children;
  for (long i = 0; i < div; ++i)
    children.emplace_back(std::allocator_arg, stack, skynet, std::ref(stack), std::ref(rc),
                          num + i * (size / div), size / div, div);
  long sum = 0;
  for (long i = 0; i < div; ++i) sum += rc.value_pop();
  for (auto& f : children) f.join();  // rc lives on this stack: outlive every pusher
  c.push(sum);
}

int main(int argc, char** argv) {
  const long n = bf::arg(argc, argv, 1, 1000000);
  const unsigned threads = bf::threads_from_env();
  long sum = -1;
  double ns = 0;
  bf::run(threads, [&] {
    auto stack = bf::small_stack();
    channel c;
    auto start = bf::clock::now();
    bf::fibers::fiber root(std::allocator_arg, stack, skynet, std::ref(stack), std::ref(c), 0L, n,
                           10L);
    sum = c.value_pop();
    ns = bf::ns_since(start);
    root.join();
  });
  if (sum != n * (n - 1) / 2) bf::fail("skynet: wrong sum (N must be a power of 10)");
  bf::print("skynet", threads, ns / 1e6, "ms");
}
