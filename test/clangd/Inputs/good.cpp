// A correct CPrime file: every construct, with code inside each body.
#include <cprime/cprime.hpp>
#include "worker.h"
#include <cstdio>

struct point {
  int x;
  int y;
};

int main() {
  cprime::channel<int> ch(4);
  point origin{1, 2};
  long total = 0;
  spawn { std::puts("héllo → 🌍"); int moved = origin.x + origin.y; co_await ch.send(moved); }
  select {
    int v = ch.recv() => {
      total += v + origin.y;
    }
    default => { std::puts("idle"); start_worker(ch); auto job = make_task(); total = twice(job.join()); }
  }
  int hits = 0;
  parallel {
    spawn { hits += origin.x; }
  }
  defer std::printf("%ld %d\n", total, hits);
}
