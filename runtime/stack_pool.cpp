// runtime/stack_pool.cpp — coroutine stacks: big lazily committed slabs.
//
// Layout. A slab is one mmap(MAP_NORESERVE) of a leading PROT_NONE page and
// `count` slots of slot_size bytes each; nothing is committed until touched.
// A slot, from low to high addresses:
//
//   [zone 64 KiB][ stack, grows down ... ][closure][fiber][top zone 256 B]
//                 <------ stack_size ------><------ top page ------------>
//
// The fiber control block, the closure and the first frames share the slot's
// top page, so a parked coroutine that stays shallow costs one resident page.
// The default stack (1 MiB) gives a stride of 1092 KiB: one page-table page
// (2 MiB of address) serves about two stacks, so a shallow parked coroutine
// costs its top page plus ~2 KiB of page table.
//
// The zone. Every slot's zone faults where the kernel allows it. The first
// guarded_budget() slots of the process (vm.max_map_count / 8, whole slabs)
// get a PROT_NONE zone: it splits the slab's mapping (two more mappings per
// slot), which vm.max_map_count (65530) allows only for some slots. Past
// them, since Linux 6.13, madvise(MADV_GUARD_INSTALL) puts guard markers in
// the page tables of the existing mapping without splitting it: no mapping
// and no memory (the markers sit beside the neighbour's resident top page,
// in a page-table page that page needs anyway). PROT_NONE comes first
// because gdb's gcore skips unreadable mappings but stops copying a readable
// one at the first page it cannot read: a program with fewer live
// coroutines than the budget keeps complete core files. An overflow, or a
// frame of up to 64 KiB that jumps past the stack's end, faults in either
// kind of zone and overflow.cpp reports it before anything below the zone is
// written. Guard markers survive MADV_DONTNEED, and give_back() never
// touches the zone.
//
// Past the budget on older kernels (madvise says EINVAL), the zone is an
// untouched read-write gap, and:
//   - slot i's zone sits on the top zone of slot i-1, whose two highest
//     words hold a canary (one cache line; that page is resident anyway);
//   - every switch away from a coroutine checks its saved stack pointer
//     against the stack's end and its canary (fiber.cpp, check_stack), and a
//     dead coroutine's zone is probed at exit (zone_written): an overflow is
//     reported at the next switch or at exit. Until then it writes the gap,
//     which belongs to nobody; one past the gap writes the neighbour's top
//     page and is caught by the canary — after the damage.
// Slot 0 of every slab sits on the slab's leading PROT_NONE page.
//
// Giving memory back. A slot freed by an exited coroutine keeps its top
// keep_bytes resident (the next coroutine uses them at once); the pages below
// are handed back with madvise(MADV_DONTNEED) when the coroutine went deeper:
// it was seen there at a switch (fiber::deep) or the word just below the line
// reads non-zero (frames hold return addresses and saved registers). A probe
// of a never-touched page maps the shared zero page: no memory, one fault.
// Missed: a coroutine that crossed the line without writing that word (a
// big buffer it only partly used, with deeper calls below) and never
// switched while deep; its slot keeps those pages until a later user is
// seen deep.
//
// Invariants (guard: mu_): slabs_ only grows; free_ holds each free slot once;
// a slot is in at most one of free_, a worker's stack_cache, or in use. A
// slot in use is never madvise'd: other coroutines may hold pointers into a
// parked coroutine's stack.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "registry.hpp"
#include "runtime_impl.hpp"

#ifdef CPRIME_ASAN_FIBERS
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#endif

namespace cprime::detail {
namespace {

constexpr std::size_t page = 4096;
constexpr std::size_t slab_bytes_target = 256u << 20;  // address space per slab
constexpr std::size_t cache_max = 64, cache_batch = 32;
constexpr uint64_t canary_value = 0xC0FFEE5AFE57ACCull;
constexpr int madv_guard_install = 102;  // MADV_GUARD_INSTALL (Linux 6.13; older headers lack it)
std::atomic<std::size_t> g_guarded_slots{0};
std::atomic<bool> g_regions_off{false};  // set_guard_regions_for_testing(false)

std::size_t round_pages(std::size_t b) { return (b + page - 1) / page * page; }

// probe() reads a word of a dead stack. Not instrumented: the frames that
// wrote it are gone, and sanitizers may still mark their bytes as poisoned.
__attribute__((no_sanitize("address", "thread"))) uint64_t probe(const char* p) noexcept {
  return *reinterpret_cast<const volatile uint64_t*>(p);
}

}  // namespace

#ifdef CPRIME_ASAN_FIBERS
// Coroutine stacks are roots for LeakSanitizer, like thread stacks: what they
// point to is live. LSan reads every readable byte of a root region, and a
// guard region sits inside a readable mapping, so each slot is registered
// without its zone (the faulting part).
void stack_pool::register_roots(const slab& s) noexcept {
  if (!s.guarded || s.budgeted) {
    __lsan_register_root_region(s.base, s.count * slot_size_);  // PROT_NONE is skipped
    return;
  }
  for (std::size_t i = 0; i < s.count; ++i)
    __lsan_register_root_region(s.base + i * slot_size_ + zone_bytes, slot_size_ - zone_bytes);
}

void stack_pool::unregister_roots(const slab& s) noexcept {
  if (!s.guarded || s.budgeted) {
    __lsan_unregister_root_region(s.base, s.count * slot_size_);
    return;
  }
  for (std::size_t i = 0; i < s.count; ++i)
    __lsan_unregister_root_region(s.base + i * slot_size_ + zone_bytes, slot_size_ - zone_bytes);
}
#endif

std::size_t stack_pool::guarded_budget() noexcept {
  static const std::size_t budget = [] {
    std::size_t maps = 65530;
    std::ifstream f("/proc/sys/vm/max_map_count");
    if (!(f >> maps) || maps < 1024) maps = 65530;
    return maps / 8;
  }();
  return budget;
}

bool stack_pool::guard_regions() noexcept {
  static const bool supported = [] {
    void* m = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return false;
    bool ok = ::madvise(m, page, madv_guard_install) == 0;  // EINVAL before 6.13
    ::munmap(m, 2 * page);
    return ok;
  }();
  return supported && !g_regions_off.load(std::memory_order_relaxed);
}

void stack_pool::set_guard_regions_for_testing(bool on) noexcept {
  g_regions_off.store(!on, std::memory_order_relaxed);
}

// An odd number of pages per slot: with a power-of-two stride every control
// block would fall into the same cache sets and TLB set, and walking many
// coroutines would thrash them.
stack_pool::stack_pool(std::size_t stack_size, unsigned cls)
    : stack_size_(round_pages(stack_size)),
      slot_size_(((zone_bytes + stack_size_ + page) / page | 1) * page),
      cls_(cls) {}

stack_pool::~stack_pool() {
  for (auto& s : slabs_) {
    if (s.budgeted) g_guarded_slots.fetch_sub(s.count, std::memory_order_relaxed);
#ifdef CPRIME_ASAN_FIBERS
    unregister_roots(s);
#endif
    ::munmap(s.map, s.bytes);
  }
}

void stack_pool::grow_locked() {
  std::size_t count = slab_bytes_target / slot_size_;
  if (count < 4) count = 4;
  std::size_t bytes = page + count * slot_size_;
  void* m = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED)
    fatal("cannot reserve %zu bytes for coroutine stacks (%s)", bytes, std::strerror(errno));
  char* map = static_cast<char*>(m);
  ::madvise(map, bytes, MADV_NOHUGEPAGE);  // a huge page would commit 2 MiB per touched stack
  slab s{map, bytes, map + page, count, false, false};
  // PROT_NONE zones while the process-wide budget lasts: gdb's gcore skips
  // unreadable mappings but gives up on the rest of a readable one at the
  // first page it cannot read, so a guard region costs a core file the
  // stacks above it. Past the budget, guard regions (each slot's zone when
  // the slot is first handed out: tag_unarmed); without them, the gap and
  // canary.
  ::mprotect(map, page, PROT_NONE);
  std::size_t before = g_guarded_slots.fetch_add(count, std::memory_order_relaxed);
  if (before + count <= guarded_budget()) {
    s.guarded = s.budgeted = true;
    for (std::size_t i = 0; i < count; ++i) {
      if (::mprotect(s.base + i * slot_size_, zone_bytes, PROT_NONE) != 0) {
        // Out of mappings (the program uses many): a slab is guarded as a
        // whole or not at all.
        for (std::size_t j = 0; j < i; ++j)
          ::mprotect(s.base + j * slot_size_, zone_bytes, PROT_READ | PROT_WRITE);
        s.guarded = s.budgeted = false;
        break;
      }
    }
  }
  if (!s.budgeted) g_guarded_slots.fetch_sub(count, std::memory_order_relaxed);
  bool regions = !s.guarded && guard_regions();
  if (regions) s.guarded = true;
#ifdef CPRIME_ASAN_FIBERS
  register_roots(s);
#endif
  slabs_.push_back(s);
  total_ += count;
  // Hand out low addresses first: slot i's canary then lands in the already
  // resident top page of slot i-1. Slots are page aligned; the low bits of a
  // free-list entry carry the slot's kind and size class (see tag_*), so
  // layout() needs no lock.
  for (std::size_t i = count; i-- > 0;) {
    uintptr_t e = reinterpret_cast<uintptr_t>(s.base + i * slot_size_) | (uintptr_t(cls_) << cls_shift);
    if (s.guarded) e |= tag_guarded;
    if (regions) e |= tag_unarmed;
    if (i == 0) e |= tag_first;
    free_.push_back(reinterpret_cast<char*>(e));
  }
}

char* stack_pool::alloc(worker* w) {
  char* slot;
  if (w) {
    if (w->stack_cache.empty()) {
      std::lock_guard g(mu_);
      if (free_.empty()) grow_locked();
      // A slab of a large stack size may hold fewer slots than a batch.
      std::size_t n = std::min(cache_batch, free_.size());
      // free_'s back is its lowest address; it stays at the cache's back.
      w->stack_cache.insert(w->stack_cache.end(), free_.end() - n, free_.end());
      free_.resize(free_.size() - n);
    }
    slot = w->stack_cache.back();
    w->stack_cache.pop_back();
  } else {
    std::lock_guard g(mu_);
    if (free_.empty()) grow_locked();
    slot = free_.back();
    free_.pop_back();
  }
  if (reinterpret_cast<uintptr_t>(slot) & tag_unarmed) [[unlikely]] {
    // Once per slot: guard markers stay through give-backs and reuse. If the
    // kernel cannot allocate the page table, the slot falls back to the gap
    // and canary of unguarded slots.
    uintptr_t e = reinterpret_cast<uintptr_t>(slot) & ~tag_unarmed;
    if (::madvise(untag(slot), zone_bytes, madv_guard_install) != 0) e &= ~tag_guarded;
    slot = reinterpret_cast<char*>(e);
  }
#ifdef CPRIME_ASAN_FIBERS
  // Frames that ended without returning (an exit by a switch) may leave
  // poisoned redzones behind. Only the top is unpoisoned here: unpoisoning a
  // whole 1 MiB stack commits 128 KiB of shadow per spawn. give_back()
  // unpoisons the rest of a stack it finds deep.
  char* top = untag(slot) + slot_size_;
  __asan_unpoison_memory_region(top - keep_bytes - page, keep_bytes + page);
#endif
  return slot;
}

void stack_pool::free(worker* w, char* slot) noexcept {
  if (w) {
    w->stack_cache.push_back(slot);
    if (w->stack_cache.size() <= cache_max) return;
    std::lock_guard g(mu_);
    // Return the oldest (front) entries; keep the hot ones.
    free_.insert(free_.end(), w->stack_cache.begin(), w->stack_cache.begin() + cache_batch);
    w->stack_cache.erase(w->stack_cache.begin(), w->stack_cache.begin() + cache_batch);
    return;
  }
  std::lock_guard g(mu_);
  free_.push_back(slot);
}

void stack_pool::flush(worker* w) noexcept {
  std::lock_guard g(mu_);
  free_.insert(free_.end(), w->stack_cache.begin(), w->stack_cache.end());
  w->stack_cache.clear();
}

void stack_pool::layout(char* tagged, char** lo, char** hi, uint64_t** canary) const noexcept {
  uintptr_t e = reinterpret_cast<uintptr_t>(tagged);
  bool guarded = e & tag_guarded, first = e & tag_first;
  char* slot = untag(tagged);
  *lo = slot + zone_bytes;
  *hi = slot + slot_size_ - top_reserve;
  *canary = (guarded || first) ? nullptr : reinterpret_cast<uint64_t*>(slot - top_reserve);
}

bool stack_pool::zone_written(char* tagged) const noexcept {
  if (reinterpret_cast<uintptr_t>(tagged) & tag_guarded) return false;
  char* lo = untag(tagged) + zone_bytes;
  // The highest word is what a gradual overflow writes first (a return
  // address); a frame that jumped into the zone usually writes its low end,
  // near where the zone's first page ends. Both are probed.
  return probe(lo - sizeof(uint64_t)) != 0 || probe(lo - zone_bytes / 2) != 0;
}

void stack_pool::give_back(char* tagged, bool deep) noexcept {
  char* slot = untag(tagged);
  char* lo = slot + zone_bytes;
  char* top = slot + slot_size_;
  char* line = reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(top - keep_bytes) & ~(page - 1));
  if (line <= lo) return;
  // The highest word below the line: what a frame crossing it writes first
  // (a return address, saved registers, or a buffer being filled). One probe
  // only: on a slot whose page there was never touched it costs a fault
  // (mapping the zero page), once per slot until its next give-back.
  if (!deep && probe(line - sizeof(uint64_t)) == 0) return;
#ifdef CPRIME_ASAN_FIBERS
  // Unpoisoned shadow is zero: its whole pages can go back too (an eighth of
  // the stack's pages; whole pages only, the edges may cover neighbours).
  __asan_unpoison_memory_region(lo, std::size_t(line - lo));
  std::size_t scale, offset;
  __asan_get_shadow_mapping(&scale, &offset);
  uintptr_t s_lo = ((uintptr_t(lo) >> scale) + offset + page - 1) & ~(page - 1);
  uintptr_t s_hi = ((uintptr_t(line) >> scale) + offset) & ~(page - 1);
  if (s_hi > s_lo) ::madvise(reinterpret_cast<void*>(s_lo), s_hi - s_lo, MADV_DONTNEED);
#endif
#ifdef CPRIME_TSAN_FIBERS
  // TSan keeps the history of memory given back with madvise, and the next
  // coroutine on this slot would race with it (fiber_prepare maps afresh
  // only the pages still resident). A fresh mapping makes TSan forget it.
  // It would drop guard markers too, but [lo, line) holds none: the zone
  // lies below lo (stack_pool_test checks the guard after a give-back).
  if (::mmap(lo, std::size_t(line - lo), PROT_READ | PROT_WRITE,
             MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) != MAP_FAILED)
    return;
#endif
  ::madvise(lo, std::size_t(line - lo), MADV_DONTNEED);
}

std::size_t stack_pool::live_slots() noexcept {
  std::lock_guard g(mu_);
  return total_ - free_.size();
}

constexpr std::size_t canary_hi = stack_pool::top_reserve / sizeof(uint64_t) - 1;

void canary_arm(uint64_t* c) noexcept {
  c[canary_hi] = canary_value;
  c[canary_hi - 1] = canary_value;
}

bool canary_ok(const uint64_t* c) noexcept {
  return c[canary_hi] == canary_value && c[canary_hi - 1] == canary_value;
}

stack_pool& runtime_impl::pool_for(std::size_t bytes) {
  if (bytes <= stacks_.stack_size()) return stacks_;
  unsigned c = 1;
  while (c < stack_pool::max_classes && (stacks_.stack_size() << c) < bytes) ++c;
  if (c == stack_pool::max_classes)
    throw std::length_error("cprime: a coroutine stack of " + std::to_string(bytes) +
                            " bytes is larger than the largest class (" +
                            std::to_string(stacks_.stack_size() << (stack_pool::max_classes - 1)) +
                            " bytes)");
  if (stack_pool* p = big_stacks_[c].load(std::memory_order_acquire)) return *p;
  std::lock_guard g(big_stacks_mu_);
  stack_pool* p = big_stacks_[c].load(std::memory_order_relaxed);
  if (!p) {
    p = new stack_pool(stacks_.stack_size() << c, c);
    big_stacks_[c].store(p, std::memory_order_release);
  }
  return *p;
}

}  // namespace cprime::detail
