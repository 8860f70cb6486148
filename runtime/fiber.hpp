// runtime/fiber.hpp — private: a coroutine's control block (fiber), what a
// cancel node knows of a coroutine or thread (exec_ctx), and the context
// switch (fiber.cpp). Not installed.
//
// Invariants:
//   - A fiber is in at most one place: running on exactly one worker, in one
//     run queue (a worker's ring or runnext, or a runtime's global queue), or
//     parked (reachable only through the waiter it parked on).
//   - A fiber's saved context (fiber::ctx) is written by the context that
//     resumes after it switched away, before it is made runnable or its park
//     is committed; so whoever resumes it sees a complete context.
#pragma once

#include <boost/context/detail/fcontext.hpp>

#include <atomic>
#include <cstdint>

#include "cprime/detail/cancel_node.hpp"
#include "cprime/detail/park.hpp"
#include "cprime/detail/site.hpp"
#include "cprime/task.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CPRIME_ASAN_FIBERS 1
#endif
#if __has_feature(thread_sanitizer)
#define CPRIME_TSAN_FIBERS 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(CPRIME_ASAN_FIBERS)
#define CPRIME_ASAN_FIBERS 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(CPRIME_TSAN_FIBERS)
#define CPRIME_TSAN_FIBERS 1
#endif

namespace cprime::detail {

namespace ctx = boost::context::detail;

class runtime_impl;
struct worker;

// exec_ctx is what a cancel node knows of a member: a fiber or a plain thread.
struct exec_ctx {
  cancel_node* node = nullptr;  // written by the owner only; members link under node->mu_
  waiter* cur_waiter = nullptr; // guarded by node->mu_ (kept only while node != nullptr)
  exec_ctx* node_prev = nullptr;  // guarded by node->mu_
  exec_ctx* node_next = nullptr;  // guarded by node->mu_
};

// fiber states, for dump() and the stack pool's liveness scan.
enum class fiber_state : uint8_t { free = 0, runnable, running, parked, done };

// fiber is a coroutine's control block. It lives at the top of its own stack
// slot, so a fresh coroutine touches one page for block, closure and first
// frames.
struct fiber : exec_ctx {
  // First cache line (with exec_ctx's 32 bytes): what every switch touches.
  ctx::fcontext_t ctx = nullptr;  // saved context while not running
  runtime_impl* rt = nullptr;
  std::atomic<const char*> reason{nullptr};  // what it is parked on
  std::atomic<fiber_state> state{fiber_state::free};
  // fresh: spawned and never run. A hint for the owner's LIFO pick
  // (runq.cpp, pick_local); cleared when the fiber first runs.
  std::atomic<bool> fresh{true};
  // Second line: the stack check at every switch away, `since` (written at
  // every park: on a third line it cost a cache miss per park), then cold
  // fields.
  uint64_t* canary = nullptr;    // in the neighbour slot's resident top page, or null
  char* stack_lo = nullptr;      // lowest usable byte
  char* stack_hi = nullptr;      // one past the highest usable byte
  // since: coarse_now_ms() when it last parked (dump.cpp; written before the
  // park commits, so a reader that saw state == parked sees it).
  int64_t since = 0;
  char* slot = nullptr;          // tagged slot (stack_pool)
  closure_fn run = nullptr;
  void* closure = nullptr;
  bool closure_on_heap = false;
  bool deep = false;             // seen below its stack's keep line at a switch (stack_pool::give_back)
  task_state_base* task = nullptr;
  site where;
  uint64_t id = 0;
#ifdef CPRIME_TSAN_FIBERS
  void* tsan_fiber = nullptr;
#endif
};

// fiber.cpp: context switching.
void fiber_init(fiber* f, char* lo, char* hi) noexcept;
[[noreturn]] void fiber_entry(ctx::transfer_t t) noexcept;
void switch_to(worker* w, fiber* next) noexcept;  // from the current fiber; w->sw set
void after_switch(ctx::transfer_t t) noexcept;
void run_fiber(worker* w, fiber* f) noexcept;     // from the scheduler context
void check_stack(fiber* f) noexcept;
void fiber_release(worker* w, fiber* f) noexcept;
void sanitizer_thread_start(worker* w) noexcept;
void sanitizer_thread_end(worker* w) noexcept;  // fiber.cpp: before a worker thread exits

}  // namespace cprime::detail
