// runtime/dump.cpp — seeing every coroutine: cprime::dump(), the SIGQUIT
// dump, the deadlock report, the hog warning, and the contract a debugger
// (gdb/cprime-gdb.py) reads. docs/debugging.md is the user's side of this.
//
// Stacks:
//   - A parked coroutine's stack is unwound from its saved Boost.Context
//     frame (fiber::ctx: registers at fixed offsets, see fctx_* below) with
//     libunwind's DWARF unwinder, loaded with dlopen(RTLD_LOCAL) on first use:
//     linked normally, libunwind's _Unwind_* would take over C++ exception
//     unwinding from libgcc. It runs as a "remote" unwind of our own process
//     through accessors that read the coroutine's stack directly and any
//     other address through process_vm_readv (or directly inside a loaded
//     image), so a coroutine resumed under our feet yields a wrong frame,
//     never a crash.
//   - A thread (a worker running a coroutine, a plain thread parked in the
//     runtime) unwinds itself in a signal handler (SIGURG, as Go's
//     preemption; installed only if the program left it at its default) and
//     hands the PCs back.
//   - PCs are symbolized with Boost.Stacktrace (libbacktrace backend):
//     function, file:line where debug info exists.
// Invariants:
//   - fiber::since and fiber::ctx are written before the park commits (the
//     release store of fiber_state::parked): a reader that acquires
//     state == parked sees both.
//   - One sample request at a time (sample_mu); the handler answers only a
//     request naming its own thread id.
#include <dlfcn.h>
#include <link.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#define BOOST_STACKTRACE_LINK
#include <boost/stacktrace/frame.hpp>
#include <libunwind.h>

#include "cprime/detail/poller.hpp"
#include "dump.hpp"
#include "futex.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"

#if !defined(__x86_64__)
#error "dump.cpp reads Boost.Context's x86_64 SysV frame layout"
#endif

// ---- the debugger contract ---------------------------------------------------
//
// gdb/cprime-gdb.py finds every coroutine through these symbols (C names, so
// a debugger finds them without the runtime's debug info), and reads raw
// memory with the offsets below. Any change to the layout bumps `version`
// and the script together. Documented in docs/debugging.md.
extern "C" {
struct cprime_debug_layout_t {
  uint32_t version;
  // runtime_impl
  uint32_t rt_name;          // std::string (libstdc++: data pointer first)
  uint32_t rt_pool;          // its default stack_pool
  uint32_t rt_big_pools;     // stack_pool* [n_pools]: the larger pools (null: not made)
  uint32_t n_pools;          // entries of rt_big_pools (entry 0 unused)
  uint32_t pool_slabs;       // in a stack_pool: std::vector<slab>: begin, end
  uint32_t pool_slot_size;   // in a stack_pool: std::size_t
  uint32_t rt_workers;       // std::vector<worker*>: begin, end
  uint32_t slab_size, slab_base, slab_count;
  // worker
  uint32_t w_tid, w_current, w_index;
  // fiber (the control block at the top of each slot)
  uint32_t fiber_size, fiber_align, slot_top_reserve;  // see fiber_in_slot()
  uint32_t f_ctx, f_state, f_reason, f_file, f_line, f_id, f_since, f_stack_lo, f_stack_hi;
  // fiber_state values
  uint32_t st_free, st_runnable, st_running, st_parked, st_done;
  // the saved Boost.Context frame at fiber::ctx; rsp after the switch
  // returns is ctx + fctx_rsp.
  uint32_t fctx_r12, fctx_r13, fctx_r14, fctx_r15, fctx_rbx, fctx_rbp, fctx_rip, fctx_rsp;
  // thread_parker (plain threads parked in the runtime)
  uint32_t tp_reason, tp_since, tp_tid, tp_next;
};
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"  // read by the debugger: layout is what it is
namespace cprime::detail {

struct debug_layout_access {
  static constexpr uint32_t rt_name() { return offsetof(runtime_impl, name_); }
  static constexpr uint32_t rt_stacks() { return offsetof(runtime_impl, stacks_); }
  static constexpr uint32_t rt_workers() { return offsetof(runtime_impl, workers_); }
  static constexpr uint32_t rt_big() { return offsetof(runtime_impl, big_stacks_); }
  static constexpr uint32_t sp_slabs() { return offsetof(stack_pool, slabs_); }
  static constexpr uint32_t sp_slot_size() { return offsetof(stack_pool, slot_size_); }
  static constexpr uint32_t slab_size() { return sizeof(stack_pool::slab); }
  static constexpr uint32_t slab_base() { return offsetof(stack_pool::slab, base); }
  static constexpr uint32_t slab_count() { return offsetof(stack_pool::slab, count); }
};

}  // namespace cprime::detail

extern "C" {
using cprime::detail::debug_layout_access;
using cprime::detail::fiber;
using cprime::detail::thread_parker;
using cprime::detail::worker;
__attribute__((used)) const cprime_debug_layout_t cprime_debug_layout = {
    1,
    debug_layout_access::rt_name(),
    debug_layout_access::rt_stacks(),
    debug_layout_access::rt_big(),
    cprime::detail::stack_pool::max_classes,
    debug_layout_access::sp_slabs(),
    debug_layout_access::sp_slot_size(),
    debug_layout_access::rt_workers(),
    debug_layout_access::slab_size(),
    debug_layout_access::slab_base(),
    debug_layout_access::slab_count(),
    offsetof(worker, tid),
    offsetof(worker, current),
    offsetof(worker, index),
    sizeof(fiber),
    64,  // fiber_in_slot() rounds down to a cache line
    cprime::detail::stack_pool::top_reserve,
    offsetof(fiber, ctx),
    offsetof(fiber, state),
    offsetof(fiber, reason),
    offsetof(fiber, where) + offsetof(cprime::site, file),
    offsetof(fiber, where) + offsetof(cprime::site, line),
    offsetof(fiber, id),
    offsetof(fiber, since),
    offsetof(fiber, stack_lo),
    offsetof(fiber, stack_hi),
    0, 1, 2, 3, 4,
    0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0x40, 0x48,
    offsetof(thread_parker, reason),
    offsetof(thread_parker, since),
    offsetof(thread_parker, tid),
    offsetof(thread_parker, next),
};
// The registry of runtimes (registry.cpp keeps these current under its lock).
__attribute__((used)) void* const* cprime_debug_runtimes = nullptr;
__attribute__((used)) std::size_t cprime_debug_nruntimes = 0;
// Steady-clock milliseconds as of the monitor's last tick; fiber::since and
// thread_parker::since are on the same clock.
// Own cache line: the monitor writes it every tick, every park reads it.
alignas(64) __attribute__((used)) std::atomic<int64_t> cprime_debug_now_ms{0};
}
#pragma GCC diagnostic pop

static_assert(static_cast<int>(cprime::detail::fiber_state::parked) == 3);
static_assert(static_cast<int>(cprime::detail::fiber_state::done) == 4);

// The gdb extension, inline in .debug_gdb_scripts: gdb loads it with the
// program (subject to its auto-load safe-path), build tree or installed.
#include "cprime_gdb_script.inc"

// cprime_detail_capture_frame(uint64_t out[8]): r12, r13, r14, r15, rbx,
// rbp, the return address, and the stack pointer the caller has after the
// call returns: the state DWARF unwinding starts from at the return address.
asm(R"(
  .text
  .globl cprime_detail_capture_frame
  .hidden cprime_detail_capture_frame
  .type cprime_detail_capture_frame,@function
cprime_detail_capture_frame:
  movq %r12, 0(%rdi)
  movq %r13, 8(%rdi)
  movq %r14, 16(%rdi)
  movq %r15, 24(%rdi)
  movq %rbx, 32(%rdi)
  movq %rbp, 40(%rdi)
  movq (%rsp), %rax
  movq %rax, 48(%rdi)
  leaq 8(%rsp), %rax
  movq %rax, 56(%rdi)
  ret
  .size cprime_detail_capture_frame, .-cprime_detail_capture_frame
)");

namespace cprime::detail {

int64_t steady_ms() noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t default_hog_ms() noexcept {
  static const int64_t v = [] {
    if (const char* e = std::getenv("CPRIME_HOG_MS")) {
      char* end = nullptr;
      long long n = std::strtoll(e, &end, 10);
      if (end != e && n >= 0) return static_cast<int64_t>(n);
    }
#ifdef CPRIME_TSAN_FIBERS
    // Off by default under ThreadSanitizer: code runs 5-15 times slower there,
    // so 100 ms flags healthy steps; and the reporter's symbolizing (it walks
    // the loaded objects under the loader lock) can deadlock with TSan's own
    // symbolizer reporting on a worker. CPRIME_HOG_MS or hog_threshold()
    // still turn it on.
    return int64_t{0};
#else
    return int64_t{100};
#endif
  }();
  return v;
}

namespace {

constexpr int max_frames = 64;

long gettid_() noexcept { return static_cast<long>(::syscall(SYS_gettid)); }

// ---- libunwind, loaded on demand --------------------------------------------

struct regs {
  unw_word_t r[UNW_X86_64_RIP + 1] = {};
  const char* lo = nullptr;  // readable directly: [lo, hi)
  const char* hi = nullptr;
};

struct image_range {
  uintptr_t lo, hi;
};

struct unwinder {
  bool ok = false;
  unw_addr_space_t as = nullptr;
  int (*init_remote)(unw_cursor_t*, unw_addr_space_t, void*) = nullptr;
  int (*step)(unw_cursor_t*) = nullptr;
  int (*get_reg)(unw_cursor_t*, int, unw_word_t*) = nullptr;
  std::vector<image_range> images;  // readable PT_LOAD segments, refreshed per dump
};

unwinder& U() {
  static unwinder* u = new unwinder;
  return *u;
}

bool in_images(uintptr_t a) noexcept {
  for (const image_range& r : U().images)
    if (a >= r.lo && a + sizeof(unw_word_t) <= r.hi) return true;
  return false;
}

// Reads other coroutines' stacks: ASan's redzones there and TSan's view of
// a parked coroutine's memory are not ours to check.
__attribute__((no_sanitize("address", "thread"))) void read_word(uintptr_t a, unw_word_t* val) noexcept {
  *val = *reinterpret_cast<const volatile unw_word_t*>(a);
}

int acc_mem(unw_addr_space_t, unw_word_t addr, unw_word_t* val, int write, void* arg) {
  if (write) return -UNW_EINVAL;
  auto* c = static_cast<regs*>(arg);
  const uintptr_t a = addr;
  if ((c->lo && a >= reinterpret_cast<uintptr_t>(c->lo) &&
       a + sizeof(unw_word_t) <= reinterpret_cast<uintptr_t>(c->hi)) ||
      in_images(a)) {
    read_word(a, val);
    return 0;
  }
  iovec local{val, sizeof *val};
  iovec remote{reinterpret_cast<void*>(a), sizeof *val};
  if (::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(sizeof *val))
    return 0;
  return -UNW_EINVAL;
}

int acc_reg(unw_addr_space_t, unw_regnum_t reg, unw_word_t* val, int write, void* arg) {
  auto* c = static_cast<regs*>(arg);
  if (reg < 0 || reg > UNW_X86_64_RIP) return -UNW_EBADREG;
  if (write)
    c->r[reg] = *val;
  else
    *val = c->r[reg];
  return 0;
}

int acc_fpreg(unw_addr_space_t, unw_regnum_t, unw_fpreg_t*, int, void*) { return -UNW_EBADREG; }

int collect_image(dl_phdr_info* info, size_t, void* out) {
  auto* v = static_cast<std::vector<image_range>*>(out);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& p = info->dlpi_phdr[i];
    if (p.p_type == PT_LOAD && (p.p_flags & PF_R) && !(p.p_flags & PF_W))
      v->push_back({info->dlpi_addr + p.p_vaddr, info->dlpi_addr + p.p_vaddr + p.p_memsz});
  }
  return 0;
}

// unwinder_ready() loads libunwind once and refreshes the image list; false
// when libunwind is not installed (dumps then print no stacks, and say so).
bool unwinder_ready() noexcept {
  static std::once_flag once;
  std::call_once(once, [] {
    unwinder& u = U();
    void* h = ::dlopen("libunwind-x86_64.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    auto create = reinterpret_cast<unw_addr_space_t (*)(unw_accessors_t*, int)>(
        ::dlsym(h, "_Ux86_64_create_addr_space"));
    auto get_acc = reinterpret_cast<unw_accessors_t* (*)(unw_addr_space_t)>(
        ::dlsym(h, "_Ux86_64_get_accessors"));
    auto* local = static_cast<unw_addr_space_t*>(::dlsym(h, "_Ux86_64_local_addr_space"));
    auto caching = reinterpret_cast<int (*)(unw_addr_space_t, unw_caching_policy_t)>(
        ::dlsym(h, "_Ux86_64_set_caching_policy"));
    u.init_remote = reinterpret_cast<int (*)(unw_cursor_t*, unw_addr_space_t, void*)>(
        ::dlsym(h, "_Ux86_64_init_remote"));
    u.step = reinterpret_cast<int (*)(unw_cursor_t*)>(::dlsym(h, "_Ux86_64_step"));
    u.get_reg = reinterpret_cast<int (*)(unw_cursor_t*, int, unw_word_t*)>(
        ::dlsym(h, "_Ux86_64_get_reg"));
    if (!create || !get_acc || !local || !caching || !u.init_remote || !u.step || !u.get_reg) return;
    // The local address space's lookup of unwind info (dl_iterate_phdr over
    // our own images) with our memory and register accessors.
    unw_accessors_t acc = *get_acc(*local);
    acc.access_mem = &acc_mem;
    acc.access_reg = &acc_reg;
    acc.access_fpreg = &acc_fpreg;
    acc.resume = nullptr;
    acc.get_proc_name = nullptr;
    u.as = create(&acc, 0);
    if (!u.as) return;
    caching(u.as, UNW_CACHE_NONE);  // the signal handler unwinds too
    u.ok = true;
  });
  unwinder& u = U();
  if (u.ok) {
    std::vector<image_range> v;
    ::dl_iterate_phdr(&collect_image, &v);
    u.images.swap(v);
  }
  return u.ok;
}

// unwind() walks from r; returns the number of PCs stored.
int unwind(regs& r, uintptr_t* pcs, int max) noexcept {
  unwinder& u = U();
  if (!u.ok) return 0;
  unw_cursor_t cur;
  if (u.init_remote(&cur, u.as, &r) < 0) return 0;
  int n = 0;
  while (n < max) {
    unw_word_t ip = 0;
    if (u.get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0) break;
    pcs[n++] = ip;
    if (u.step(&cur) <= 0) break;
  }
  return n;
}

// A parked coroutine's registers, from its saved Boost.Context frame.
regs fiber_regs(const fiber* f, const char* ctx) noexcept {
  regs r;
  auto word = [&](unsigned off) {
    unw_word_t v;
    read_word(reinterpret_cast<uintptr_t>(ctx + off), &v);
    return v;
  };
  r.r[UNW_X86_64_R12] = word(0x10);
  r.r[UNW_X86_64_R13] = word(0x18);
  r.r[UNW_X86_64_R14] = word(0x20);
  r.r[UNW_X86_64_R15] = word(0x28);
  r.r[UNW_X86_64_RBX] = word(0x30);
  r.r[UNW_X86_64_RBP] = word(0x38);
  r.r[UNW_X86_64_RIP] = word(0x40);
  r.r[UNW_X86_64_RSP] = reinterpret_cast<unw_word_t>(ctx + 0x48);
  r.lo = f->stack_lo;
  r.hi = f->stack_hi;
  return r;
}

// ---- sampling a thread's own stack (signal) ----------------------------------

struct sample_slot {
  std::atomic<long> tid{0};       // the thread asked to answer; 0: none
  std::atomic<uint32_t> done{0};  // futex: 1 once answered
  int n = 0;
  uintptr_t pcs[max_frames];
  const fiber* current = nullptr;  // what the thread ran when it answered
  uint64_t id = 0;
  site where;
};
sample_slot g_sample;
std::mutex g_sample_mu;
std::atomic<bool> g_sampling{false};  // the handler is installed
constexpr int sample_signal = SIGURG;

regs thread_regs(const uint64_t* fr) noexcept;

void on_sample(int, siginfo_t*, void* uctx) {
  const int saved = errno;
  if (g_sample.tid.load(std::memory_order_acquire) == gettid_()) {
#ifdef CPRIME_TSAN_FIBERS
    // TSan runs a handler late (at the thread's next interceptor) with the
    // context saved when the signal arrived, whose stack is gone by then:
    // unwind from this frame instead (TSan's delivery frames are plumbing).
    (void)uctx;
    uint64_t fr[8];
    cprime_detail_capture_frame(fr);
    regs r = thread_regs(fr);
#else
    auto* uc = static_cast<ucontext_t*>(uctx);
    const greg_t* g = uc->uc_mcontext.gregs;
    regs r;
    r.r[UNW_X86_64_RAX] = g[REG_RAX];
    r.r[UNW_X86_64_RDX] = g[REG_RDX];
    r.r[UNW_X86_64_RCX] = g[REG_RCX];
    r.r[UNW_X86_64_RBX] = g[REG_RBX];
    r.r[UNW_X86_64_RSI] = g[REG_RSI];
    r.r[UNW_X86_64_RDI] = g[REG_RDI];
    r.r[UNW_X86_64_RBP] = g[REG_RBP];
    r.r[UNW_X86_64_RSP] = g[REG_RSP];
    r.r[UNW_X86_64_R8] = g[REG_R8];
    r.r[UNW_X86_64_R9] = g[REG_R9];
    r.r[UNW_X86_64_R10] = g[REG_R10];
    r.r[UNW_X86_64_R11] = g[REG_R11];
    r.r[UNW_X86_64_R12] = g[REG_R12];
    r.r[UNW_X86_64_R13] = g[REG_R13];
    r.r[UNW_X86_64_R14] = g[REG_R14];
    r.r[UNW_X86_64_R15] = g[REG_R15];
    r.r[UNW_X86_64_RIP] = g[REG_RIP];
#endif
    fiber* f = current_fiber();
    if (f) {
      r.lo = f->stack_lo;
      r.hi = f->stack_hi;
      g_sample.id = f->id;
      g_sample.where = f->where;
    }
    g_sample.current = f;
    g_sample.n = unwind(r, g_sample.pcs, max_frames);
    g_sample.done.store(1, std::memory_order_release);
    futex_wake(&g_sample.done, 1);
  }
  errno = saved;
}

struct sample {
  bool ok = false;
  std::vector<uintptr_t> pcs;
  const fiber* current = nullptr;
  uint64_t id = 0;
  site where;
};

// sample_thread(tid) asks thread tid to unwind itself; waits at most 500 ms
// (a thread inside a long system call with the signal blocked, or under
// TSan's deferred delivery, may not answer).
sample sample_thread(long tid) noexcept {
  sample s;
  if (!g_sampling.load(std::memory_order_acquire) || tid <= 0) return s;
  std::lock_guard g(g_sample_mu);
  g_sample.done.store(0, std::memory_order_relaxed);
  g_sample.n = 0;
  g_sample.current = nullptr;
  g_sample.tid.store(tid, std::memory_order_release);
  if (::syscall(SYS_tgkill, ::getpid(), tid, sample_signal) != 0) {
    g_sample.tid.store(0, std::memory_order_release);
    return s;
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (g_sample.done.load(std::memory_order_acquire) == 0 &&
         std::chrono::steady_clock::now() < until)
    futex_wait_until(&g_sample.done, 0, until);
  g_sample.tid.store(0, std::memory_order_release);
  if (g_sample.done.load(std::memory_order_acquire) == 0) return s;
  s.ok = true;
  s.pcs.assign(g_sample.pcs, g_sample.pcs + g_sample.n);
  s.current = g_sample.current;
  s.id = g_sample.id;
  s.where = g_sample.where;
  return s;
}

// ---- symbolization -----------------------------------------------------------

struct symbol {
  std::string name, file;
  std::size_t line = 0;
};


// plumbing(): frames a reader of a dump does not need at either end of a
// stack: the runtime's (namespace cprime: the operation is already named by
// the wait kind), the switch machinery, the standard library's invoke/apply
// layers that run a closure, and the C library's entry and syscall frames.
// Frames between the first and last frame of the program's own stay.
bool plumbing(const symbol& s) noexcept {
  // The qualified name before the parameter list; parentheses that are not
  // one are taken out first.
  std::string name = s.name;
  const std::pair<const char*, const char*> spell[] = {{"(anonymous namespace)", "{anon}"},
                                                       {"decltype(auto)", "auto"}};
  for (const auto& [from, to] : spell)
    for (std::size_t at; (at = name.find(from)) != std::string::npos;)
      name.replace(at, std::strlen(from), to);
  const std::string head = name.substr(0, name.find('('));
  auto starts = [&](const char* p) { return head.rfind(p, 0) == 0; };
  auto has = [&](const char* p) { return head.find(p) != std::string::npos; };
  if (head.empty() || starts("cprime::") || starts("std::") || starts("_ZN6cprime") ||
      starts("_ZNK6cprime") || starts("_ZSt") || starts("_ZNSt") || starts("_ZNKSt") || starts("__gnu_cxx::") || has(" cprime::") ||
      has(" std::") || has("jump_fcontext") || has("make_fcontext") || has("boost::context::"))
    return true;
  for (const char* p : {"__tsan", "__sanitizer", "__interceptor", "__asan", "__lsan", "__ubsan"})
    if (starts(p)) return true;  // a sanitizer's runtime (its signal delivery)
  static const char* const libc[] = {"syscall", "_start", "__libc_start_main",
                                     "__libc_start_call_main", "start_thread", "clone3", "clone",
                                     "__futex_abstimed_wait_common", "__GI___futex_abstimed_wait_cancelable64"};
  for (const char* l : libc)
    if (head == l) return true;
  return s.file.rfind("../sysdeps/", 0) == 0;
}

class symbolizer {
 public:
  const symbol& at(uintptr_t pc) {
    auto it = cache_.find(pc);
    if (it != cache_.end()) return it->second;
    boost::stacktrace::frame fr(reinterpret_cast<const void*>(pc));
    symbol s{fr.name(), fr.source_file(), fr.source_line()};
    return cache_.emplace(pc, std::move(s)).first->second;
  }

 private:
  std::unordered_map<uintptr_t, symbol> cache_;
};

std::string fmt_duration(int64_t ms) {
  char b[64];
  if (ms < 0) ms = 0;  // since is from the coarse clock
  if (ms < 1000)
    std::snprintf(b, sizeof b, "%lld ms", static_cast<long long>(ms));
  else if (ms < 120000)
    std::snprintf(b, sizeof b, "%.1f s", ms / 1000.0);
  else
    std::snprintf(b, sizeof b, "%lld min", static_cast<long long>(ms / 60000));
  return b;
}

// print_stack() prints pcs (return addresses but the first when
// first_exact), without the plumbing at either end.
void print_stack(FILE* out, symbolizer& sym, const std::vector<uintptr_t>& pcs, bool first_exact) {
  std::vector<const symbol*> frames;
  for (std::size_t i = 0; i < pcs.size(); ++i)
    frames.push_back(&sym.at((i == 0 && first_exact) ? pcs[i] : pcs[i] - 1));
  std::size_t b = 0, e = frames.size();
  while (b < e && plumbing(*frames[b])) ++b;
  while (e > b && plumbing(*frames[e - 1])) --e;
  if (b == e) {
    std::fputs("    (no frames outside the runtime)\n", out);
    return;
  }
  for (std::size_t i = b; i < e; ++i) {
    const symbol& s = *frames[i];
    std::fprintf(out, "    %s\n", s.name.empty() ? "??" : s.name.c_str());
    if (!s.file.empty())
      std::fprintf(out, "        %s:%zu\n", s.file.c_str(), s.line);
  }
}

const char* site_file(const site& s) noexcept { return s.file ? s.file : "<unknown>"; }

struct thread_view {
  long tid;
  const char* reason;
  int64_t since;
  uint64_t frame[8];
};

// A parked thread's registers, from capture_frame() in park_thread().
regs thread_regs(const uint64_t* fr) noexcept {
  regs r;
  r.r[UNW_X86_64_R12] = fr[0];
  r.r[UNW_X86_64_R13] = fr[1];
  r.r[UNW_X86_64_R14] = fr[2];
  r.r[UNW_X86_64_R15] = fr[3];
  r.r[UNW_X86_64_RBX] = fr[4];
  r.r[UNW_X86_64_RBP] = fr[5];
  r.r[UNW_X86_64_RIP] = fr[6];
  r.r[UNW_X86_64_RSP] = fr[7];
  return r;  // no direct-read range: every read checked (the thread may leave)
}

struct worker_sample {
  const fiber* f;
  unsigned index;
  sample s;
};

void dump_runtime(runtime_impl* rt, FILE* out, symbolizer& sym, int64_t now, bool unwind_ok) {
  std::fprintf(out, "runtime %s: %zu workers\n\n", rt->name_.c_str(), rt->nworkers());
  // Running coroutines: each busy worker unwinds itself.
  std::vector<worker_sample> running;
  if (unwind_ok)
    for (std::size_t i = 0; i < rt->nworkers(); ++i) {
      worker* w = rt->worker_at(i);
      if (rt->worker_idle(w)) continue;
      sample s = sample_thread(w->tid.load(std::memory_order_relaxed));
      if (s.ok && s.current) running.push_back({s.current, w->index, std::move(s)});
    }
  rt->for_each_pool([&](stack_pool& pool) {
  std::size_t ss = pool.slot_size();
  pool.for_each_slot([&](char* slot) {
    fiber* f = fiber_in_slot(slot, ss);
    fiber_state st = f->state.load(std::memory_order_acquire);
    if (st == fiber_state::free) return;
    const char* why = f->reason.load(std::memory_order_relaxed);
    switch (st) {
      case fiber_state::parked:
        std::fprintf(out, "coroutine %llu [%s, %s]:\n", static_cast<unsigned long long>(f->id),
                     why ? why : "parked", fmt_duration(now - f->since).c_str());
        if (unwind_ok) {
          regs r = fiber_regs(f, static_cast<const char*>(f->ctx));
          uintptr_t pcs[max_frames];
          int n = unwind(r, pcs, max_frames);
          // Resumed meanwhile: the walk may have read a stack in motion.
          if (f->state.load(std::memory_order_acquire) == fiber_state::parked)
            print_stack(out, sym, std::vector<uintptr_t>(pcs, pcs + n), false);
          else
            std::fputs("    (resumed during the dump)\n", out);
        }
        break;
      case fiber_state::running: {
        const worker_sample* ws = nullptr;
        for (const worker_sample& x : running)
          if (x.f == f && x.s.id == f->id) ws = &x;
        if (ws) {
          std::fprintf(out, "coroutine %llu [running on worker %u]:\n",
                       static_cast<unsigned long long>(f->id), ws->index);
          print_stack(out, sym, ws->s.pcs, true);
        } else {
          std::fprintf(out, "coroutine %llu [running]:\n", static_cast<unsigned long long>(f->id));
        }
        break;
      }
      case fiber_state::runnable:
        std::fprintf(out, "coroutine %llu [runnable]:\n", static_cast<unsigned long long>(f->id));
        break;
      default:
        std::fprintf(out, "coroutine %llu [exiting]:\n", static_cast<unsigned long long>(f->id));
        break;
    }
    std::fprintf(out, "  spawned at %s:%u\n\n", site_file(f->where), f->where.line);
  });
  });
}

// dump_mu serializes dumps and hog reports. Program exit waits (a while)
// for one in progress: the first symbolization reads the program's debug
// info and can take a few hundred milliseconds, and a report cut short by
// exit() is no report.
std::timed_mutex& dump_mu() {
  static std::timed_mutex* m = [] {
    auto* mu = new std::timed_mutex;
    std::atexit([] {
      if (dump_mu().try_lock_for(std::chrono::seconds(5))) dump_mu().unlock();
    });
    return mu;
  }();
  return *m;
}

}  // namespace

void dump_to_stderr(dump_why why) noexcept {
  std::lock_guard serial(dump_mu());
  FILE* out = stderr;
  const int64_t now = steady_ms();
  cprime_debug_now_ms.store(now, std::memory_order_relaxed);
  switch (why) {
    case dump_why::api: std::fputs("cprime: dump of all coroutines\n\n", out); break;
    case dump_why::sigquit: std::fputs("cprime: SIGQUIT: dump of all coroutines\n\n", out); break;
    case dump_why::deadlock: std::fputs("cprime: all coroutines are asleep — deadlock\n\n", out); break;
  }
  const bool unwind_ok = unwinder_ready();
  if (!unwind_ok)
    std::fputs("(no stacks: libunwind-x86_64.so.8 could not be loaded; install libunwind8)\n\n", out);
  symbolizer sym;
  struct ctx_t {
    FILE* out;
    symbolizer* sym;
    int64_t now;
    bool unwind_ok;
  } c{out, &sym, now, unwind_ok};
  for_each_runtime(
      [](runtime_impl* rt, void* a) {
        auto* c = static_cast<ctx_t*>(a);
        dump_runtime(rt, c->out, *c->sym, c->now, c->unwind_ok);
      },
      &c);
  std::vector<thread_view> threads;
  for_each_parked_thread(
      [](thread_parker* t, void* a) {
        thread_view v{t->tid, t->reason, t->since, {}};
        std::memcpy(v.frame, t->frame, sizeof v.frame);
        static_cast<std::vector<thread_view>*>(a)->push_back(v);
      },
      &threads);
  bool main_seen = false;
  for (const thread_view& t : threads) {
    main_seen |= t.tid == ::getpid();
    std::fprintf(out, "thread %ld%s [%s, %s]:\n", t.tid, t.tid == ::getpid() ? " (main)" : "",
                 t.reason ? t.reason : "park", fmt_duration(now - t.since).c_str());
    if (unwind_ok) {
      regs r = thread_regs(t.frame);
      uintptr_t pcs[max_frames];
      int n = unwind(r, pcs, max_frames);
      print_stack(out, sym, std::vector<uintptr_t>(pcs, pcs + n), false);
    }
    std::fputc('\n', out);
  }
  // main outside the runtime (computing, or blocked in plain code): it
  // unwinds itself when asked.
  if (!main_seen && why != dump_why::deadlock) {
    sample s = sample_thread(::getpid());
    std::fprintf(out, "thread %ld (main) [%s]:\n", static_cast<long>(::getpid()),
                 gettid_() == ::getpid() ? "running: dumping" : "not in the runtime");
    if (s.ok)
      print_stack(out, sym, s.pcs, true);
    else
      std::fputs("    (stack not available)\n", out);
    std::fputc('\n', out);
  }
  std::fflush(out);
}

void check_deadlock_and_exit() noexcept {
  dump_to_stderr(dump_why::deadlock);
  std::fflush(stderr);
  std::exit(2);
}

// ---- SIGQUIT -----------------------------------------------------------------

namespace {
enum class quit_policy { exit, dump, off };
quit_policy g_quit = quit_policy::exit;

quit_policy read_quit_policy() noexcept {
  const char* e = std::getenv("CPRIME_SIGQUIT");
  if (!e || !*e || std::strcmp(e, "exit") == 0) return quit_policy::exit;
  if (std::strcmp(e, "dump") == 0) return quit_policy::dump;
  if (std::strcmp(e, "off") == 0) return quit_policy::off;
  std::fprintf(stderr, "cprime: CPRIME_SIGQUIT=%s: expected exit, dump or off; using exit\n", e);
  return quit_policy::exit;
}
}  // namespace

void install_signal_handlers(void (*sigquit_handler)(int)) noexcept {
  g_quit = read_quit_policy();
  struct sigaction old {};
  // SIGQUIT: ours unless the program installed a handler of its own. An
  // inherited SIG_IGN (a background job of a non-interactive shell) is
  // overridden, as Go does: the dump is what SIGQUIT is for.
  if (g_quit != quit_policy::off && ::sigaction(SIGQUIT, nullptr, &old) == 0 &&
      (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN) && !(old.sa_flags & SA_SIGINFO)) {
    struct sigaction sa {};
    sa.sa_handler = sigquit_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGQUIT, &sa, nullptr);
  }
  // The sampling signal: only if nobody uses it (its default is to ignore it).
  if (::sigaction(sample_signal, nullptr, &old) == 0 &&
      (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN) && !(old.sa_flags & SA_SIGINFO)) {
    struct sigaction sa {};
    sa.sa_sigaction = &on_sample;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_SIGINFO;
    if (::sigaction(sample_signal, &sa, nullptr) == 0)
      g_sampling.store(true, std::memory_order_release);
  }
}

void on_sigquit_dump() noexcept {
  dump_to_stderr(dump_why::sigquit);
  if (g_quit == quit_policy::exit) {
    std::fflush(stderr);
    std::_Exit(2);
  }
}

// ---- the hog watch -----------------------------------------------------------

namespace {

struct rt_id_hash {
  std::size_t operator()(const std::pair<const void*, uint64_t>& k) const noexcept {
    return std::hash<uint64_t>()(k.second) ^ std::hash<const void*>()(k.first);
  }
};
// The coroutines reported as hogs (under dump_mu): a few, in a sane program.
std::unordered_set<std::pair<const void*, uint64_t>, rt_id_hash>& hog_reported() {
  static auto* s = new std::unordered_set<std::pair<const void*, uint64_t>, rt_id_hash>;
  return *s;
}

constexpr const char* hog_advice =
    "  It is blocking that worker: the coroutines queued behind it wait. A blocking\n"
    "  call (file or socket I/O, sleep, a lock) belongs in `spawn blocking`; a long\n"
    "  loop should call cprime::yield_now() now and then.\n";

std::atomic<bool> g_hog_reporting{false};  // a reporter thread is at work

// hog_report() runs on a short-lived thread of its own: sampling waits for
// the worker's answer (up to 500 ms) and the first symbolization reads the
// program's debug info, and the monitor, which also fires timers and runs
// the retake ticks, must not wait for either. It touches no runtime memory:
// the coroutine's identity comes from the worker itself (its signal handler).
void hog_report(std::string rt_name, unsigned index, long tid, int64_t held_ms,
                const void* rt_key) noexcept {
  {
    std::lock_guard serial(dump_mu());
    unwinder_ready();  // without libunwind: the report, without a stack
    sample s = sample_thread(tid);
    if (s.ok && !s.current) {
      // The worker is between coroutines now: the hog has suspended.
    } else if (s.ok) {
      // Once per coroutine.
      if (hog_reported().insert({rt_key, s.id}).second) {
        symbolizer sym;
        std::fprintf(stderr,
                     "cprime: coroutine %llu has kept worker %u of runtime %s for %s without "
                     "suspending\n%s  spawned at %s:%u\n",
                     static_cast<unsigned long long>(s.id), index, rt_name.c_str(),
                     fmt_duration(held_ms).c_str(), hog_advice, site_file(s.where), s.where.line);
        print_stack(stderr, sym, s.pcs, true);
      }
    } else {
      std::fprintf(stderr,
                   "cprime: a coroutine has kept worker %u of runtime %s for %s without "
                   "suspending\n%s  (which one, and its stack: not available, the worker did not "
                   "answer the sampling signal)\n",
                   index, rt_name.c_str(), fmt_duration(held_ms).c_str(), hog_advice);
    }
    std::fflush(stderr);
  }
  g_hog_reporting.store(false, std::memory_order_release);
}

void hog_check(runtime_impl* rt, int64_t now) noexcept {
  if (rt->hog_ms_ <= 0) return;
  for (std::size_t i = 0; i < rt->nworkers(); ++i) {
    worker* w = rt->worker_at(i);
    const uint64_t r = w->runs.load(std::memory_order_relaxed);
    if (r != w->hog_runs || w->hog_since == 0) {
      w->hog_runs = r;
      w->hog_since = now;
      w->hog_checked = false;
      continue;
    }
    if (w->hog_checked || now - w->hog_since < rt->hog_ms_) continue;
    // Not a coroutine (the scheduler context, stealing), or idle: no hog.
    // Only the pointer's value is read: the fiber may be gone by now.
    if (!w->running.load(std::memory_order_relaxed) || rt->worker_idle(w)) continue;
    if (g_hog_reporting.exchange(true, std::memory_order_acq_rel)) continue;  // next tick
    w->hog_checked = true;  // once per stretch without a switch
    try {
      std::thread(hog_report, rt->name_, w->index, w->tid.load(std::memory_order_relaxed),
                  now - w->hog_since, static_cast<const void*>(rt))
          .detach();
    } catch (...) {
      g_hog_reporting.store(false, std::memory_order_release);  // no thread: no report
    }
  }
}

}  // namespace

void monitor_tick() noexcept {
  const int64_t now = steady_ms();
  cprime_debug_now_ms.store(now, std::memory_order_relaxed);
  for_each_runtime([](runtime_impl* rt, void* a) { hog_check(rt, *static_cast<int64_t*>(a)); },
                   const_cast<int64_t*>(&now));
}

}  // namespace cprime::detail

namespace cprime {

void dump() noexcept { detail::dump_to_stderr(detail::dump_why::api); }

}  // namespace cprime
