// runtime/fiber.cpp — coroutine contexts on Boost.Context's fcontext layer.
//
// A switch is one jump_fcontext (no allocation). The context we switch to
// finishes the switch for us in after_switch(): it stores our saved context
// and runs the action we recorded in worker::sw (commit a park, requeue a
// yield, release an exited coroutine's stack). Nothing may make a coroutine
// runnable before its context is stored, and after_switch() is the only place
// that stores it — that is what makes a wake racing with a park safe.
//
// Sanitizers: under ASan every jump is bracketed by
// __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber; under TSan
// each coroutine has a TSan fiber and every jump calls __tsan_switch_to_fiber.
#include <pthread.h>

#include <cstdlib>
#include <new>

#include "overflow.hpp"
#include "park_internal.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"

#ifdef CPRIME_ASAN_FIBERS
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef CPRIME_TSAN_FIBERS
#include <sanitizer/tsan_interface.h>
#include <sys/mman.h>

#include <vector>
#endif

namespace cprime::detail {

namespace {

// jump() switches this thread from the running context to `to`. `exiting`:
// the current context is never resumed (its sanitizer state is dropped).
ctx::transfer_t jump(worker* w, ctx::fcontext_t to, fiber* target, bool exiting) noexcept {
#ifdef CPRIME_ASAN_FIBERS
  void* fake = nullptr;
  const void* bottom = target ? static_cast<const void*>(target->stack_lo) : w->sched_stack_bottom;
  std::size_t size = target ? std::size_t(target->stack_hi - target->stack_lo) : w->sched_stack_size;
  __sanitizer_start_switch_fiber(exiting ? nullptr : &fake, bottom, size);
#endif
#ifdef CPRIME_TSAN_FIBERS
  // A switch orders nothing: coroutines sharing a worker are as unordered as
  // coroutines on two workers unless the program orders them (tsan.hpp).
  // An exiting fiber ends its hidden stretch here: TSan refuses to destroy a
  // fiber that still ignores accesses. Nothing after this point touches
  // memory that another context could later write.
  void* to_tsan = target ? target->tsan_fiber : w->sched_tsan_fiber;
  if (exiting) tsan_hide_end();
  __tsan_switch_to_fiber(to_tsan, __tsan_switch_to_fiber_no_sync);
#endif
  (void)exiting;
  (void)target;
  ctx::transfer_t t = ctx::jump_fcontext(to, w);
#ifdef CPRIME_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
  return t;
}

}  // namespace

void sanitizer_thread_start(worker* w) noexcept {
#ifdef CPRIME_ASAN_FIBERS
  pthread_attr_t a;
  pthread_getattr_np(pthread_self(), &a);
  void* addr;
  std::size_t size;
  pthread_attr_getstack(&a, &addr, &size);
  pthread_attr_destroy(&a);
  w->sched_stack_bottom = addr;
  w->sched_stack_size = size;
#endif
#ifdef CPRIME_TSAN_FIBERS
  // TSan records the thread's TLS block as written by the thread when it
  // starts, and every coroutine that runs here reads it (the runtime's
  // thread-locals, the user's): publish the start; fiber_start() waits for
  // it and acquires it before it creates a coroutine.
  w->tsan_started.store(true, std::memory_order_release);
  // The scheduler context runs hidden for the worker's whole life: all it
  // does is the runtime's bookkeeping (tsan.hpp).
  tsan_hide_begin();
  w->sched_tsan_fiber = __tsan_get_current_fiber();
#endif
  (void)w;
}

void sanitizer_thread_end(worker* w) noexcept {
  tsan_hide_end();
  // The thread's exit (pthread TSD destructors: values a coroutine stored
  // with pthread_setspecific on this thread) comes after every coroutine of
  // the runtime that ended; fiber_entry() releases on the runtime.
  tsan_acquire(w->rt);
}

void fiber_init(fiber* f, char* lo, char* top) noexcept {
  f->stack_lo = lo;
  f->ctx = ctx::make_fcontext(top, std::size_t(top - lo), &fiber_entry);
  // Its TSan fiber is created by fiber_start(), once the closure is built.
}

// check_stack() runs at every switch away from f (on the next context's
// stack). Slots without a guard zone rely on it: a saved stack pointer past
// the stack's end, or an overwritten canary, is an overflow (see
// stack_pool.cpp). It also notes a deep stack for give_back().
void check_stack(fiber* f) noexcept {
  char* sp = reinterpret_cast<char*>(f->ctx);
  if (sp < f->stack_lo + 64) [[unlikely]]
    stack_overflow(f, sp, "seen at a switch: its stack pointer was past the end");
  if (f->canary && !canary_ok(f->canary)) [[unlikely]]
    stack_overflow(f, f->canary, "seen at a switch: the canary below its stack was overwritten");
  if (sp < f->stack_hi - stack_pool::keep_bytes) f->deep = true;
}

// after_switch_inline() is after_switch(), inlined into the switch paths
// (switch_to is itself inlined into park_fiber: park.cpp, runq.cpp, idle.cpp
// and this file form one translation unit, runtime/CMakeLists.txt).
[[gnu::always_inline]] inline void after_switch_inline(ctx::transfer_t t) noexcept {
  worker* w = static_cast<worker*>(t.data);
  switch_record sw = w->sw;
  w->sw.what = after::none;  // every switch sets the record; only `what` must not linger
  if (sw.prev)
    sw.prev->ctx = t.fctx;
  else
    w->sched_ctx = t.fctx;
  w->runs.store(w->runs.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  w->running.store(w->current, std::memory_order_release);
  switch (sw.what) {
    case after::none:
      break;
    case after::park: {
      fiber* p = sw.prev;
      check_stack(p);
      p->state.store(fiber_state::parked, std::memory_order_release);
      if (waiter_access::exclusive(*sw.w)) {
        // Only lock holders claim it (waiter::set_lock_only): once unlocked it may
        // be woken, and the wake needs no handshake.
        if (sw.unlock) sw.unlock(sw.arg);
        break;
      }
      if (sw.unlock) sw.unlock(sw.arg);
      // Order is important here: the context is stored and the queue lock
      // released before the commit; a wake() that ran before it left state 2
      // and the commit fails, so we make p runnable ourselves.
      uint32_t expected = 0;
      if (!waiter_access::state(*sw.w).compare_exchange_strong(
              expected, 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
        p->state.store(fiber_state::runnable, std::memory_order_relaxed);
        w->rt->ready(p, false);
      }
      break;
    }
    case after::yield: {
      fiber* p = sw.prev;
      check_stack(p);
      p->state.store(fiber_state::runnable, std::memory_order_relaxed);
      w->rt->ready(p, false);
      break;
    }
    case after::handoff: {
      fiber* p = sw.prev;
      check_stack(p);
      p->state.store(fiber_state::runnable, std::memory_order_relaxed);
      w->rt->ready(p, true);
      break;
    }
    case after::exit:
      fiber_release(w, sw.prev);
      break;
  }
}

void after_switch(ctx::transfer_t t) noexcept { after_switch_inline(t); }

void switch_to(worker* w, fiber* next) noexcept {
  bool exiting = w->sw.what == after::exit;
  ctx::transfer_t t;
  w->current = next;
  if (next) {
    next->state.store(fiber_state::running, std::memory_order_relaxed);
    next->fresh.store(false, std::memory_order_relaxed);
    t = jump(w, next->ctx, next, exiting);
  } else {
    t = jump(w, w->sched_ctx, nullptr, exiting);
  }
  after_switch_inline(t);
}

void run_fiber(worker* w, fiber* f) noexcept {
  w->current = f;
  f->state.store(fiber_state::running, std::memory_order_relaxed);
  f->fresh.store(false, std::memory_order_relaxed);
  w->sw = switch_record{};
  ctx::transfer_t t = jump(w, f->ctx, f, false);
  after_switch(t);
}

[[noreturn]] void fiber_entry(ctx::transfer_t t) noexcept {
#ifdef CPRIME_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
  tsan_hide_begin();  // finish the switch that started us, hidden (tsan.hpp)
  after_switch(t);
  fiber* f = static_cast<worker*>(t.data)->current;
  tsan_hide_end();
  f->run(f->closure, f->task);  // runs the call, completes the task
  if (f->closure_on_heap) std::free(f->closure);
  tsan_release(f->rt);  // for the worker threads' exit (sanitizer_thread_end)
  tsan_hide_begin();  // ended in jump(), just before the last switch
  if (cancel_node* n = f->node) {
    n->leave(f);  // clears f->node
    n->release();
  }
  f->state.store(fiber_state::done, std::memory_order_relaxed);
  worker* w = this_worker();  // not t.data: f may have moved to another worker
  w->sw = switch_record{after::exit, f};
  switch_to(w, w->rt->pick_next(w));
  __builtin_unreachable();
}

void fiber_release(worker* w, fiber* f) noexcept {
#ifdef CPRIME_TSAN_FIBERS
  if (f->tsan_fiber) __tsan_destroy_fiber(f->tsan_fiber);  // null: aborted before start
  f->tsan_fiber = nullptr;
#endif
  char* slot = f->slot;
  runtime_impl* rt = f->rt;
  stack_pool& pool = rt->pool_of(slot);
  // A dead coroutine that overflowed into its gap (no guard zone) and never
  // switched there is caught now; then its deep pages go back to the kernel.
  if (pool.zone_written(slot)) [[unlikely]]
    stack_overflow(f, stack_pool::untag(slot) + stack_pool::zone_bytes,
                   "seen at its exit: the gap below its stack was written");
  pool.give_back(slot, f->deep);
  f->state.store(fiber_state::free, std::memory_order_release);
  pool.free(w && w->rt == rt && &pool == &rt->stacks() ? w : nullptr, slot);
}

prepared_fiber fiber_prepare(const spawn_options& o, std::size_t size, std::size_t align,
                             closure_fn run, task_state_base* st) {
  // The stack cache and the id block are the worker's; the control block is
  // read by the scheduler only (tsan.hpp).
  tsan_hidden hide;
  runtime_impl* rt = o.rt;
  if (!rt) rt = current_runtime();
  if (!rt) rt = default_runtime();
  worker* w = this_worker();
  if (w && w->rt != rt) w = nullptr;
  stack_pool& pool = o.stack_size ? rt->pool_for(o.stack_size) : rt->stacks();
  worker* cache = &pool == &rt->stacks() ? w : nullptr;  // larger pools have no worker cache
  char* slot = pool.alloc(cache);
  char *lo, *hi;
  uint64_t* canary;
  pool.layout(slot, &lo, &hi, &canary);
  auto down = [](char* p, std::size_t a) {
    return reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(p) & ~(uintptr_t(a) - 1));
  };
  char* top = reinterpret_cast<char*>(fiber_in_slot(stack_pool::untag(slot), pool.slot_size()));
  fiber* f = ::new (top) fiber;
  f->stack_hi = hi;
  f->slot = slot;
  f->canary = canary;
  f->rt = rt;
  f->run = run;
  f->task = st;
  f->where = o.where;
  if (w)
    w->spawned.store(w->spawned.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  else
    rt->thread_spawns_.fetch_add(1, std::memory_order_relaxed);
  if (w) {
    if (w->next_id == w->id_end) {
      w->next_id = rt->next_fiber_id_.fetch_add(runtime_impl::id_block, std::memory_order_relaxed);
      w->id_end = w->next_id + runtime_impl::id_block;
    }
    f->id = w->next_id++;
  } else {
    f->id = rt->next_fiber_id_.fetch_add(1, std::memory_order_relaxed);
  }
  if (align < 16) align = 16;
  char* stack_top = top;
#ifdef CPRIME_TSAN_FIBERS
  // A reused slot must not carry the history of the coroutine that ran on it
  // last: TSan would report its stack writes against ours, and ordering us
  // after it would hide real races between the two. TSan forgets a range
  // when it is mapped afresh, so under TSan the stack starts below the
  // control block's page (that page holds only runtime state, accessed
  // hidden) and every spawn maps anew the stack pages the last user touched
  // (mincore: resident pages; a page never touched carries no history).
  stack_top = down(top, 4096);
  {
    std::size_t pages = std::size_t(stack_top - lo) / 4096;
    std::vector<unsigned char> resident(pages);
    char* from = stack_top;
    if (::mincore(lo, pages * 4096, resident.data()) != 0) {
      from = lo;
    } else {
      for (std::size_t i = 0; i < pages; ++i)
        if (resident[i] & 1) {
          from = lo + i * 4096;
          break;
        }
    }
    if (from < stack_top &&
        ::mmap(from, std::size_t(stack_top - from), PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
      fatal("cprime: cannot remap a coroutine stack for ThreadSanitizer");
  }
#endif
  if (size <= pool.stack_size() / 8) {
    f->closure = down(stack_top - size, align);
    stack_top = static_cast<char*>(f->closure);
  } else {
    std::size_t bytes = (size + align - 1) / align * align;
    f->closure = std::aligned_alloc(align, bytes);
    if (!f->closure) {
      pool.free(cache, slot);
      throw std::bad_alloc();
    }
    f->closure_on_heap = true;
  }
  fiber_init(f, lo, down(stack_top, 64));
  if (canary) canary_arm(canary);
  cancel_node* n = o.inherit_node ? current_cancel_node() : o.node;
  if (n) {
    n->retain();
    n->join(f);  // sets f->node
  }
  return {f, f->closure};
}

void fiber_start(fiber* f) noexcept {
#ifdef CPRIME_TSAN_FIBERS
  // Every worker's start (its TLS initialisation) happens before the body,
  // wherever it runs; at most the first spawns of a runtime wait here.
  for (std::size_t i = 0; i < f->rt->nworkers(); ++i)
    while (!f->rt->worker_at(i)->tsan_started.load(std::memory_order_acquire)) std::this_thread::yield();
  // The spawn edge: TSan starts a fiber with its creator's clock, so what
  // the spawner did before spawn — the closure it just built included —
  // happens before the body.
  void* tf = __tsan_create_fiber(0);
#endif
  tsan_hidden hide;  // queueing it is the runtime's business (tsan.hpp)
#ifdef CPRIME_TSAN_FIBERS
  f->tsan_fiber = tf;  // the control block is runtime state: written hidden
#endif
  runtime_impl* rt = f->rt;
  // Spawn pressure: a coroutine that spawns faster than its worker runs the
  // children keeps them all alive at once, each on a fresh stack page (a
  // page fault and a cleared page per spawn). Once the worker's ring is half
  // full, the spawner hands its worker to the child at once and waits in
  // runnext: a short-lived child finishes and hands its stack back,
  // cache-hot, to the next spawn. Fairness: the ring still gets its turn
  // every runnext_limit picks (runq.cpp). Below the mark spawn never
  // switches.
  worker* w = this_worker();
  if (w && w->rt == rt && w->current &&
      w->tail.load(std::memory_order_relaxed) - w->head.load(std::memory_order_relaxed) >=
          worker::ring_size / 2) {
    f->state.store(fiber_state::runnable, std::memory_order_release);
    w->sw = switch_record{after::handoff, w->current};
    switch_to(w, f);
    return;
  }
  f->state.store(fiber_state::runnable, std::memory_order_release);
  rt->ready(f, true);
}

void fiber_abort(fiber* f) noexcept {
  tsan_hidden hide;
  if (f->closure_on_heap) std::free(f->closure);
  if (cancel_node* n = f->node) {
    n->leave(f);  // clears f->node
    n->release();
  }
  worker* w = this_worker();
  fiber_release(w, f);
}

}  // namespace cprime::detail
