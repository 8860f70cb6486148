// RUN: %clangxx_cprime %s %cprime_rt -o %t && %t | FileCheck %s
// A timeout block whose deadline does not fire allocates nothing on the heap
// once warm: its timer lives in the block's frame and its cancellation node
// comes from the thread's cache of released nodes. The same holds for
// recv_timeout and a select with an `after` arm, in both their ready and
// their waiting forms. Under ASan and TSan the node cache is off (so they see
// every node's lifetime) and each block allocates exactly its node: the
// figures printed are the allocations beyond that.
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>

using namespace std::chrono_literals;

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

// Every heap allocation is counted: through a replaced operator new in a
// plain build; under a sanitizer (which owns operator new) through its
// malloc hook, which sees operator new's allocations too.
static std::atomic<long> g_news{0};
#if SANITIZED
#include <sanitizer/allocator_interface.h>
static void count_malloc(const volatile void*, std::size_t) { g_news.fetch_add(1, std::memory_order_relaxed); }
static void ignore_free(const volatile void*) {}
static const int g_hooked = __sanitizer_install_malloc_and_free_hooks(count_malloc, ignore_free);
#else
void* operator new(std::size_t n) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

static void run() {
  constexpr long n = 10000;
  cprime::channel<long> ready(1), empty, feed;
  long sum = 0;
  // The counter sees every thread: let main park in join() and the other
  // workers settle first (their first idle round allocates once).
  cprime::sleep_for(50ms);
  // Warm up: the node cache, the worker's wheel, the channels' first use.
  for (int i = 0; i < 4; ++i) {
    timeout (1s) { ++sum; }
  }
  spawn [feed] {
    for (long i = 0; i < 3 * n; ++i) co_await feed.send(i);
  };
  auto news = [] { return g_news.load(std::memory_order_relaxed); };

  long before = news();
  for (long i = 0; i < n; ++i) {
    timeout (1s) { ++sum; }
  }
  const long plain = news() - before;

  // Twice: the first pass warms the cache of each worker the block runs on.
  long waiting = 0;
  for (int pass = 0; pass < 2; ++pass) {
    before = news();
    for (long i = 0; i < n; ++i) {
      timeout (1s) {
        auto v = co_await feed.recv();  // waits for the feeder about half the time
        sum += *v;
      }
    }
    waiting = news() - before;
  }

  before = news();
  for (long i = 0; i < n; ++i) {
    (void)ready.try_send(i);
    sum += *ready.recv_timeout(1s);
    auto v = feed.recv_timeout(1s);  // must wait: arms and cancels a timer
    sum += *v;
    (void)ready.try_send(i);
    select {
      auto x = ready.recv() => sum += *x;
      _ = cprime::after(1h) => std::puts("after fired");
    }
    select {
      auto x = empty.recv() => sum += *x;
      _ = cprime::after(0ms) => ++sum;  // waits for nothing: fires at once
    }
  }
  const long others = news() - before;

  // Under a sanitizer each block allocates its node (the cache is off).
  const long per_block = SANITIZED ? n : 0;
  std::printf("blocks: %ld, waiting: %ld, others: %ld\n", plain - per_block, waiting - per_block, others);
  std::printf("sum %ld\n", sum > 0 ? 1L : 0L);
}

int main() {
  auto t = spawn run();
  t.join();
}
// CHECK: blocks: 0, waiting: 0, others: 0
// CHECK: sum 1
