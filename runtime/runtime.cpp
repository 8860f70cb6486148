// runtime/runtime.cpp — a runtime's life: construction, start, shutdown,
// each worker thread's main loop; the process's default runtime; the public
// cprime::runtime and its builder.
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cprime/runtime.hpp"
#include "dump.hpp"
#include "futex.hpp"
#include "monitor.hpp"
#include "overflow.hpp"
#include "poll_owner.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"
#include "timer_wheel.hpp"

namespace cprime::detail {

runtime_impl* default_runtime() {
  static runtime_impl* rt = [] {
    std::size_t n = std::thread::hardware_concurrency();
    if (const char* e = std::getenv("CPRIME_WORKERS")) {
      long v = std::strtol(e, nullptr, 10);
      if (v > 0 && v <= 4096) n = static_cast<std::size_t>(v);
    }
    if (n == 0) n = 1;
    // Leaked on purpose: never torn down, so exit with coroutines running is safe.
    auto* r = new runtime_impl(n, 128, "cprime-worker", runtime::builder::default_stack_size);
    r->hog_ms_ = default_hog_ms();
    r->start();
    return r;
  }();
  return rt;
}

runtime_impl::runtime_impl(std::size_t workers, std::size_t blocking, std::string name,
                           std::size_t stack)
    : name_(std::move(name)),
      max_blocking_(blocking),
      stack_size_(stack),
      stacks_(stack),
      blocking_(this, blocking, name_ + "-blk") {
  for (std::size_t i = 0; i < workers; ++i) {
    auto* w = new worker;
    w->rt = this;
    w->index = static_cast<unsigned>(i);
    w->rng = 0x9E3779B97F4A7C15ull * (i + 1);
    w->stack_cache.reserve(80);
    w->timer_woken.reserve(64);
    w->seen_runs.assign(workers, 0);
    w->wheel = wheel_acquire();
    workers_.push_back(w);
  }
}

runtime_impl::~runtime_impl() {
  for (worker* w : workers_) {
    wheel_retire(w->wheel);
    delete w;
  }
  for (auto& p : big_stacks_) delete p.load(std::memory_order_relaxed);
}

void runtime_impl::start() {
  overflow_handler_install();
  monitor_ensure_started();
  for (worker* w : workers_) w->thread = std::thread([this, w] { worker_main(w); });
  register_runtime(this);
}

bool runtime_impl::shutdown() noexcept {
  unregister_runtime(this);
  stopping_.store(true, std::memory_order_seq_cst);
  {
    std::lock_guard g(idle_mu_);
    for (worker* w : idle_) {
      w->idle = false;
      w->wake_word.store(1, std::memory_order_release);
      if (w->polling)
        poll_break();
      else
        futex_wake(&w->wake_word, 1);
    }
    idle_.clear();
    nidle_.store(0);
  }
  for (worker* w : workers_)
    if (w->thread.joinable()) w->thread.join();
  blocking_.stop();
  // Wakers on other threads (timers, the poller, other runtimes) may still be
  // inside ready(); see there.
  while (foreign_wakers_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  std::size_t live = 0;
  for_each_pool([&](stack_pool& p) { live += p.live_slots(); });
  return live == 0;
}

void runtime_impl::worker_main(worker* w) {
  // Before the first fiber: dump.cpp samples a busy worker by tid.
  w->tid.store(static_cast<long>(::syscall(SYS_gettid)), std::memory_order_relaxed);
  set_this_worker(w);
  std::string name = name_.substr(0, 11) + "-" + std::to_string(w->index);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  sanitizer_thread_start(w);
  overflow_thread_start();
  while (fiber* f = find_runnable(w)) {
    reset_spinning(w);
    run_fiber(w, f);
  }
  stacks_.flush(w);
  overflow_thread_stop();
  set_this_worker(nullptr);
  sanitizer_thread_end(w);
}

}  // namespace cprime::detail

namespace cprime {

runtime runtime::builder::build() const {
  std::size_t n = workers_;
  if (n == 0) n = std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  std::size_t stack = stack_ < 16 * 1024 ? 16 * 1024 : stack_;
  stack = (stack + 4095) / 4096 * 4096;
  auto* impl = new detail::runtime_impl(n, blocking_ ? blocking_ : 1, name_, stack);
  impl->hog_ms_ = hog_set_ ? hog_ms_ : detail::default_hog_ms();
  impl->start();
  return runtime(impl);
}

runtime& runtime::operator=(runtime&& o) noexcept {
  if (this != &o) {
    runtime tmp(std::move(*this));
    impl_ = std::exchange(o.impl_, nullptr);
  }
  return *this;
}

runtime::~runtime() {
  if (!impl_) return;
  // Coroutines still parked keep pointers into the runtime and their stacks:
  // leak both rather than free memory under them (kept reachable in a
  // process-wide list, so leak checkers see it as intentional).
  if (impl_->shutdown()) {
    delete impl_;
  } else {
    static auto* abandoned = new std::vector<detail::runtime_impl*>;
    static std::mutex* abandoned_mu = new std::mutex;
    std::lock_guard g(*abandoned_mu);
    abandoned->push_back(impl_);
  }
}

std::size_t runtime::worker_threads() const noexcept { return impl_ ? impl_->nworkers() : 0; }
std::size_t runtime::max_blocking_threads() const noexcept {
  return impl_ ? impl_->max_blocking_ : 0;
}
std::size_t runtime::stack_size() const noexcept { return impl_ ? impl_->stack_size_ : 0; }

}  // namespace cprime
