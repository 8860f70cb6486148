// worker_pool: competitive consumption. Four workers take jobs from one
// shared channel — each job goes to exactly one worker, whichever is free —
// and send results back. The block waits for all of them; the output does
// not depend on which worker took which job.
//
//   scripts/demo                      # builds and runs this file
//   cprime-rewrite examples/worker_pool.cpp   # the plain C++ it becomes
#include <cprime/cprime.hpp>

#include <cstdio>
#include <vector>

struct job {
  int id;
  int n;
};

struct result {
  int id;
  long fib;
  int worker;
};

long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main() {
  constexpr int workers = 4, jobs_count = 12;
  cprime::channel<job> jobs(4);
  cprime::channel<result> results(jobs_count);
  std::vector<int> taken(workers, 0);

  parallel {
    for (int w = 0; w < workers; ++w) {
      spawn [&taken, jobs, results, w] {
        for (job j : jobs) {                      // competes with the others
          co_await results.send(result{j.id, fib(j.n), w});
          ++taken[w];
        }
      }
    }
    for (int i = 0; i < jobs_count; ++i) co_await jobs.send(job{i, 20 + i % 5});
    jobs.close();                                 // workers drain, then stop
  }
  results.close();

  std::vector<long> by_id(jobs_count, -1);
  for (result r : results) by_id[r.id] = r.fib;
  int total = 0;
  for (int t : taken) total += t;
  for (int i = 0; i < jobs_count; ++i) std::printf("job %2d fib(%d) = %ld\n", i, 20 + i % 5, by_id[i]);
  std::printf("%d jobs done by %d workers\n", total, workers);
}
