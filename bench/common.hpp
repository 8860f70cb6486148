// common.hpp: argv sizes, the worker count, RSS and the output line shared by
// the CPrime benchmark programs (bench/<workload>.cpp, and its cprime-rewrite output in
// <build>/bench/api/).
// It includes no cprime header, so the plugin leaves it untouched.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

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

// status_kib(field) reads a "Field:   N kB" line of /proc/self/status
// (VmHWM: the peak RSS).
inline long status_kib(const char* field) {
  std::ifstream f("/proc/self/status");
  const std::string key = std::string(field) + ":";
  for (std::string line; std::getline(f, line);)
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
  return -1;
}

// sleep_us(i) is sleeper i's pseudo-random duration in [0, 1000000) µs:
// splitmix64's output for state seed + (i+1)·golden with the fixed seed
// 20261202, the same sequence in every peer program (bench/peers/*/sleepers.*).
inline long sleep_us(long i) {
  std::uint64_t z = 20261202ull + (std::uint64_t(i) + 1) * 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return long(z % 1000000);
}

// percentile(v, p) is the p-th percentile (nearest rank) of v; it sorts v.
inline long percentile(std::vector<long>& v, double p) {
  std::sort(v.begin(), v.end());
  std::size_t k = std::size_t(p / 100 * double(v.size()));
  return v[std::min(k, v.size() - 1)];
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
