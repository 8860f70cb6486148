// app.cpp: the program every consumer build here compiles through the plugin
// (or through cprime-rewrite for g++): four workers square 1..10 over
// channels inside a parallel block. Prints "sum of squares = 385".
#include <cprime/cprime.hpp>

#include <cstdio>

int main() {
  cprime::channel<int> jobs(16), results(16);
  parallel {
    for (int w = 0; w < 4; ++w)
      spawn {
        for (int j : jobs) (void)co_await results.send(j * j);
      }
    spawn {
      for (int j = 1; j <= 10; ++j) (void)co_await jobs.send(j);
      jobs.close();
    }
  }
  results.close();
  int sum = 0;
  for (int r : results) sum += r;
  std::printf("sum of squares = %d\n", sum);
  return sum == 385 ? 0 : 1;
}
