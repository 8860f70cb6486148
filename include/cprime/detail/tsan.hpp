// cprime/detail/tsan.hpp — what ThreadSanitizer is told about coroutines
// (docs/race-detector.md has the whole design). Every function here is a
// no-op unless the translation unit is built with -fsanitize=thread.
//
// TSan models each coroutine as a thread of its own (a TSan fiber, one per
// spawn) and fiber switches carry no synchronisation
// (__tsan_switch_to_fiber_no_sync): two coroutines that take turns on one
// worker are unordered unless the program orders them. Two things follow.
//
//  - Hidden stretches. The runtime's own work — switch records, run queues,
//    the stack cache, channel queues and buffers, wait lists, the timer heap —
//    is ordered by the runtime's internal locks and by each worker's program
//    order, which TSan no longer sees. The runtime's entry points therefore
//    run hidden (tsan_hidden, tsan_section): TSan neither records their
//    memory accesses nor lets their atomics and locks create happens-before
//    edges. Hiding the sync matters as much as hiding the accesses: otherwise
//    every coroutine would acquire the history of whatever internal lock or
//    queue it touched, and the detector would miss races between coroutines
//    the program never ordered (Go's race detector likewise does not see
//    its runtime's locks). A hidden stretch spans a switch only on the switch
//    path itself (fiber.cpp, park): each context ends the stretch it began.
//
//  - Edges. Where the language promises synchronisation the entry point says
//    so, outside its hidden stretch: tsan_release(addr) on the side that
//    happens first, tsan_acquire(addr) on the side that happens after, the
//    same addr for both (the object: a channel, a mutex, a task's state…).
#pragma once

#include <cstddef>
#include <exception>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CPRIME_TSAN_FIBERS 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) && !defined(CPRIME_TSAN_FIBERS)
#define CPRIME_TSAN_FIBERS 1
#endif

#ifdef CPRIME_TSAN_FIBERS
#include <sanitizer/tsan_interface.h>

// TSan's dynamic-annotation entry points (compiler-rt tsan_interface_ann),
// exported by the TSan runtime; there is no public header for them.
extern "C" {
void AnnotateIgnoreReadsBegin(const char* file, int line);
void AnnotateIgnoreReadsEnd(const char* file, int line);
void AnnotateIgnoreSyncBegin(const char* file, int line);
void AnnotateIgnoreSyncEnd(const char* file, int line);
}
#endif

namespace cprime::detail {

#ifdef CPRIME_TSAN_FIBERS
inline void tsan_release(const void* addr) noexcept { __tsan_release(const_cast<void*>(addr)); }
inline void tsan_acquire(const void* addr) noexcept { __tsan_acquire(const_cast<void*>(addr)); }
// tsan_hide_begin()/end(): the current TSan fiber stops/starts recording
// memory accesses and synchronisation. Counted: nests.
inline void tsan_hide_begin() noexcept {
  AnnotateIgnoreReadsBegin(__FILE__, __LINE__);  // reads and writes: one counter
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
}
inline void tsan_hide_end() noexcept {
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
  AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
}
#else
inline void tsan_release(const void*) noexcept {}
inline void tsan_acquire(const void*) noexcept {}
inline void tsan_hide_begin() noexcept {}
inline void tsan_hide_end() noexcept {}
#endif

// tsan_hidden: a hidden stretch for one scope.
struct tsan_hidden {
  tsan_hidden() noexcept { tsan_hide_begin(); }
  ~tsan_hidden() { tsan_hide_end(); }
  tsan_hidden(const tsan_hidden&) = delete;
  tsan_hidden& operator=(const tsan_hidden&) = delete;
};

// Cancellation edge: cancel_node::cancel() releases on tsan_cancel_sync
// before it marks anything; a coroutine that observes cancellation — the
// cprime::cancelled thrown out of a runtime entry point, cancel_requested()
// or is_cancelled() returning true, an awaited token.cancelled() — acquires
// it. One address for all nodes: observing any cancellation orders the
// observer after every cancel() so far (more than Go promises, never less).
inline char tsan_cancel_sync;
inline void tsan_cancel_observed() noexcept { tsan_acquire(&tsan_cancel_sync); }

// tsan_section: the body of a runtime entry point that may throw
// cprime::cancelled — hidden, and if it unwinds, the cancellation edge is
// taken on the way out, once TSan sees synchronisation again.
struct tsan_section {
#ifdef CPRIME_TSAN_FIBERS
  int unwinding = std::uncaught_exceptions();
  tsan_section() noexcept { tsan_hide_begin(); }
  ~tsan_section() {
    tsan_hide_end();
    if (std::uncaught_exceptions() > unwinding) tsan_cancel_observed();
  }
#else
  tsan_section() noexcept {}  // user-provided: no unused-variable warning
#endif
  tsan_section(const tsan_section&) = delete;
  tsan_section& operator=(const tsan_section&) = delete;
};

}  // namespace cprime::detail
