// compile workload, a file that does not opt in to CPrime: scripts/bench
// times clang++ -fsyntax-only of it with the plugin loaded and without.
// `spawn` and `select` here are ordinary identifiers.
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

static int spawn(int x) { return x + 1; }

static long select(const std::vector<int>& v, int min) {
  long sum = 0;
  for (int x : v)
    if (x >= min) sum += x;
  return sum;
}

int main() {
  std::vector<int> v;
  for (int i = 0; i < 100; ++i) v.push_back(spawn(i));
  std::map<std::string, long> m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &v] { std::cout << t << " " << select(v, t) << "\n"; });
  for (auto& th : threads) th.join();
  m["sum"] = select(v, 0);
  std::cout << m["sum"] << "\n";
}
