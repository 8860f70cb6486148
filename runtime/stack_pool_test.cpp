// runtime/stack_pool_test.cpp — slab layout, reuse, canaries, map budget.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "cprime/runtime.hpp"
#include "cprime/sync.hpp"
#include "rt.hpp"
#include "test_util.hpp"

namespace {

using cprime::detail::stack_pool;

std::size_t map_count() {
  std::ifstream f("/proc/self/maps");
  std::string line;
  std::size_t n = 0;
  while (std::getline(f, line)) ++n;
  return n;
}

TEST(stack_pool, slots_have_odd_page_stride_and_are_reused_lifo) {
  stack_pool pool(128 * 1024);
  EXPECT_EQ(pool.slot_size(), 33u * 4096);
  char* a = pool.alloc(nullptr);
  pool.free(nullptr, a);
  char* b = pool.alloc(nullptr);
  EXPECT_EQ(a, b);
  pool.free(nullptr, b);
  EXPECT_EQ(pool.live_slots(), 0u);
}

TEST(stack_pool, layout_keeps_control_block_in_the_top_page) {
  stack_pool pool(64 * 1024);
  std::vector<char*> slots;
  for (int i = 0; i < 8; ++i) slots.push_back(pool.alloc(nullptr));
  for (char* s : slots) {
    char *lo, *hi;
    uint64_t* canary;
    pool.layout(s, &lo, &hi, &canary);
    char* base = stack_pool::untag(s);
    EXPECT_EQ(hi, base + pool.slot_size() - stack_pool::top_reserve);
    auto* f = cprime::detail::fiber_in_slot(base, pool.slot_size());
    EXPECT_GE(reinterpret_cast<char*>(f), hi - 4096 + stack_pool::top_reserve);
    EXPECT_LE(reinterpret_cast<char*>(f + 1), hi);
    if (canary) {
      // The canary zone is the previous slot's top zone: below our lowest byte.
      EXPECT_EQ(reinterpret_cast<char*>(canary), base - stack_pool::top_reserve);
      EXPECT_EQ(lo, base);
    } else {
      EXPECT_TRUE(lo == base + 4096 || (uintptr_t(s) & stack_pool::tag_first));
    }
  }
  for (char* s : slots) pool.free(nullptr, s);
}

TEST(stack_pool, canary_detects_overwrite) {
  uint64_t zone[stack_pool::top_reserve / sizeof(uint64_t)] = {};
  cprime::detail::canary_arm(zone);
  EXPECT_TRUE(cprime::detail::canary_ok(zone));
  zone[stack_pool::top_reserve / sizeof(uint64_t) - 1] = 0;
  EXPECT_FALSE(cprime::detail::canary_ok(zone));
}

TEST(stack_pool, many_stacks_cost_few_mappings) {
  stack_pool pool(128 * 1024);
  std::size_t before = map_count();
  std::vector<char*> slots;
  for (int i = 0; i < 20000; ++i) slots.push_back(pool.alloc(nullptr));
  std::size_t after = map_count();
  // Guarded slots (a process-wide budget of 4096) cost two mappings each; the
  // rest cost about two per 500-slot slab.
  EXPECT_LT(after - before, 2 * 4096 + 200u);
  for (char* s : slots) pool.free(nullptr, s);
}

// Sanitizers add shadow memory per touched page, so RSS is only meaningful
// in a plain build; the test is not compiled under them.
#if !defined(CPRIME_ASAN_FIBERS) && !defined(CPRIME_TSAN_FIBERS)
TEST(stack_pool, parked_coroutines_touch_little_memory) {
  auto rss_kib = [] {
    std::ifstream f("/proc/self/status");
    std::string l;
    while (std::getline(f, l))
      if (l.rfind("VmRSS:", 0) == 0) return std::stol(l.substr(6));
    return -1L;
  };
  cprime::runtime rt = cprime::runtime::builder().worker_threads(2).build();
  rt.run([&] {
    constexpr int n = 20000;
    cprime::wait_group gate, started, done;
    gate.add(1);
    started.add(n);
    done.add(n);
    long before = rss_kib();
    for (int i = 0; i < n; ++i)
      cprime::spawn([&] {
        started.done();
        gate.wait();
        done.done();
      });
    started.wait();
    long per = (rss_kib() - before) * 1024 / n;
    EXPECT_LE(per, 8 * 1024) << "bytes per parked coroutine";
    gate.done();
    done.wait();
  });
}
#endif

}  // namespace
