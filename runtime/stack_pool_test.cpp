// runtime/stack_pool_test.cpp — slab layout, reuse, canaries, map budget.
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cprime/channel.hpp"
#include "cprime/runtime.hpp"
#include "cprime/sync.hpp"
#include "stack_pool.hpp"
#include "worker.hpp"
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
  // 64 KiB zone + 128 KiB stack + the top page = 49 pages, already odd.
  EXPECT_EQ(pool.slot_size(), 49u * 4096);
  EXPECT_EQ(pool.stack_size(), 128u * 1024);
  // The default: 16 + 256 + 1 = 273 pages, 1092 KiB.
  EXPECT_EQ(stack_pool(cprime::runtime::builder::default_stack_size).slot_size(), 273u * 4096);
  EXPECT_EQ(stack_pool(100 * 1024).slot_size(), 43u * 4096);  // 42 rounded up to odd
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
    EXPECT_EQ(lo, base + stack_pool::zone_bytes);
    EXPECT_GE(std::size_t(hi - lo), pool.stack_size());
    auto* f = cprime::detail::fiber_in_slot(base, pool.slot_size());
    EXPECT_GE(reinterpret_cast<char*>(f), hi - 4096 + stack_pool::top_reserve);
    EXPECT_LE(reinterpret_cast<char*>(f + 1), hi);
    if (canary) {
      // The canary zone is the previous slot's top zone: below our zone.
      EXPECT_EQ(reinterpret_cast<char*>(canary), base - stack_pool::top_reserve);
      EXPECT_FALSE(uintptr_t(s) & stack_pool::tag_guarded);
    } else {
      EXPECT_TRUE((uintptr_t(s) & stack_pool::tag_guarded) || (uintptr_t(s) & stack_pool::tag_first));
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
  // PROT_NONE guards (a process-wide budget) cost two mappings each; the
  // rest (guard regions or gaps) cost about two per 1300-slot slab.
  EXPECT_LE(stack_pool::guarded_budget(), 65530u / 8);
  EXPECT_LT(after - before, 2 * stack_pool::guarded_budget() + 100u);
  for (char* s : slots) pool.free(nullptr, s);
}

// faults(p): reading p faults (a guard region or PROT_NONE). process_vm_readv
// reports EFAULT where a plain read would raise SIGSEGV.
bool faults(const char* p) {
  char c;
  iovec local{&c, 1}, remote{const_cast<char*>(p), 1};
  return ::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0) != 1;
}

// With guard regions (Linux 6.13+) every slot has a real guard, also past
// the slots the PROT_NONE budget can afford, and it stays through
// give-backs (MADV_DONTNEED; under TSan a fresh mapping of the stack pages).
TEST(stack_pool, every_slot_has_a_guard_region) {
  if (!stack_pool::guard_regions())
    GTEST_SKIP() << "this kernel has no MADV_GUARD_INSTALL (before Linux 6.13): the PROT_NONE "
                    "budget and canaries apply, tested by the tests that turn guard regions off";
  stack_pool pool(64 << 10);  // 33 pages a slot: 1985 slots a slab
  // Past the PROT_NONE budget, then a slab more: guard regions.
  const std::size_t n = stack_pool::guarded_budget() + 2200;
  std::vector<char*> slots;
  for (std::size_t i = 0; i < n - 2000; ++i) slots.push_back(pool.alloc(nullptr));
  std::size_t maps_before = map_count();
  for (std::size_t i = n - 2000; i < n; ++i) slots.push_back(pool.alloc(nullptr));
  EXPECT_LT(map_count() - maps_before, 10u) << "guard regions must not split mappings";
  std::size_t unguarded = 0;
  for (char* s : slots) {
    char *lo, *hi;
    uint64_t* canary;
    pool.layout(s, &lo, &hi, &canary);
    EXPECT_FALSE(uintptr_t(s) & stack_pool::tag_unarmed);
    if (!(uintptr_t(s) & stack_pool::tag_guarded) || canary || !faults(lo - 1) ||
        !faults(stack_pool::untag(s)) || faults(lo))
      ++unguarded;
  }
  EXPECT_EQ(unguarded, 0u) << "of " << n << " slots";
  // A deep stack given back keeps its guard; so does a slot handed out again.
  char* last = slots.back();
  char *lo, *hi;
  uint64_t* canary;
  pool.layout(last, &lo, &hi, &canary);
  std::memset(lo, 1, std::size_t(hi - lo));
  pool.give_back(last, true);
  EXPECT_TRUE(faults(lo - 1));
  EXPECT_TRUE(faults(lo - stack_pool::zone_bytes));
  EXPECT_FALSE(faults(lo));
  pool.free(nullptr, last);
  slots.pop_back();
  EXPECT_EQ(pool.alloc(nullptr), last);
  EXPECT_TRUE(faults(lo - 1));
  slots.push_back(last);
  for (char* s : slots) pool.free(nullptr, s);
}

// guard_regions_off: the older scheme (kernels before 6.13), in this process
// until the end of the scope.
struct guard_regions_off {
  guard_regions_off() { stack_pool::set_guard_regions_for_testing(false); }
  ~guard_regions_off() { stack_pool::set_guard_regions_for_testing(true); }
};

// resident(p, n): pages of [p, p+n) in memory (mincore).
std::size_t resident(char* p, std::size_t n) {
  std::vector<unsigned char> v(n / 4096);
  if (mincore(p, n, v.data()) != 0) return ~std::size_t{0};
  std::size_t r = 0;
  for (unsigned char c : v) r += c & 1;
  return r;
}

// A dead stack keeps its top 32 KiB and gives back what lies below when it
// was deep: seen there at a switch, or found by a probe.
TEST(stack_pool, give_back_returns_deep_pages_only) {
  stack_pool pool(1 << 20);
  char* s = pool.alloc(nullptr);
  char *lo, *hi;
  uint64_t* canary;
  pool.layout(s, &lo, &hi, &canary);
  char* top = stack_pool::untag(s) + pool.slot_size();
  std::size_t n = std::size_t(top - lo);
  // Shallow: nothing below the line is resident, nothing to give back.
  std::memset(top - 8192, 1, 8192);
  pool.give_back(s, false);
  EXPECT_EQ(resident(top - 8192, 8192), 2u);
  // 512 KiB touched (as a big buffer: only its bytes are written).
  std::memset(top - (512 << 10), 1, 512 << 10);
  EXPECT_GE(resident(lo, n), 128u);
  pool.give_back(s, false);
  EXPECT_LE(resident(lo, n), stack_pool::keep_bytes / 4096);
  EXPECT_EQ(top[-1], 1);  // the kept pages keep their contents
  // Zeros only (no probe can see it): the switch's `deep` mark decides.
  std::memset(top - (300 << 10), 0, 300 << 10);
  EXPECT_GE(resident(lo, n), 64u);
  pool.give_back(s, true);
  EXPECT_LE(resident(lo, n), stack_pool::keep_bytes / 4096);
  pool.free(nullptr, s);
}

TEST(stack_pool, zone_written_sees_an_overflow_into_the_gap) {
  // Without guard regions, unguarded slots exist once the process-wide
  // budget is spent: spend it (given back when `burn` is destroyed).
  guard_regions_off off;
  stack_pool burn(16 << 10), burn_more(64 << 20);
  while (uintptr_t(burn.alloc(nullptr)) & stack_pool::tag_guarded) {
  }
  while (uintptr_t(burn_more.alloc(nullptr)) & stack_pool::tag_guarded) {
  }
  stack_pool pool(64 << 10);
  char* s = pool.alloc(nullptr);
  ASSERT_FALSE(uintptr_t(s) & stack_pool::tag_guarded);
  char *lo, *hi;
  uint64_t* canary;
  pool.layout(s, &lo, &hi, &canary);
  EXPECT_FALSE(pool.zone_written(s));
  lo[-1] = 7;
  EXPECT_TRUE(pool.zone_written(s));
  lo[-1] = 0;
  EXPECT_FALSE(pool.zone_written(s));
}

// Large stack sizes: a slab holds fewer slots than a worker's cache batch
// (a 4 MiB runtime used to abort with std::length_error on any spawn from a
// coroutine). Any size, any batch, at every worker count.
TEST(stack_pool, large_stack_sizes_spawn_from_coroutines) {
  for (std::size_t mib : {2, 4, 8, 64, 300}) {
    for (int workers : {1, 2, 4}) {
      cprime::runtime rt =
          cprime::runtime::builder().worker_threads(workers).stack_size(mib << 20).build();
      // 100 coroutines alive at once: several slabs, partial batches.
      long sum = rt.run([] {
        std::vector<cprime::task<long>> hs;
        cprime::wait_group gate;
        gate.add(1);
        for (long i = 0; i < 100; ++i)
          hs.push_back(cprime::spawn([&gate, i] {
            gate.wait();
            return i;
          }));
        gate.done();
        long s = 0;
        for (auto& h : hs) s += h.join();
        return s;
      });
      EXPECT_EQ(sum, 4950) << mib << " MiB, " << workers << " workers";
      EXPECT_EQ(rt.stack_size(), mib << 20);
    }
  }
}

// Per spawn: cprime::stack_size(b) gives one coroutine a larger stack; the
// others keep the default. Used here to 4 MiB of recursion.
__attribute__((noinline)) long deep(int kib) {
  volatile char pad[1000];
  pad[0] = static_cast<char>(kib);
  if (kib <= 1) return pad[0];
  return deep(kib - 1) + pad[0];
}

TEST(stack_pool, per_spawn_stack_size) {
  for (int workers : {1, 2, 4}) {
    cprime::runtime rt = cprime::runtime::builder().worker_threads(workers).build();
    long r = rt.run([] {
      auto big = cprime::spawn(cprime::here(), cprime::stack_size(5 << 20), [] { return deep(4000); });
      auto same = cprime::spawn(cprime::stack_size(1 << 10), [] { return deep(500); });
      long a = big.join(), b = same.join();
      return a + b;
    });
    long want = 0;
    for (int k = 4000; k >= 1; --k) want += static_cast<char>(k);
    for (int k = 500; k >= 1; --k) want += static_cast<char>(k);
    EXPECT_EQ(r, want);
    EXPECT_THROW(rt.run([] { cprime::spawn(cprime::stack_size(std::size_t{1} << 62), [] {}).join(); }),
                 std::length_error);
  }
}

// Sanitizers add shadow memory per touched page, so RSS is only meaningful
// in a plain build; the test is not compiled under them.
#if !defined(CPRIME_ASAN_FIBERS) && !defined(CPRIME_TSAN_FIBERS)
// Page tables count: VmRSS leaves them out, VmPTE has them. The default is
// sized for the suite; CPRIME_TEST_PARKED=1000000 runs the full idle size.
TEST(stack_pool, parked_coroutines_touch_little_memory) {
  auto kib = [](const char* key) {
    std::ifstream f("/proc/self/status");
    std::string l;
    while (std::getline(f, l))
      if (l.rfind(key, 0) == 0) return std::stol(l.substr(std::strlen(key)));
    return -1L;
  };
  auto mem = [&] { return kib("VmRSS:") + kib("VmPTE:"); };
  const char* env = std::getenv("CPRIME_TEST_PARKED");
  const int n = env ? std::atoi(env) : 20000;
  ASSERT_GT(n, 0);
  for (int workers : {1, 2, 4}) {
    cprime::runtime rt = cprime::runtime::builder().worker_threads(workers).build();
    rt.run([&] {
      cprime::wait_group gate, started, done;
      gate.add(1);
      started.add(n);
      done.add(n);
      long before = mem(), pte_before = kib("VmPTE:");
      std::size_t maps_before = map_count();
      for (int i = 0; i < n; ++i)
        cprime::spawn([&] {
          started.done();
          gate.wait();
          done.done();
        });
      started.wait();
      long per = (mem() - before) * 1024 / n;
      long pte = (kib("VmPTE:") - pte_before) * 1024 / n;
      std::size_t maps = map_count() - maps_before;
      // Past the PROT_NONE budget (two mappings a slot), guard regions cost
      // no mappings: a slab of 240 default stacks is two (n = 1,000,000:
      // ~16,400 + ~8,400, far below vm.max_map_count = 65530).
      if (stack_pool::guard_regions())
        EXPECT_LE(maps, 2 * stack_pool::guarded_budget() + std::size_t(n) / 100 + 50);
      EXPECT_LE(per, 8 * 1024) << "bytes per parked coroutine, page tables included, " << workers
                               << " workers";
      if (env)
        std::printf("%d parked, %d workers: %.2f KiB each (page tables %.2f KiB), %zu new mappings\n",
                    n, workers, per / 1024.0, pte / 1024.0, maps);
      gate.done();
      done.wait();
    });
  }
}
#endif

// Many coroutines parked on one channel, then woken by close(), in a loop:
// the shape of the idle benchmark (1,000,000 at 2 workers there), which once
// ended in a cut-off "cprime: fatal: " and a SIGSEGV. Spawned from a
// coroutine (worker stack caches, spawn pressure) and from a plain thread
// (the pool's locked path, the global queue), at 1, 2 and 4 workers.
#if defined(CPRIME_ASAN_FIBERS) || defined(CPRIME_TSAN_FIBERS)
constexpr int parked_n = 10000, parked_rounds = 2;
#else
constexpr int parked_n = 50000, parked_rounds = 2;
#endif

void park_on(cprime::channel<char> ch, cprime::wait_group& started, cprime::wait_group& finished,
             std::atomic<int>& got_value) {
  started.done();
  if (cprime::await(ch.recv())) got_value.fetch_add(1);
  finished.done();
}

TEST(stack_pool_stress, coroutines_parked_on_a_channel_in_a_loop) {
  for (int workers : {1, 2, 4}) {
    for (int round = 0; round < parked_rounds; ++round) {
      for (bool from_thread : {false, true}) {
        SCOPED_TRACE(std::to_string(workers) + " workers, round " + std::to_string(round) +
                     (from_thread ? ", spawned from a plain thread" : ", spawned from a coroutine"));
        cprime::runtime rt = cprime::runtime::builder().worker_threads(workers).build();
        cprime::channel<char> ch;
        cprime::wait_group started, finished;
        std::atomic<int> got_value{0};
        started.add(parked_n);
        finished.add(parked_n);
        auto spawn_all = [&] {
          for (int i = 0; i < parked_n; ++i)
            rt.spawn(park_on, ch, std::ref(started), std::ref(finished), std::ref(got_value))
                .detach();
        };
        if (from_thread)
          spawn_all();
        else
          rt.run(spawn_all);
        started.wait();
        ch.close();
        finished.wait();
        EXPECT_EQ(got_value.load(), 0);
      }
    }
  }
}

}  // namespace
