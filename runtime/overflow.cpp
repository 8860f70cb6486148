// runtime/overflow.cpp — a coroutine stack overflow is a report, not a bare
// SIGSEGV.
//
// A coroutine that runs into its stack's guard zone (stack_pool.cpp) faults
// with no stack left to run a handler on, so every worker thread has an
// alternate signal stack and the SIGSEGV handler runs there (SA_ONSTACK). The
// handler decides whether the fault is an overflow of the coroutine running
// on this thread: the address lies below the stack's lowest usable byte and
// either inside that slot (its zone, or the slab's guard page under slot 0)
// or the stack pointer itself is past the end. Then it prints
//   cprime: fatal: coroutine N spawned at file:line overflowed its K KiB stack (...)
// and aborts. Any other fault goes to the handler installed before ours
// (a sanitizer's, the program's) or gets the default action, as if we were
// not there.
//
// Async-signal safety: the handler reads only the worker's thread-local
// pointer and the faulting fiber's control block, formats with snprintf
// (no allocation for these conversions) and writes with write(2).
#include <signal.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "overflow.hpp"
#include "runtime_impl.hpp"

namespace cprime::detail {
namespace {

struct sigaction g_prev;  // written once, before our handler is installed
constexpr std::size_t alt_bytes = 64 << 10;
thread_local void* tl_alt = nullptr;  // the alternate stack we mapped, if any

char* fault_sp(void* uc) noexcept {
  auto* u = static_cast<ucontext_t*>(uc);
#if defined(__x86_64__)
  return reinterpret_cast<char*>(u->uc_mcontext.gregs[REG_RSP]);
#elif defined(__aarch64__)
  return reinterpret_cast<char*>(u->uc_mcontext.sp);
#else
  (void)u;
  return nullptr;
#endif
}

void chain(int sig, siginfo_t* si, void* uc) noexcept {
  if ((g_prev.sa_flags & SA_SIGINFO) && g_prev.sa_sigaction) {
    g_prev.sa_sigaction(sig, si, uc);
    return;
  }
  if (g_prev.sa_handler != SIG_DFL && g_prev.sa_handler != SIG_IGN) {
    g_prev.sa_handler(sig);
    return;
  }
  // Default action: restore it and let the fault happen again on return
  // (a core dump shows the real state); a signal sent by kill() is raised.
  ::signal(sig, SIG_DFL);
  if (si->si_code <= 0) ::raise(sig);
}

void on_segv(int sig, siginfo_t* si, void* uc) {
  int saved_errno = errno;
  worker* w = this_worker();
  fiber* f = w ? w->current : nullptr;
  if (f) {
    char* addr = static_cast<char*>(si->si_addr);
    char* sp = fault_sp(uc);
    char* slot = stack_pool::untag(f->slot);
    bool in_slot_below = addr >= slot - 4096 && addr < f->stack_lo;
    bool sp_past_end = sp && sp < f->stack_lo && addr < f->stack_lo;
    if (in_slot_below || sp_past_end)
      stack_overflow(f, addr,
                     in_slot_below ? "it faulted in the guard zone below its stack"
                                   : "it faulted with its stack pointer past the end");
  }
  chain(sig, si, uc);
  errno = saved_errno;
}

// safe_copy(dst, n, src) copies the NUL-terminated string at src (at most
// n-1 bytes) without trusting it: an overflow may have written over the
// control block that holds the pointer, and the report must still come out.
// process_vm_readv fails with EFAULT where a plain read would fault.
const char* safe_copy(char* dst, std::size_t n, const char* src) noexcept {
  if (!src) return "<unknown>";
  iovec local{dst, n - 1}, remote{const_cast<char*>(src), n - 1};
  ssize_t got = ::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0);
  if (got <= 0) {
    // The string may end near the end of its mapping: read it in short steps.
    std::size_t at = 0;
    while (at + 1 < n) {
      iovec l{dst + at, 1}, r{const_cast<char*>(src) + at, 1};
      if (::process_vm_readv(::getpid(), &l, 1, &r, 1, 0) != 1) break;
      if (dst[at++] == 0) return dst;
    }
    if (at == 0) return "<unreadable>";
    got = static_cast<ssize_t>(at);
  }
  dst[std::min<std::size_t>(std::size_t(got), n - 1)] = 0;
  dst[n - 1] = 0;
  return dst;
}

}  // namespace

void stack_overflow(const fiber* f, const void* addr, const char* how) noexcept {
  // The stack's size from its pool, trusting f's fields only as far as they
  // agree with this thread's runtime (an overflow may have hit f's block).
  std::size_t kib = std::size_t(f->stack_hi - f->stack_lo) >> 10;
  worker* w = this_worker();
  if (w && w->rt == f->rt) {
    std::size_t want = w->rt->stacks().stack_size() << stack_pool::cls_of(f->slot);
    w->rt->for_each_pool([&](stack_pool& q) {
      if (q.stack_size() == want) kib = want >> 10;
    });
  }
  char file[256];
  const char* where = safe_copy(file, sizeof file, f->where.file);
  char buf[1024];
  int n = std::snprintf(buf, sizeof buf,
                        "cprime: fatal: coroutine %llu spawned at %s:%u overflowed its %zu KiB "
                        "stack (%s; address %p, stack %p-%p); raise the limit with "
                        "runtime::builder().stack_size() or per spawn (docs/runtime.md, "
                        "\"Stacks\")\n",
                        static_cast<unsigned long long>(f->id),
                        where, f->where.line, kib, how,
                        addr, static_cast<const void*>(f->stack_lo),
                        static_cast<const void*>(f->stack_hi));
  if (n < 0) n = 0;
  if (static_cast<std::size_t>(n) >= sizeof buf) n = sizeof buf - 1;
  for (const char* p = buf; n > 0;) {
    ssize_t k = ::write(2, p, static_cast<std::size_t>(n));
    if (k <= 0) {
      if (k < 0 && errno == EINTR) continue;
      break;
    }
    p += k;
    n -= static_cast<int>(k);
  }
  // abort() from a SIGSEGV handler: SIGABRT is not blocked there, and its
  // default action (or a death test's) ends the process.
  std::abort();
}

void overflow_handler_install() noexcept {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = &on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGSEGV, nullptr, &g_prev);
    ::sigaction(SIGSEGV, &sa, nullptr);
  });
}

void overflow_thread_start() noexcept {
  stack_t cur;
  // Keep an alternate stack someone else installed (a sanitizer does) if it
  // is large enough for the report.
  if (::sigaltstack(nullptr, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) && cur.ss_size >= 16384)
    return;
  void* m = ::mmap(nullptr, alt_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return;  // no report on overflow, but the fault still ends the process
  stack_t ss;
  ss.ss_sp = m;
  ss.ss_size = alt_bytes;
  ss.ss_flags = 0;
  if (::sigaltstack(&ss, nullptr) != 0) {
    ::munmap(m, alt_bytes);
    return;
  }
  tl_alt = m;
}

void overflow_thread_stop() noexcept {
  if (!tl_alt) return;
  stack_t ss;
  std::memset(&ss, 0, sizeof ss);
  ss.ss_flags = SS_DISABLE;
  ::sigaltstack(&ss, nullptr);
  ::munmap(tl_alt, alt_bytes);
  tl_alt = nullptr;
}

}  // namespace cprime::detail
