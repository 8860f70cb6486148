// -Wcprime-tls-across-suspend: a thread_local read before a suspension point
// and used after it through a local.
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
#pragma cprime
#include <cprime/cprime.hpp>

struct stats { long hits; };
thread_local int worker_id = 0;
thread_local stats per_thread{};
thread_local int slots[4];
cprime::channel<int> ch(1);

void use(int) {}
void drain() { co_await ch.recv(); }

void cached_value() {
  int id = worker_id; // expected-note {{'worker_id' read here}}
  co_await ch.recv(); // expected-note {{'cprime::await' may suspend here}}
  use(id); // expected-warning {{'id' caches thread_local 'worker_id' from before a suspension point: the coroutine may have resumed on another thread; read 'worker_id' again after suspending [-Wcprime-tls-across-suspend]}}
}

void by_reference() {
  auto& s = per_thread; // expected-note {{'per_thread' read here}}
  cprime::sleep_for(std::chrono::milliseconds(1)); // expected-note {{'cprime::sleep_for' may suspend here}}
  s.hits++; // expected-warning {{'s' caches thread_local 'per_thread'}}
}

void by_pointer() {
  long* p = &per_thread.hits; // expected-note {{'per_thread' read here}}
  drain(); // expected-note {{'drain' may suspend here}}
  ++*p; // expected-warning {{'p' caches thread_local 'per_thread'}}
}

void array_element() {
  int* slot = &slots[1]; // expected-note {{'slots' read here}}
  co_await ch.send(1); // expected-note {{may suspend here}}
  *slot = 2; // expected-warning {{'slot' caches thread_local 'slots'}}
}

void assigned() {
  int id = 0;
  id = worker_id; // expected-note {{'worker_id' read here}}
  co_await ch.recv(); // expected-note {{may suspend here}}
  use(id); // expected-warning {{'id' caches thread_local 'worker_id'}}
  use(id); // one warning per local
}

void in_spawn_body() {
  spawn {
    int id = worker_id; // expected-note {{read here}}
    co_await ch.recv(); // expected-note {{may suspend here}}
    use(id); // expected-warning {{'id' caches thread_local 'worker_id'}}
  };
}

// --- no warning ------------------------------------------------------------

void read_again() {
  co_await ch.recv();
  use(worker_id);
  int id = worker_id;
  use(id);
}

void used_before() {
  int id = worker_id;
  use(id);
  co_await ch.recv();
}

void reassigned_after() {
  int id = worker_id;
  co_await ch.recv();
  id = worker_id;
  use(id);
}

void scope_ended() {
  {
    int id = worker_id;
    use(id);
  }
  co_await ch.recv();
}

void no_suspension() {
  int id = worker_id;
  use(id);
  use(id);
}
