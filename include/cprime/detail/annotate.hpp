// cprime/detail/annotate.hpp — marks read by the plugin's hazard checks.
//
// The checks (docs/checks/) find suspension points and spawn sites by these
// marks, not by names, so a user's own function is checked the same way:
//
//   CPRIME_SUSPENDS void wait_for_reply(conn& c);   // in a header
//
// CPRIME_SUSPENDS     the function may suspend the calling coroutine (or
//                     block a plain thread): a lock held across a call to it,
//                     or a thread_local cached across it, is reported.
// CPRIME_SPAWNS       the function runs its callable argument (the first
//                     argument after an optional cprime::site and
//                     cprime::stack_size) as a
//                     coroutine: blocking calls inside it are reported.
// CPRIME_SPAWNS_BLOCKING  the callable runs on the blocking pool instead.
// CPRIME_UNSTRUCTURED the spawned task may outlive the caller when its handle
//                     is dropped (detached): reference captures are reported.
// CPRIME_FD_WAIT     a readiness wait (cprime::io::wait_readable/_writable):
//                     a function that calls one treats its fds as
//                     non-blocking, so its ::read/::recv/… are not reported.
// Other compilers ignore them.
#pragma once

#if defined(__clang__)
#define CPRIME_SUSPENDS [[clang::annotate("cprime::suspends")]]
#define CPRIME_SPAWNS [[clang::annotate("cprime::spawns")]]
#define CPRIME_SPAWNS_BLOCKING [[clang::annotate("cprime::spawns_blocking")]]
#define CPRIME_UNSTRUCTURED [[clang::annotate("cprime::unstructured")]]
#define CPRIME_FD_WAIT [[clang::annotate("cprime::fd_wait")]]
#else
#define CPRIME_SUSPENDS
#define CPRIME_SPAWNS
#define CPRIME_SPAWNS_BLOCKING
#define CPRIME_UNSTRUCTURED
#define CPRIME_FD_WAIT
#endif
