// common.hpp: argv sizes, the worker count, RSS and the output line shared by
// the CPrime benchmark programs (bench/<workload>.cpp and bench/api/).
// It includes no cprime header, so the plugin leaves it untouched.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

namespace bench {

using clock = std::chrono::steady_clock;

inline long arg(int argc, char** argv, int i, long def) {
  return argc > i ? std::atol(argv[i]) : def;
}

// threads() is the default runtime's worker count: CPRIME_WORKERS, else one per core.
inline unsigned threads() {
  const char* s = std::getenv("CPRIME_WORKERS");
  int n = s ? std::atoi(s) : 0;
  return n > 0 ? unsigned(n) : std::thread::hardware_concurrency();
}

inline double ns_since(clock::time_point start) {
  return std::chrono::duration<double, std::nano>(clock::now() - start).count();
}

inline long rss_kib() {
  std::ifstream f("/proc/self/status");
  for (std::string line; std::getline(f, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

inline void print(const char* workload, double metric, const char* unit) {
  std::printf("workload=%s peer=cprime threads=%u metric=%.*f unit=%s\n", workload, threads(),
              metric < 10 ? 2 : 1, metric, unit);
}

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::exit(1);
}

}  // namespace bench
