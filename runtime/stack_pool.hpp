// runtime/stack_pool.hpp — private: pooled coroutine stacks (stack_pool.cpp
// has the layout). Not installed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "fiber.hpp"

namespace cprime::detail {

struct worker;

// stack_pool hands out stack slots carved from large MAP_NORESERVE slabs.
// See stack_pool.cpp for the layout.
class stack_pool {
 public:
  friend struct debug_layout_access;  // dump.cpp: the debugger contract
  // stack_size: usable bytes below the slot's top page (rounded up to pages).
  // cls: the pool's size class, carried in its slots' tags (runtime_impl::pool).
  explicit stack_pool(std::size_t stack_size, unsigned cls = 0);
  ~stack_pool();
  std::size_t slot_size() const noexcept { return slot_size_; }
  std::size_t stack_size() const noexcept { return stack_size_; }
  // alloc()/free() go through the calling worker's cache when w != nullptr.
  char* alloc(worker* w);
  void free(worker* w, char* slot) noexcept;
  void flush(worker* w) noexcept;
  // Entries are tagged slot addresses (low bits: kind and size class);
  // untag() gives the base.
  // tag_unarmed: a guard-region slot whose guard is installed on its first
  // hand-out (a slab's unused slots then cost no page tables).
  static constexpr uintptr_t tag_guarded = 1, tag_first = 2, tag_unarmed = 64;
  static constexpr unsigned cls_shift = 2, max_classes = 16;
  static char* untag(char* e) noexcept {
    return reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(e) & ~uintptr_t{4095});
  }
  static unsigned cls_of(char* e) noexcept {
    return unsigned(reinterpret_cast<uintptr_t>(e) >> cls_shift) & (max_classes - 1);
  }
  // layout(slot) returns [lo, hi) of the stack proper, and the canary zone
  // (null when a guard zone protects the slot).
  void layout(char* slot, char** lo, char** hi, uint64_t** canary) const noexcept;
  // zone_written(slot): an unguarded slot's bottom zone (below lo) holds a
  // non-zero word where an overflow would first write it.
  bool zone_written(char* slot) const noexcept;
  // give_back(slot, deep): returns the pages of a dead coroutine's stack
  // below its top keep_bytes to the kernel when it was deep (deep: it was
  // seen below that line at a switch) or when the word just below the line
  // is non-zero. An exited coroutine's stack holds nothing anyone may point into.
  void give_back(char* slot, bool deep) noexcept;
  // for_each_slot(fn) visits every slot ever carved (dump, liveness).
  template <class Fn>
  void for_each_slot(Fn&& fn) {
    std::lock_guard g(mu_);
    for (auto& s : slabs_)
      for (std::size_t i = 0; i < s.count; ++i) fn(s.base + i * slot_size_);
  }
  std::size_t live_slots() noexcept;
  static constexpr std::size_t top_reserve = 256;  // neighbour canary zone at a slot's top
  static constexpr std::size_t zone_bytes = 64 << 10;  // below each stack: guard or gap
  static constexpr std::size_t keep_bytes = 32 << 10;  // a recycled stack keeps these
  // guarded_budget(): slots with a PROT_NONE zone, process-wide
  // (vm.max_map_count / 8: two mappings per guarded slot, so at most a
  // quarter of the mappings a process may have). Used only where the kernel
  // has no guard regions (guard_regions()).
  static std::size_t guarded_budget() noexcept;
  // guard_regions(): every slot's zone is a guard region (madvise
  // MADV_GUARD_INSTALL, Linux 6.13+: no mapping per guard). The kernel is
  // probed once; tests turn it off to exercise the older scheme.
  static bool guard_regions() noexcept;
  static void set_guard_regions_for_testing(bool on) noexcept;

 private:
  struct slab {
    char* map;         // mmap base (includes the leading guard page)
    std::size_t bytes;
    char* base;        // first slot
    std::size_t count;
    bool guarded;      // every slot's zone faults: a guard region or PROT_NONE
    bool budgeted;     // PROT_NONE zones, counted in guarded_budget()
  };
  void grow_locked();
  void register_roots(const slab& s) noexcept;    // LeakSanitizer builds only
  void unregister_roots(const slab& s) noexcept;
  std::size_t stack_size_;
  std::size_t slot_size_;
  unsigned cls_;
  std::mutex mu_;
  std::vector<slab> slabs_;      // guarded by mu_
  std::vector<char*> free_;      // guarded by mu_
  std::size_t total_ = 0;        // guarded by mu_
};

// fiber_in_slot() is where a slot's control block lives.
inline fiber* fiber_in_slot(char* slot, std::size_t slot_size) noexcept {
  uintptr_t hi = reinterpret_cast<uintptr_t>(slot) + slot_size - stack_pool::top_reserve;
  return reinterpret_cast<fiber*>((hi - sizeof(fiber)) & ~uintptr_t{63});
}

// canary_arm(c) fills a canary zone; canary_ok(c) checks it is intact.
void canary_arm(uint64_t* c) noexcept;
bool canary_ok(const uint64_t* c) noexcept;

}  // namespace cprime::detail
