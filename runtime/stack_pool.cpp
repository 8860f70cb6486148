// runtime/stack_pool.cpp — coroutine stacks: big lazily committed slabs.
//
// Layout. A slab is one mmap(MAP_NORESERVE) of a leading PROT_NONE page and
// `count` slots of slot_size bytes each; nothing is committed until touched.
// A slot, from low to high addresses:
//
//   [guard page, guarded slabs only][ stack, grows down ...][closure][fiber][top zone 256 B]
//
// The fiber control block, the closure and the first frames share the slot's
// top page, so a parked coroutine that stays shallow costs one resident page.
//
// Overflow detection. vm.max_map_count (65530) allows no PROT_NONE page per
// stack at a million stacks (each costs two mappings), so:
//   - the first slabs, up to guarded_budget slots in the process, get a real
//     guard page at the bottom of every slot (2 mappings per slot);
//   - later slabs rely on a canary: slot i's overflow runs into the top zone
//     of slot i-1, whose two highest words (the first an overflow hits, one
//     cache line, so a check costs one line) hold a canary. That zone lies in
//     the neighbour's top page, resident anyway, so the canary costs no page.
//     Every switch away from a coroutine checks its canary and its saved stack
//     pointer; a mismatch aborts with the spawn site. An overflow is thus
//     detected late (at the next switch) and may already have corrupted the
//     neighbour's control block — the documented price of not spending
//     mappings. Slot 0 of a slab sits on the slab's leading guard page.
//
// Invariants (guard: mu_): slabs_ only grows; free_ holds each free slot once;
// a slot is in at most one of free_, a worker's stack_cache, or in use.
// Stacks are reused LIFO and never madvise'd while cached or in use: other
// coroutines may hold pointers into a parked coroutine's stack.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "rt.hpp"

#ifdef CPRIME_ASAN_FIBERS
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#endif

namespace cprime::detail {
namespace {

constexpr std::size_t page = 4096;
constexpr std::size_t slab_bytes_target = 64u << 20;   // 64 MiB of address space per slab
constexpr std::size_t guarded_budget = 4096;            // slots with real guard pages, process-wide
constexpr std::size_t cache_max = 64, cache_batch = 32;
constexpr uint64_t canary_value = 0xC0FFEE5AFE57ACCull;
std::atomic<std::size_t> g_guarded_slots{0};

}  // namespace

// An odd number of pages per slot: with a power-of-two stride every control
// block would fall into the same cache sets and TLB set, and walking many
// coroutines would thrash them.
stack_pool::stack_pool(std::size_t stack_size)
    : slot_size_(((stack_size + page - 1) / page | 1) * page) {}

stack_pool::~stack_pool() {
  for (auto& s : slabs_) {
#ifdef CPRIME_ASAN_FIBERS
    __lsan_unregister_root_region(s.base, s.count * slot_size_);
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
  ::mprotect(map, page, PROT_NONE);
  slab s{map, bytes, map + page, count, false};
#ifdef CPRIME_ASAN_FIBERS
  // Coroutine stacks are roots, like thread stacks: what they point to is live.
  __lsan_register_root_region(s.base, count * slot_size_);
#endif
  std::size_t before = g_guarded_slots.fetch_add(count, std::memory_order_relaxed);
  if (before + count <= guarded_budget) {
    s.guarded = true;
    for (std::size_t i = 0; i < count; ++i) {
      if (::mprotect(s.base + i * slot_size_, page, PROT_NONE) != 0) {
        // Out of mappings: fall back to canaries for the rest of this slab's
        // slots is not expressible per slot, so undo and use canaries for all.
        for (std::size_t j = 0; j < i; ++j)
          ::mprotect(s.base + j * slot_size_, page, PROT_READ | PROT_WRITE);
        s.guarded = false;
        break;
      }
    }
  } else {
    g_guarded_slots.fetch_sub(count, std::memory_order_relaxed);
  }
  slabs_.push_back(s);
  total_ += count;
  // Hand out low addresses first: slot i's canary then lands in the already
  // resident top page of slot i-1. Slots are page aligned; the low bits of a
  // free-list entry carry the slot's kind (see tag_*), so layout() needs no
  // lock.
  for (std::size_t i = count; i-- > 0;) {
    uintptr_t e = reinterpret_cast<uintptr_t>(s.base + i * slot_size_);
    if (s.guarded) e |= tag_guarded;
    if (i == 0) e |= tag_first;
    free_.push_back(reinterpret_cast<char*>(e));
  }
}

char* stack_pool::alloc(worker* w) {
  char* slot;
  if (w) {
    if (w->stack_cache.empty()) {
      std::lock_guard g(mu_);
      if (free_.size() < cache_batch) grow_locked();
      // free_'s back is its lowest address; it stays at the cache's back.
      std::size_t n = cache_batch;
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
#ifdef CPRIME_ASAN_FIBERS
  __asan_unpoison_memory_region(untag(slot), slot_size_);
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
  *lo = guarded ? slot + page : slot;
  *hi = slot + slot_size_ - top_reserve;
  *canary = (guarded || first) ? nullptr : reinterpret_cast<uint64_t*>(slot - top_reserve);
}

std::size_t stack_pool::live_slots() noexcept {
  std::lock_guard g(mu_);
  return total_ - free_.size();
}

std::size_t stack_pool::slab_count() noexcept {
  std::lock_guard g(mu_);
  return slabs_.size();
}

constexpr std::size_t canary_hi = stack_pool::top_reserve / sizeof(uint64_t) - 1;

void canary_arm(uint64_t* c) noexcept {
  c[canary_hi] = canary_value;
  c[canary_hi - 1] = canary_value;
}

bool canary_ok(const uint64_t* c) noexcept {
  return c[canary_hi] == canary_value && c[canary_hi - 1] == canary_value;
}

}  // namespace cprime::detail
