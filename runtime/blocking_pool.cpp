// runtime/blocking_pool.cpp — spawn_blocking's threads.
//
// Jobs run in FIFO order on at most max_ threads, started on demand and kept
// until the runtime shuts down (the deadlock detector counts them as known
// threads). A job runs on a plain thread: runtime waits inside it block that
// thread, never a worker.
//
// Invariants (guard: mu_): jobs_ holds queued jobs; active_ counts running
// ones; idle_ counts threads waiting on cv_; pool_.size() <= max_.
#include <pthread.h>

#include "blocking_pool.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"

namespace cprime::detail {

blocking_pool::blocking_pool(runtime_impl* rt, std::size_t max, std::string name)
    : rt_(rt), max_(max), name_(std::move(name)) {}

blocking_pool::~blocking_pool() { stop(); }

void blocking_pool::submit(closure_fn run, void* closure, task_state_base* st) {
  std::lock_guard g(mu_);
  if (stop_) fatal("spawn_blocking on a runtime that is shutting down");
  jobs_.push_back(job{run, closure, st});
  // An idle thread counts in idle_ until it has woken and re-taken mu_, so
  // the queued jobs are already promised to the first idle_ of them: notify
  // one only if this job is among those, else start a thread for it (two
  // back-to-back submits must not share one thread while max_ allows two).
  if (jobs_.size() <= idle_) {
    cv_.notify_one();
  } else if (pool_.size() < max_) {
    pool_.emplace_back([this] { loop(); });
  }
}

void blocking_pool::loop() {
  set_blocking_runtime(rt_);
  pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
  std::unique_lock lk(mu_);
  for (;;) {
    while (jobs_.empty() && !stop_) {
      ++idle_;
      cv_.wait(lk);
      --idle_;
    }
    if (jobs_.empty()) return;  // stopping
    job j = jobs_.front();
    jobs_.pop_front();
    ++active_;
    lk.unlock();
    j.run(j.closure, j.st);
    lk.lock();
    --active_;
  }
}

void blocking_pool::stop() noexcept {
  std::vector<std::thread> threads;
  {
    std::lock_guard g(mu_);
    stop_ = true;
    threads.swap(pool_);
  }
  cv_.notify_all();
  for (auto& t : threads)
    if (t.joinable()) t.join();
}

std::size_t blocking_pool::threads() noexcept {
  std::lock_guard g(mu_);
  return pool_.size();
}

bool blocking_pool::busy() noexcept {
  std::lock_guard g(mu_);
  return !jobs_.empty() || active_ > 0;
}

void blocking_submit(const spawn_options& o, closure_fn run, void* closure, task_state_base* st) {
  runtime_impl* rt = o.rt;
  if (!rt) rt = current_runtime();
  if (!rt) rt = default_runtime();
  rt->blocking().submit(run, closure, st);
}

}  // namespace cprime::detail
