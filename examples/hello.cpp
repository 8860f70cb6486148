// hello: a worker pool in CPrime syntax.
//
// Four workers receive jobs from one channel and send results to another;
// main feeds the jobs with a select that also watches a timer, and a
// parallel block squares a vector alongside. Build it through the plugin:
//
//   clang++-19 -std=c++20 -fplugin=libcprime.so -Iinclude hello.cpp \
//       -lcprime_rt -lboost_context -lboost_stacktrace_backtrace -pthread
//
// or with CMake: target_link_libraries(hello PRIVATE CPrime::cprime).
// `cprime-rewrite hello.cpp` shows the plain C++ it compiles to.
#include <cprime/cprime.hpp>

#include <chrono>
#include <cstdio>
#include <vector>

using namespace std::chrono_literals;

struct job {
  int id;
  int value;
};

struct result {
  int id;
  int square;
};

// worker squares jobs until the jobs channel is closed and drained.
void worker(int n, cprime::channel<job> jobs, cprime::channel<result> results) {
  int done = 0;
  defer std::printf("worker %d done after %d jobs\n", n, done);
  while (auto j = co_await jobs.recv()) {
    co_await results.send(result{j->id, j->value * j->value});
    ++done;
  }
}

int main() {
  constexpr int workers = 4, jobs_count = 20;
  cprime::channel<job> jobs(8);
  cprime::channel<result> results(jobs_count);

  std::vector<cprime::task<void>> pool;
  for (int n = 0; n < workers; ++n)
    pool.push_back(spawn worker(n, jobs, results));

  auto deadline = cprime::after(5s);
  for (int id = 0; id < jobs_count;) {
    select {
      auto r = jobs.send(job{id, id + 1}) => { if (r.is_ok()) ++id; }
      _ = deadline.recv() => { std::puts("gave up feeding"); break; }
    }
  }
  jobs.close();
  for (auto &t : pool)
    t.join();

  long sum = 0;
  for (int i = 0; i < jobs_count; ++i)
    if (auto r = co_await results.recv())
      sum += r->square;
  std::printf("sum of squares 1..%d = %ld\n", jobs_count, sum);

  std::vector<int> v{1, 2, 3, 4};
  parallel {
    for (int &x : v)
      spawn [&x] { x *= x; }
  }
  std::printf("parallel: %d %d %d %d\n", v[0], v[1], v[2], v[3]);
}
