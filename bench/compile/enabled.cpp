// compile workload, CPrime-enabled file: ordinary C++ using <iostream>,
// <vector>, <map>, <thread> plus CPrime constructs. scripts/bench times
// clang++ -fsyntax-only of this file with the plugin against its
// cprime-rewrite output without the plugin.
#include <cprime/cprime.hpp>

#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

static void worker(int id, cprime::channel<int> jobs, cprime::channel<std::string> out) {
  for (int j : jobs) co_await out.send(std::to_string(id) + ":" + std::to_string(j * j));
}

static long fan_in(cprime::channel<int> a, cprime::channel<int> b) {
  long sum = 0;
  for (int open = 2; open > 0;) {
    select {
      auto v = a.recv() => { if (v) sum += *v; else { a = nullptr; --open; } }
      auto v = b.recv() => { if (v) sum += *v; else { b = nullptr; --open; } }
    }
  }
  return sum;
}

int main() {
  cprime::channel<int> jobs(16);
  cprime::channel<std::string> out(16);
  for (int i = 0; i < 4; ++i) spawn worker(i, jobs, out);
  spawn {
    for (int j = 0; j < 100; ++j) co_await jobs.send(j);
    jobs.close();
  }
  std::map<std::string, int> seen;
  for (int k = 0; k < 100; ++k) seen[*co_await out.recv()]++;
  cprime::channel<int> a, b;
  spawn [a] { for (int i = 0; i < 10; ++i) co_await a.send(i); a.close(); }
  spawn [b] { for (int i = 0; i < 10; ++i) co_await b.send(i); b.close(); }
  auto t = spawn fan_in(a, b);
  std::vector<std::thread> threads;
  threads.emplace_back([] { std::cout << "plain thread\n"; });
  for (auto& th : threads) th.join();
  std::cout << seen.size() << " " << t.join() << "\n";
}
