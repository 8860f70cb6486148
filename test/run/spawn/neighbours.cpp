// Statement positions and callee spellings a Go-minded C++ user reaches for,
// each with every construct: after `else` (also with an attribute), as the
// body of `if constexpr` and of a range-for without braces, after
// `[[likely]]`; a lambda stored in a variable; `defer this->m()` and a
// spawn of `this->m(x)` in a member function.
// RUN: %clangxx_cprime -Wall -Wextra -Werror %s %cprime_rt -o %t
// RUN: env CPRIME_WORKERS=1 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=2 %t | FileCheck %s
// RUN: env CPRIME_WORKERS=4 %t | FileCheck %s
#include <cprime/cprime.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

std::atomic<int> sum{0};
void hit(int k) { sum += k; }

template <bool Fast> void positions(int n, std::string &trace) {
  cprime::channel<int> c(4);
  parallel {
    if constexpr (Fast) spawn hit(1); else spawn hit(2);
    if constexpr (Fast) parallel { spawn hit(10); }
    if constexpr (!Fast) timeout (std::chrono::seconds(10)) { spawn hit(10); }
    for (int k : {100, 200}) spawn hit(k);
    for (int k : {1000}) parallel { spawn hit(k); }
    for (int k : {1000}) timeout (std::chrono::seconds(10)) { spawn hit(k); }
    for (int k : {5}) select { c.send(k) => hit(10000); }
    if (n < 0) hit(-1); else select { int v = c.recv() => hit(v * 10000); }
    if (n < 0) hit(-1); else [[likely]] parallel { spawn hit(100000); }
    if (n < 0) hit(-1); else timeout (std::chrono::seconds(10)) { spawn hit(100000); }
    [[likely]] select { c.send(1) => (void)0; }
    [[likely]] timeout (std::chrono::seconds(10)) { (void)0; }
  }
  {
    if (n < 0) trace += "x"; else { defer trace += "e"; }
    [[likely]] defer trace += "l";
    if constexpr (Fast) { defer trace += "c"; }
    for (char ch : std::string("ab")) { defer trace += ch; }
    trace += "-";
  }
}

struct Conn {
  std::string &log;
  std::atomic<int> served{0};
  void close() { log += "closed"; }
  void serve(int k) { served += k; }
  void run() {
    defer this->close();
    parallel {
      spawn this->serve(1);
      spawn serve(2);
      auto self = this;
      spawn self->serve(4);
    }
    log += "served " + std::to_string(served.load()) + " ";
  }
};

int main() {
  std::string trace;
  positions<true>(1, trace);
  std::printf("fast %d %s\n", sum.load(), trace.c_str());
  // CHECK: fast 262311 ecab-l
  sum = 0;
  trace.clear();
  positions<false>(1, trace);
  std::printf("slow %d %s\n", sum.load(), trace.c_str());
  // CHECK-NEXT: slow 262312 eab-l

  auto square = [](int x) { return x * x; };
  auto hs = spawn square(7);
  std::vector<int> seen;
  auto push = [&seen](int x) { seen.push_back(x); };
  parallel { spawn push(3); }
  std::printf("stored lambdas %d %zu\n", hs.join(), seen.size());
  // CHECK-NEXT: stored lambdas 49 1

  std::string log;
  { Conn conn{log}; conn.run(); }
  std::printf("%s\n", log.c_str());
  // CHECK-NEXT: served 7 closed
}
