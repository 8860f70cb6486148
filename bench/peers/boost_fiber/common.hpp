// common.hpp: what every Boost.Fiber peer program shares.
//
//   int main(int argc, char** argv) {
//     unsigned threads = bf::threads_from_env();       // BENCH_THREADS, default 1
//     bf::run(threads, [&] { ...fibers... });           // main fiber + work_stealing
//     bf::print("spawn", threads, ns, "ns/coroutine");
//   }
//
// run(n, body) registers this thread and n-1 helper threads with Boost.Fiber's
// work_stealing scheduler (the algorithm's constructor waits until all n have
// registered; n = 1 keeps the default round_robin), runs body on the main
// fiber, then releases the helpers.
// Fibers get a 16 KiB fixedsize_stack (malloc'd; only touched pages become
// resident): small enough for a million live fibers, as Boost.Fiber's own
// performance/skynet programs use small stacks (8 KiB overflowed here in the
// work_stealing paths at 2 threads); the 128 KiB default would not be chosen
// for a million fibers.
#pragma once

#include <boost/fiber/all.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bf {

namespace fibers = boost::fibers;
using clock = std::chrono::steady_clock;

inline unsigned threads_from_env() {
  const char* s = std::getenv("BENCH_THREADS");
  int n = s ? std::atoi(s) : 1;
  return n > 0 ? unsigned(n) : 1u;
}

inline long arg(int argc, char** argv, int i, long def) {
  return argc > i ? std::atol(argv[i]) : def;
}

inline fibers::fixedsize_stack small_stack() {
  return fibers::fixedsize_stack(16 * 1024);
}

template <class F>
void run(unsigned threads, F&& body) {
  std::mutex m;
  fibers::condition_variable_any cv;
  bool done = false;
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < threads; ++i) {
    helpers.emplace_back([&] {
      fibers::use_scheduling_algorithm<fibers::algo::work_stealing>(threads);
      std::unique_lock lk(m);
      cv.wait(lk, [&] { return done; });  // a fiber wait: this thread keeps running fibers
    });
  }
  // One thread keeps the default round_robin: work_stealing's victim search
  // never ends when it is alone and its queue is empty (e.g. during a sleep).
  if (threads > 1) fibers::use_scheduling_algorithm<fibers::algo::work_stealing>(threads);
  body();
  {
    std::lock_guard lk(m);
    done = true;
  }
  cv.notify_all();
  for (auto& t : helpers) t.join();
}

// wait_group: Boost.Fiber has none; an atomic count whose last done() wakes
// the waiter, as its users write one. wait() returns only after that done()
// has set zero_ under m_, so the waiter may destroy the group right away.
class wait_group {
 public:
  void add(long n) { count_.fetch_add(n, std::memory_order_relaxed); }
  void done() {
    if (count_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard lk(m_);
      zero_ = true;
      cv_.notify_all();
    }
  }
  void wait() {
    std::unique_lock lk(m_);
    cv_.wait(lk, [&] { return zero_; });
  }

 private:
  std::atomic<long> count_{0};
  fibers::mutex m_;
  fibers::condition_variable cv_;
  bool zero_ = false;  // guarded by m_
};

inline double ns_since(clock::time_point start) {
  return std::chrono::duration<double, std::nano>(clock::now() - start).count();
}

// status_kib(field) reads a "Field:   N kB" line of /proc/self/status
// (VmRSS, VmHWM: the peak RSS).
inline long status_kib(const char* field) {
  std::ifstream f("/proc/self/status");
  const std::string key = std::string(field) + ":";
  for (std::string line; std::getline(f, line);)
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
  return -1;
}

// sleep_us(i) is sleeper i's duration in [0, 1000000) µs: splitmix64's
// output for state seed + (i+1)·golden, seed 20261202 (as bench/common.hpp).
inline long sleep_us(long i) {
  std::uint64_t z = 20261202ull + (std::uint64_t(i) + 1) * 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return long(z % 1000000);
}

inline void print(const char* workload, unsigned threads, double metric, const char* unit) {
  std::printf("workload=%s peer=boostfiber threads=%u metric=%.*f unit=%s\n", workload, threads,
              metric < 10 ? 2 : 1, metric, unit);
}

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::exit(1);
}

}  // namespace bf
