// cprime/detail/poller.hpp — the epoll poller every fiber-aware descriptor uses.
//
// Example (how net.cpp reads from a non-blocking socket):
//
//   poll_desc* pd = poll_register(fd);           // once, after socket()/accept4()
//   for (;;) {
//     io_token tok = poll_token(pd, io_dir::read);  // snapshot BEFORE the syscall
//     ssize_t n = ::recv(fd, buf, len, 0);
//     if (n >= 0) return n;
//     if (errno != EAGAIN) throw …;
//     if (poll_wait(pd, io_dir::read, tok, no_deadline) == io_result::closed) throw …;
//   }
//   …
//   poll_unregister(pd);                          // before ::close(fd)
//
// A registered fd is in the epoll set once, edge-triggered, for both
// directions (EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET). The scheduler polls it
// (runtime/poller.cpp: workers out of work, and one idle worker blocked in
// epoll_wait); per edge, the direction's readiness sequence number is bumped
// and every coroutine parked on that direction is woken (waiter::wake puts it
// on the polling worker's queue). The token taken before the syscall makes the edge that
// arrives between EAGAIN and the park impossible to lose: poll_wait returns at
// once when the sequence moved past the token.
//
// Raw descriptors a user brings (io::wait_readable(fd)) go through
// poll_wait_fd: it re-arms the registration with EPOLL_CTL_MOD on every wait,
// so it has level-triggered meaning (returns when the fd is ready now, even if
// no new edge arrives) and needs no token.
//
// Known to runtime/poller.cpp, runtime/net.cpp, include/cprime/io.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "cprime/detail/timer.hpp"

namespace cprime::detail {

struct poll_desc;  // one registered fd (runtime/poller.cpp)

enum class io_dir : uint8_t { read = 0, write = 1 };

// io_result is how a wait ended (cancellation is thrown, never returned).
enum class io_result : uint8_t {
  ready,      // an edge arrived after the token: retry the syscall
  timed_out,  // the deadline passed first
  closed,     // poll_unregister ran while waiting (or before)
};

// io_token is a readiness snapshot: (registration generation << 32) | sequence.
struct io_token {
  uint64_t value = 0;
};

// no_deadline means "wait without a timeout".
inline constexpr clock::time_point no_deadline = clock::time_point::max();

// poll_register() adds fd (non-blocking, any pollable kind) to the epoll set
// and returns its descriptor; starts the poller thread on first use. Throws
// std::system_error if epoll refuses fd (EPERM for regular files, EBADF …).
poll_desc* poll_register(int fd);

// poll_unregister() removes pd's fd from the epoll set, wakes every waiter on
// it with io_result::closed and recycles pd. Call it before ::close(fd); pd
// must not be used afterwards. Null is ignored.
void poll_unregister(poll_desc* pd) noexcept;

// poll_token() snapshots pd's readiness for dir; take it before the syscall
// whose EAGAIN leads to poll_wait. Lock-free.
io_token poll_token(poll_desc* pd, io_dir dir) noexcept;

// poll_wait() parks the calling coroutine until an edge for dir newer than
// tok, the deadline, or poll_unregister. Returns at once when the edge already
// arrived. Throws cprime::cancelled if the coroutine is cancelled (before or
// while parked). Precondition: called on a runtime coroutine.
io_result poll_wait(poll_desc* pd, io_dir dir, io_token tok, clock::time_point deadline);

// poll_wait_fd() parks the calling coroutine until fd is ready for dir
// (level-triggered meaning: ready now counts), the deadline, or cancellation
// (thrown). Registers fd on first use. Regular files are always ready. Throws
// std::system_error(EBADF) for a descriptor that is not open.
// Precondition: called on a runtime coroutine.
io_result poll_wait_fd(int fd, io_dir dir, clock::time_point deadline);

// poll_forget() drops the registration poll_wait_fd made for fd, waking its
// waiters with io_result::closed. Call before closing such an fd to free the
// descriptor early (forgetting is optional: a stale one is repaired on reuse).
void poll_forget(int fd) noexcept;

// poll_block_thread() is the plain-thread counterpart of poll_wait_fd: it
// blocks the calling OS thread in ::poll until fd is ready for dir or the
// deadline passes (level-triggered; never returns io_result::closed). Throws
// std::system_error(EBADF) for a descriptor that is not open.
io_result poll_block_thread(int fd, io_dir dir, clock::time_point deadline);

// poll_ready() is the scheduler hook: one epoll_wait with timeout_ms (0 =
// just look, -1 = until an event or poll_break) on the poller's epoll set;
// then on_return(arg) if set (the scheduler's poll owner marks its worker
// busy there; only such a call consumes a poll_break);
// then wakes the coroutines whose fds are ready (from a worker, wake() puts
// them on that worker's queue). Returns the number of fd events handled; 0
// if the poller never started. Safe beside other callers: each edge is
// delivered to one caller.
int poll_ready(int timeout_ms, void (*on_return)(void*) = nullptr, void* arg = nullptr) noexcept;
// poll_ready_ns() is poll_ready() with the timeout in nanoseconds (-1: none);
// the scheduler folds the next timer event into it.
int poll_ready_ns(int64_t timeout_ns, void (*on_return)(void*) = nullptr, void* arg = nullptr) noexcept;

// poller_threads() is 1 while the poller thread exists, else 0: the deadlock
// detector counts it among the runtime's own threads.
std::size_t poller_threads() noexcept;

}  // namespace cprime::detail
