// runtime/blocking_pool.hpp — private: spawn_blocking's thread pool
// (blocking_pool.cpp). Not installed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cprime/task.hpp"

namespace cprime::detail {

class runtime_impl;

// blocking_pool runs spawn_blocking jobs on at most max threads.
class blocking_pool {
 public:
  blocking_pool(runtime_impl* rt, std::size_t max, std::string name);
  ~blocking_pool();
  void submit(closure_fn run, void* closure, task_state_base* st);
  void stop() noexcept;
  std::size_t threads() noexcept;
  bool busy() noexcept;  // a job queued or running
  std::size_t max() const noexcept { return max_; }

 private:
  struct job {
    closure_fn run;
    void* closure;
    task_state_base* st;
  };
  void loop();
  runtime_impl* rt_;
  std::size_t max_;
  std::string name_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<job> jobs_;            // guarded by mu_
  std::vector<std::thread> pool_;   // guarded by mu_
  std::size_t idle_ = 0;            // guarded by mu_
  std::size_t active_ = 0;          // guarded by mu_
  bool stop_ = false;               // guarded by mu_
};

}  // namespace cprime::detail
