// cprime/runtime.hpp — the M:N runtime: building one, running on it, dumping it.
//
//   #include <cprime/runtime.hpp>
//   int main() {
//     cprime::runtime rt = cprime::runtime::builder().worker_threads(2).build();
//     int v = rt.run([] { return cprime::spawn([] { return 6 * 7; }).join(); });
//     return v == 42 ? 0 : 1;
//   }
//
// Without a builder, the default runtime starts on first use (first spawn,
// first timer) with one worker per core, or CPRIME_WORKERS workers if that
// environment variable is set. It is never torn down: program exit with
// coroutines still running does not wait for them and does not crash.
// docs/runtime.md describes the scheduler, stacks and the deadlock detector.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>

#include "cprime/metrics.hpp"
#include "cprime/task.hpp"

namespace cprime {

class runtime {
 public:
  // builder configures a runtime; every setter returns *this.
  class builder {
   public:
    // worker_threads(n): OS threads running coroutines (n >= 1; default: cores).
    builder& worker_threads(std::size_t n) noexcept { workers_ = n; return *this; }
    // max_blocking_threads(m): cap of spawn_blocking's pool (m >= 1; default 128).
    builder& max_blocking_threads(std::size_t m) noexcept { blocking_ = m; return *this; }
    // thread_name(s): name of the worker threads (Linux truncates to 15 bytes,
    // with the worker index appended); blocking threads get s + "-blk".
    builder& thread_name(std::string s) { name_ = std::move(s); return *this; }
    // stack_size(b): usable stack bytes per coroutine, rounded up to whole
    // pages (minimum 16 KiB; default 1 MiB). It is address space: only the
    // pages a coroutine touches are committed, and an exited coroutine's
    // pages beyond its top 32 KiB go back to the kernel. A coroutine that
    // needs more than the others asks per spawn (cprime::stack_size). Past
    // the end, the program stops with "coroutine N spawned at file:line
    // overflowed its K KiB stack" (docs/runtime.md, "Stacks").
    static constexpr std::size_t default_stack_size = std::size_t{1} << 20;
    builder& stack_size(std::size_t b) noexcept { stack_ = b; return *this; }
    // hog_threshold(d): a coroutine that keeps its worker longer than d
    // without suspending is reported once on stderr, with its spawn site and
    // stack (docs/debugging.md). Zero turns the warning off. Default: the
    // CPRIME_HOG_MS environment variable (milliseconds, 0 = off), else 100 ms.
    builder& hog_threshold(std::chrono::milliseconds d) noexcept {
      hog_ms_ = d.count() < 0 ? 0 : d.count();
      hog_set_ = true;
      return *this;
    }
    // build() starts the worker threads.
    runtime build() const;

   private:
    long long hog_ms_ = 0;
    bool hog_set_ = false;
    std::size_t workers_ = 0;
    std::size_t blocking_ = 128;
    std::string name_ = "cprime-worker";
    std::size_t stack_ = default_stack_size;
  };

  runtime(runtime&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
  runtime& operator=(runtime&& o) noexcept;
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;
  // ~runtime() stops the workers (a coroutine running then finishes its current
  // step; runnable ones are not run) and joins the threads. Coroutines still
  // parked are abandoned and their memory leaked, never freed under them.
  ~runtime();

  // run(f, args…) runs f(args…) on a coroutine of this runtime and blocks the
  // caller (a plain thread or another coroutine) until it returns; returns its
  // value or rethrows its exception. The coroutine's spawn site (dumps, the
  // debugger, reports) is the caller's line for run(f); with arguments, pass
  // it first: run(cprime::here(), f, args…).
  template <class F, class... A>
    requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
  CPRIME_SPAWNS CPRIME_SUSPENDS spawn_result_t<F, A...> run(site where, F&& f, A&&... args) {
    return spawn(where, std::forward<F>(f), std::forward<A>(args)...).join();
  }
  template <class F>
    requires std::invocable<std::decay_t<F>>
  CPRIME_SPAWNS CPRIME_SUSPENDS spawn_result_t<F> run(F&& f, site where = here()) {
    return spawn(where, std::forward<F>(f)).join();
  }
  template <class F, class A0, class... A>
    requires(!std::same_as<std::decay_t<F>, site>) &&
            std::invocable<std::decay_t<F>, std::decay_t<A0>, std::decay_t<A>...>
  CPRIME_SPAWNS CPRIME_SUSPENDS spawn_result_t<F, A0, A...> run(F&& f, A0&& a0, A&&... args) {
    return spawn(site{}, std::forward<F>(f), std::forward<A0>(a0), std::forward<A>(args)...)
        .join();
  }

  // spawn(f, args…) spawns on this runtime (from any thread); the spawn site
  // is taken as for run().
  template <class F, class... A>
    requires std::invocable<std::decay_t<F>, std::decay_t<A>...>
  CPRIME_SPAWNS CPRIME_UNSTRUCTURED task<spawn_result_t<F, A...>> spawn(site where, F&& f, A&&... args) {
    detail::spawn_options o{where};
    o.rt = impl_;
    return detail::spawn_with(o, std::forward<F>(f), std::forward<A>(args)...);
  }
  template <class F>
    requires std::invocable<std::decay_t<F>>
  CPRIME_SPAWNS CPRIME_UNSTRUCTURED task<spawn_result_t<F>> spawn(F&& f, site where = here()) {
    return spawn(where, std::forward<F>(f));
  }
  template <class F, class A0, class... A>
    requires(!std::same_as<std::decay_t<F>, site>) &&
            std::invocable<std::decay_t<F>, std::decay_t<A0>, std::decay_t<A>...>
  CPRIME_SPAWNS CPRIME_UNSTRUCTURED task<spawn_result_t<F, A0, A...>> spawn(F&& f, A0&& a0, A&&... args) {
    return spawn(site{}, std::forward<F>(f), std::forward<A0>(a0), std::forward<A>(args)...);
  }

  std::size_t worker_threads() const noexcept;
  std::size_t max_blocking_threads() const noexcept;
  std::size_t stack_size() const noexcept;
  // metrics(): this runtime's counters (cprime/metrics.hpp).
  runtime_metrics metrics() const;

 private:
  explicit runtime(detail::runtime_impl* impl) noexcept : impl_(impl) {}
  detail::runtime_impl* impl_;
};

// dump() prints every coroutine of every runtime — state, what it is blocked
// on and for how long, its stack, its spawn site — and every plain thread
// blocked in the runtime (with its stack), to stderr. SIGQUIT prints the same
// and exits with status 2 (CPRIME_SIGQUIT changes that; docs/debugging.md).
void dump() noexcept;

}  // namespace cprime
