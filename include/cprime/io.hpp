// cprime/io.hpp — wait for readiness of any non-blocking file descriptor.
//
// Example: a coroutine that drains a pipe without ever blocking its worker.
//
//   #include <cprime/io.hpp>
//   #include <fcntl.h>
//   #include <unistd.h>
//
//   int fds[2];
//   pipe2(fds, O_NONBLOCK | O_CLOEXEC);
//   cprime::spawn([rd = fds[0]] {
//     char buf[4096];
//     for (;;) {
//       ssize_t n = ::read(rd, buf, sizeof buf);
//       if (n > 0) { consume(buf, n); continue; }
//       if (n == 0) break;                                // writer closed
//       int err = cprime::io::last_errno();               // not errno: see below
//       if (err != EAGAIN) throw std::system_error(err, std::generic_category());
//       if (!cprime::io::wait_readable(rd, std::chrono::seconds(5))) break;  // idle 5 s
//     }
//     cprime::io::forget(rd);
//     ::close(rd);
//   });
//
// On a runtime coroutine the waits park only that coroutine on the runtime's
// epoll poller; on a plain OS thread they block the thread in ::poll. A
// readiness wait has level-triggered meaning: it returns at once when the fd
// is ready now, so the caller need not drain it to EAGAIN first. Wake-ups may
// be spurious (another reader took the data): retry the syscall, wait again.
// A cancelled coroutine (timeout { }, parallel, task_group, token) gets
// cprime::cancelled thrown from a wait, promptly, even while parked.
//
// errno across a wait: a coroutine may resume on another worker thread, and
// the compiler may compute errno's (thread-local) address once, before the
// loop, because glibc declares __errno_location() const. Reading `errno` in a
// function that loops around a wait can therefore read another thread's
// errno. Read it with io::last_errno() (an opaque call) instead.
#pragma once

#include <chrono>

#include "cprime/detail/annotate.hpp"

namespace cprime::io {

// wait_readable(fd) returns once fd is readable (data, EOF, hang-up or error
// pending). Throws cprime::cancelled if the calling coroutine is cancelled,
// std::system_error(EBADF) if fd is not open. Regular files are always ready.
CPRIME_SUSPENDS CPRIME_FD_WAIT void wait_readable(int fd);

// wait_readable(fd, timeout) is wait_readable(fd) bounded by timeout: returns
// true when fd is readable, false when the timeout passed first.
CPRIME_SUSPENDS CPRIME_FD_WAIT [[nodiscard]] bool wait_readable(int fd, std::chrono::nanoseconds timeout);

// wait_writable(fd) returns once fd is writable (buffer space, hang-up or
// error pending). Same errors as wait_readable.
CPRIME_SUSPENDS CPRIME_FD_WAIT void wait_writable(int fd);

// wait_writable(fd, timeout): true when writable, false when timed out.
CPRIME_SUSPENDS CPRIME_FD_WAIT [[nodiscard]] bool wait_writable(int fd, std::chrono::nanoseconds timeout);

// last_errno() returns the calling thread's errno. Use it instead of `errno`
// in any function that may park (see the note at the top of this file).
int last_errno() noexcept;

// forget(fd) releases the poller registration that waits on fd created; call
// it before closing fd. Optional (a stale registration is repaired when the
// number is reused) but it frees the registration at once. Waits still parked
// on fd return as if it were ready. Never needed for net:: sockets.
void forget(int fd) noexcept;

}  // namespace cprime::io
