// runtime_app.cpp: the runtime's API in plain C++, no plugin: what a g++ (or
// any C++20 compiler) project links against CPrime::runtime / cprime-runtime.
// Prints "sum of squares = 385".
#include <cprime/cprime.hpp>

#include <cstdio>
#include <vector>

int main() {
  cprime::channel<int> squares(16);
  std::vector<cprime::task<void>> workers;
  for (int i = 1; i <= 10; ++i)
    workers.push_back(cprime::spawn([squares, i]() mutable { (void)cprime::await(squares.send(i * i)); }));
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += *cprime::await(squares.recv());
  for (auto& w : workers) w.join();
  std::printf("sum of squares = %d\n", sum);
  return sum == 385 ? 0 : 1;
}
