// event_bus: broadcast<T> delivers every event to every subscriber (a
// channel would give each event to one receiver). A slow subscriber with
// the drop_oldest policy keeps only the newest events; with the default
// block policy the emitter waits for it.
#include <cprime/cprime.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main() {
  cprime::broadcast<std::string> bus(4);          // block policy: nothing lost
  std::vector<std::string> audit, metrics;

  parallel {
    spawn [&audit, r = bus.subscribe()] {
      for (std::string e : r) audit.push_back("audit saw " + e);
    }
    spawn [&metrics, r = bus.subscribe()] {
      for (std::string e : r) metrics.push_back("metrics saw " + e);
    }
    for (const char* e : {"login", "upload", "logout"}) bus.emit(e);
    bus.close();                                  // subscribers drain, then end
  }
  for (auto& l : audit) std::puts(l.c_str());
  for (auto& l : metrics) std::puts(l.c_str());

  cprime::broadcast<int> ticks(2, cprime::overflow_policy::drop_oldest);
  auto slow = ticks.subscribe();
  for (int t = 1; t <= 6; ++t) ticks.emit(t);     // never waits for `slow`
  ticks.close();
  std::printf("slow subscriber kept:");
  for (int t : slow) std::printf(" %d", t);
  std::printf(" (dropped %llu)\n", static_cast<unsigned long long>(slow.dropped()));
}
