// runtime/registry.cpp — what the process knows of its runtimes and of the
// plain threads blocked in them: the runtime registry (the monitor's retake
// ticks and deadlock probes, the hog watch, debuggers), the parked-thread
// list (deadlock detector, dumps), the I/O waiter count, and fatal().
//
// The registry and the parked-thread list are leaked on purpose: the monitor
// and dumps may use them during exit, after static destruction began.
#include "registry.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "dump.hpp"
#include "monitor.hpp"

namespace cprime::detail {

namespace {

std::mutex& registry_mu() {
  static std::mutex* m = new std::mutex;  // leaked: usable during exit
  return *m;
}
std::vector<runtime_impl*>& registry() {
  static auto* v = new std::vector<runtime_impl*>;
  return *v;
}
// publish_registry() keeps the debugger's view of the registry current
// (dump.cpp, the debugger contract). registry_mu held.
void publish_registry() noexcept {
  cprime_debug_runtimes = reinterpret_cast<void* const*>(registry().data());
  cprime_debug_nruntimes = registry().size();
}

thread_parker* g_parked_head = nullptr;  // guarded by parked_mu()

}  // namespace

std::mutex& parked_mu() noexcept {
  static std::mutex* m = new std::mutex;
  return *m;
}

extern "C" {
// The debugger contract (dump.cpp): the head of the parked-thread list.
__attribute__((used)) thread_parker* const* const cprime_debug_parked_threads = &g_parked_head;
}

void for_each_parked_thread(void (*fn)(thread_parker*, void*), void* arg) noexcept {
  std::lock_guard g(parked_mu());
  for (thread_parker* t = g_parked_head; t; t = t->next) fn(t, arg);
}

// parked_link() puts tp at the list's head; parked_unlink() takes it out.
void parked_link(thread_parker* tp) noexcept {
  tp->prev = nullptr;
  tp->next = g_parked_head;
  if (g_parked_head) g_parked_head->prev = tp;
  g_parked_head = tp;
}

void parked_unlink(thread_parker* tp) noexcept {
  if (tp->prev)
    tp->prev->next = tp->next;
  else
    g_parked_head = tp->next;
  if (tp->next) tp->next->prev = tp->prev;
  tp->prev = tp->next = nullptr;
}

std::atomic<int> g_parked_threads{0};
std::atomic<uint64_t> g_thread_parks{0};

std::atomic<int>& io_waiters() noexcept {
  static std::atomic<int> n{0};
  return n;
}

void fatal(const char* fmt, ...) noexcept {
  // Formatted first, then one write(2): the message is never cut off by a
  // crash in the middle of printing, nor interleaved with another thread's.
  char buf[1024] = "cprime: fatal: ";
  std::size_t at = std::strlen(buf);
  std::va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(buf + at, sizeof buf - at - 1, fmt, ap);
  va_end(ap);
  if (n > 0) at += std::min<std::size_t>(std::size_t(n), sizeof buf - at - 2);
  buf[at++] = '\n';
  std::fflush(stderr);
  for (std::size_t done = 0; done < at;) {
    ssize_t k = ::write(2, buf + done, at - done);
    if (k <= 0) break;
    done += std::size_t(k);
  }
  std::abort();
}

void register_runtime(runtime_impl* rt) {
  {
    std::lock_guard g(registry_mu());
    registry().push_back(rt);
    publish_registry();
  }
  // The coarse clock parks record must be set before the first park, not
  // at the monitor's first tick (up to 10 ms later).
  cprime_debug_now_ms.store(steady_ms(), std::memory_order_relaxed);
  monitor_poke();  // start the retake ticks (the monitor may be asleep)
}

void unregister_runtime(runtime_impl* rt) {
  std::lock_guard g(registry_mu());
  auto& r = registry();
  r.erase(std::remove(r.begin(), r.end(), rt), r.end());
  publish_registry();
}

void for_each_runtime(void (*fn)(runtime_impl*, void*), void* arg) noexcept {
  std::lock_guard g(registry_mu());
  for (runtime_impl* rt : registry()) fn(rt, arg);
}

}  // namespace cprime::detail
