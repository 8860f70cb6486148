// runtime/stack_overflow_test.cpp — every shape of coroutine stack overflow
// ends the program with "coroutine N spawned at file:line overflowed its K
// KiB stack (...)", never a bare SIGSEGV (docs/runtime.md, "Stacks").
//
// This file is compiled with -fstack-clash-protection, as the plugin
// compiles CPrime-enabled files: a frame larger than a page probes every page
// it spans, top down, so it meets the guard zone before anything below it.
#include <gmock/gmock-matchers.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include "cprime/runtime.hpp"
#include "cprime/sync.hpp"
#include "runtime_impl.hpp"

namespace {

using cprime::detail::stack_pool;

// Each frame fills 1 KiB with a non-zero byte, so an overflow writes every
// word it passes (return addresses alone would leave gaps).
__attribute__((noinline)) long recurse_forever(long n) {
  volatile char pad[1024];
  std::memset(const_cast<char*>(pad), 0x5a, sizeof pad);
  return recurse_forever(n + 1) + pad[n % 1024];
}

// recurse_below(limit) recurses until its frames are below `limit`, then
// calls at_bottom() there and returns.
template <class F>
__attribute__((noinline)) long recurse_below(const char* limit, F& at_bottom) {
  volatile char pad[1024];
  std::memset(const_cast<char*>(pad), 0x5a, sizeof pad);
  if (const_cast<char*>(pad) < limit) {
    at_bottom();
    return pad[7];
  }
  return recurse_below(limit, at_bottom) + pad[3];
}

// big_frame(bytes): one frame of `bytes` whose lowest byte is written first,
// as a buffer filled from its start is. With stack clash protection the
// frame's pages are probed from the top first.
__attribute__((noinline)) long big_frame(std::size_t bytes, void (*then)()) {
  char* buf = static_cast<char*>(__builtin_alloca(bytes));
  buf[0] = 1;
  std::memset(buf, 2, bytes);
  asm volatile("" : : "r"(buf) : "memory");
  then();
  return buf[bytes / 2];
}

void nothing() {}
void yield_now() { cprime::detail::yield_current(); }

// spend_guarded_budget() leaves only unguarded slabs for the stack pools made
// afterwards in this (death-test) process: the scheme of kernels without
// guard regions (before Linux 6.13), once its PROT_NONE budget is spent.
// Small stacks spend it in big slabs, then 64 MiB ones (four slots a slab)
// spend all but the last few slots.
void spend_guarded_budget() {
  stack_pool::set_guard_regions_for_testing(false);
  for (std::size_t size : {std::size_t{16} << 10, std::size_t{64} << 20}) {
    auto* burn = new stack_pool(size);  // leaked: its slots stay spent
    while (reinterpret_cast<uintptr_t>(burn->alloc(nullptr)) & stack_pool::tag_guarded) {
    }
  }
}

// run_child(workers, body) runs body on a coroutine spawned at
// user_file.cpp:<line> from inside the runtime, and joins it.
template <class F>
void run_child(int workers, unsigned line, F body) {
  cprime::runtime rt = cprime::runtime::builder().worker_threads(std::size_t(workers)).build();
  rt.run([&] { cprime::spawn(cprime::site{"user_file.cpp", line}, body).join(); });
}

const std::string head = "cprime: fatal: coroutine [0-9]+ spawned at user_file.cpp:";

TEST(stack_overflow_death, gradual_recursion_in_a_guarded_slot) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (int workers : {1, 2, 4}) {
    EXPECT_DEATH(run_child(workers, 11, [] { return recurse_forever(0); }),
                 head + "11 overflowed its 1024 KiB stack \\(it faulted in the guard zone below "
                        "its stack; address 0x[0-9a-f]+, stack 0x[0-9a-f]+-0x[0-9a-f]+\\)")
        << workers << " workers";
  }
}

TEST(stack_overflow_death, one_frame_larger_than_the_guard_zone_in_a_guarded_slot) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (int workers : {1, 2, 4}) {
    EXPECT_DEATH(run_child(workers, 12, [] { return big_frame(3 << 20, nothing); }),
                 head + "12 overflowed its 1024 KiB stack \\(it faulted in the guard zone below "
                        "its stack; address 0x[0-9a-f]+")
        << workers << " workers";
  }
}

TEST(stack_overflow_death, per_spawn_stacks_report_their_own_size) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        cprime::runtime rt = cprime::runtime::builder().worker_threads(2).build();
        rt.run([] {
          cprime::spawn(cprime::site{"user_file.cpp", 13}, cprime::stack_size(3 << 20),
                        [] { return recurse_forever(0); })
              .join();
        });
      },
      head + "13 overflowed its 4096 KiB stack \\(it faulted in the guard zone");
}

TEST(stack_overflow_death, gradual_recursion_in_an_unguarded_slot) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (int workers : {1, 2, 4}) {
    // Unbounded: it runs through its gap and its neighbours' stacks until
    // the slab's guard page (see the documentation: detected, not contained).
    EXPECT_DEATH(
        {
          spend_guarded_budget();
          run_child(workers, 21, [] { return recurse_forever(0); });
        },
        head + "21 overflowed its 1024 KiB stack \\(it faulted with its stack pointer past the "
               "end; address 0x[0-9a-f]+")
        << workers << " workers";
    // Bounded, then a switch: seen at the switch.
    EXPECT_DEATH(
        {
          spend_guarded_budget();
          run_child(workers, 22, [] {
            char top;
            auto at = [] { cprime::detail::yield_current(); };
            return recurse_below(&top - (1 << 20) - (20 << 10), at);
          });
        },
        head + "22 overflowed its 1024 KiB stack \\(seen at a switch: its stack pointer was "
               "past the end; address 0x[0-9a-f]+")
        << workers << " workers";
    // Bounded, then back up and exit without a switch: seen at its exit.
    EXPECT_DEATH(
        {
          spend_guarded_budget();
          run_child(workers, 23, [] {
            char top;
            auto at = [] {};
            return recurse_below(&top - (1 << 20) - (20 << 10), at);
          });
        },
        head + "23 overflowed its 1024 KiB stack \\(seen at its exit: the gap below its stack "
               "was written")
        << workers << " workers";
    // Past the gap into the neighbour's top zone, back up, then a switch:
    // the canary.
    EXPECT_DEATH(
        {
          spend_guarded_budget();
          run_child(workers, 24, [] {
            char top;
            auto at = [] {};
            long r = recurse_below(&top - (1 << 20) - (80 << 10), at);
            cprime::detail::yield_current();
            return r;
          });
        },
        head + "24 overflowed its 1024 KiB stack \\(seen at a switch: the canary below its "
               "stack was overwritten")
        << workers << " workers";
  }
}

TEST(stack_overflow_death, one_frame_larger_than_the_gap_in_an_unguarded_slot) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (int workers : {1, 2, 4}) {
    // 1.5 MiB: it lands on the neighbour below (slot 0, the parked rt.run
    // coroutine) and writes it; the switch that follows reports it.
    EXPECT_DEATH(
        {
          spend_guarded_budget();
          run_child(workers, 31, [] { return big_frame(3 << 19, yield_now); });
        },
        head + "31 overflowed its 1024 KiB stack \\(seen at a switch: its stack pointer was past "
               "the end")
        << workers << " workers";
    // 3 MiB: past every slot below, into the slab's leading guard page.
    EXPECT_DEATH(
        {
          spend_guarded_budget();
          run_child(workers, 32, [] { return big_frame(3 << 20, yield_now); });
        },
        head + "32 overflowed its 1024 KiB stack \\(it faulted with its stack pointer past "
               "the end")
        << workers << " workers";
  }
}

// Past the first vm.max_map_count / 8 slots: the slots the PROT_NONE scheme
// leaves unguarded. 8,200 coroutines park first, each with a sentinel in its
// frame; then one overflows. With guard regions its own guard stops it, so
// the report is the guard-fault form and, checked after the report (at
// SIGABRT), every parked neighbour's sentinel is intact. Without them the
// same overflow runs through the slots below: the check shows the damage.
constexpr int parked_neighbours = 8200;
constexpr uint64_t sentinel_value = 0x5E17E1F00DCAFE42ull;
volatile uint64_t* g_sentinels[parked_neighbours];
std::atomic<int> g_sentinel_count{0};

// Not instrumented: it reads the sentinels after the report, whatever an
// overflow left there.
__attribute__((no_sanitize("address", "thread"))) void count_damaged_sentinels(int) {
  int n = g_sentinel_count.load(), damaged = 0;
  for (int i = 0; i < n; ++i)
    if (g_sentinels[i][0] != sentinel_value || g_sentinels[i][7] != sentinel_value) ++damaged;
  char buf[128];
  int len = std::snprintf(buf, sizeof buf, "neighbours: %d parked, %d damaged\n", n, damaged);
  if (len > 0) (void)!::write(2, buf, std::size_t(len));
}

// The sentinel is an alloca: under ASan fixed-size locals may live on its
// fake stack (heap), a dynamic alloca stays on the coroutine's own stack.
__attribute__((noinline)) void park_with_sentinel(cprime::wait_group& started,
                                                  cprime::wait_group& gate) {
  auto* sentinel = static_cast<volatile uint64_t*>(__builtin_alloca(8 * sizeof(uint64_t)));
  for (int i = 0; i < 8; ++i) sentinel[i] = sentinel_value;
  g_sentinels[g_sentinel_count.fetch_add(1)] = sentinel;
  started.done();
  gate.wait();
  asm volatile("" : : "r"(sentinel) : "memory");
}

template <class F>
void overflow_past_the_parked(int workers, unsigned line, F body) {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = &count_damaged_sentinels;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGABRT, &sa, nullptr);  // abort() then ends the process as before
  cprime::runtime rt = cprime::runtime::builder().worker_threads(std::size_t(workers)).build();
  rt.run([&] {
    cprime::wait_group started, gate;
    started.add(parked_neighbours);
    gate.add(1);
    for (int i = 0; i < parked_neighbours; ++i)
      cprime::spawn(park_with_sentinel, std::ref(started), std::ref(gate));
    started.wait();
    // This coroutine's slot lies past the budget of the PROT_NONE scheme.
    if (cprime::detail::this_worker()->rt->stacks().live_slots() <= stack_pool::guarded_budget())
      std::abort();
    cprime::spawn(cprime::site{"user_file.cpp", line}, body).join();
    gate.done();
  });
}

const std::string guard_fault = " overflowed its 1024 KiB stack \\(it faulted in the guard zone "
                                "below its stack; address 0x[0-9a-f]+, stack "
                                "0x[0-9a-f]+-0x[0-9a-f]+\\)[^\n]*\nneighbours: 8200 parked, 0 "
                                "damaged";

TEST(stack_overflow_death, past_the_first_8191_slots_the_guard_stops_recursion) {
  if (!stack_pool::guard_regions())
    GTEST_SKIP() << "no MADV_GUARD_INSTALL (Linux before 6.13): such slots are unguarded there, "
                    "see the unguarded-slot tests";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (int workers : {1, 2, 4}) {
    EXPECT_DEATH(overflow_past_the_parked(workers, 51, [] { return recurse_forever(0); }),
                 head + "51" + guard_fault)
        << workers << " workers";
  }
}

TEST(stack_overflow_death, past_the_first_8191_slots_the_guard_stops_one_big_frame) {
  if (!stack_pool::guard_regions())
    GTEST_SKIP() << "no MADV_GUARD_INSTALL (Linux before 6.13): such slots are unguarded there, "
                    "see the unguarded-slot tests";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (int workers : {1, 2, 4}) {
    // 1.5 MiB lands on the neighbour's stack, 3 MiB past several slots:
    // with stack clash protection the first probe below the end faults.
    EXPECT_DEATH(overflow_past_the_parked(workers, 52, [] { return big_frame(3 << 19, yield_now); }),
                 head + "52" + guard_fault)
        << workers << " workers";
    EXPECT_DEATH(overflow_past_the_parked(workers, 53, [] { return big_frame(3 << 20, yield_now); }),
                 head + "53" + guard_fault)
        << workers << " workers";
  }
}

// The same overflow without guard regions (the scheme of older kernels):
// reported, but only after it has run through the parked neighbours below.
TEST(stack_overflow_death, past_the_first_8191_slots_without_guard_regions_neighbours_are_hit) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        stack_pool::set_guard_regions_for_testing(false);
        overflow_past_the_parked(2, 54, [] { return recurse_forever(0); });
      },
      head + "54 overflowed its 1024 KiB stack \\(it faulted with its stack pointer past the "
             "end[^\n]*\nneighbours: 8200 parked, [1-9][0-9]* damaged");
}

// Not an overflow: a null dereference on a coroutine still gets what it
// would get without the runtime (the handler passes it on): the default
// SIGSEGV, or a sanitizer's own report.
TEST(stack_overflow_death, other_faults_are_passed_on) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto null_read = [] {
    run_child(1, 41, [] {
      volatile int* p = nullptr;
      return *p;
    });
  };
#if defined(CPRIME_ASAN_FIBERS) || defined(CPRIME_TSAN_FIBERS)
  EXPECT_DEATH(null_read(), "Sanitizer: SEGV on unknown address");
#else
  EXPECT_EXIT(null_read(), testing::KilledBySignal(SIGSEGV),
              ::testing::Not(::testing::HasSubstr("overflowed")));
#endif
}

}  // namespace
