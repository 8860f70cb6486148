// idle: N coroutines each blocked receiving on one shared channel; then close
// it and wait for all. Prints two lines: KiB of RSS per parked coroutine
// (VmRSS after parking all N minus before) and ns per creation.
// Usage: idle [N=1000000].
// Runtime-API form of bench/idle.cpp (what the plugin rewrites it to, per
// docs/lowering.md), built without the plugin.
#include <cprime/cprime.hpp>

#include <chrono>

#include "common.hpp"

static void park(cprime::channel<char> ch, cprime::wait_group& started,
                 cprime::wait_group& finished) {
  started.done();
  if (cprime::await(ch.recv())) bench::fail("idle: got a value");
  finished.done();
}

struct result {
  long before, after;
  double create_ns;
};

static result run(long n) {
  cprime::channel<char> ch;
  cprime::wait_group started, finished;
  started.add(n);
  finished.add(n);
  result r{bench::rss_kib(), 0, 0};
  auto start = bench::clock::now();
  for (long i = 0; i < n; ++i) cprime::spawn(cprime::here(), park, ch, std::ref(started), std::ref(finished));
  started.wait();
  r.create_ns = bench::ns_since(start);
  cprime::await(cprime::sleep(std::chrono::milliseconds(50)));  // let the last ones park
  r.after = bench::rss_kib();
  ch.close();
  finished.wait();
  return r;
}

int main(int argc, char** argv) {
  const long n = bench::arg(argc, argv, 1, 1000000);
  auto t = cprime::spawn(cprime::here(), run, n);
  result r = t.join();
  bench::print("idle", double(r.after - r.before) / n, "KiB/coroutine");
  bench::print("idle", r.create_ns / n, "ns/creation");
}
