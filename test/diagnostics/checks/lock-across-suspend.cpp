// -Wcprime-lock-across-suspend: a std mutex held across each kind of
// suspension point, and the ways of releasing it first.
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
#pragma cprime
#include <cprime/cprime.hpp>
#include <mutex>
#include <shared_mutex>

std::mutex m, m2;
std::shared_mutex sm;
std::recursive_mutex rm;
cprime::mutex cm;
cprime::channel<int> ch(1);

int work() { return 1; }

void channel_op() {
  std::lock_guard g(m); // expected-warning {{'std::mutex' held by 'g' across a suspension point: the coroutine may resume on another thread, and the lock blocks this worker meanwhile; use cprime::mutex, or release the lock before suspending [-Wcprime-lock-across-suspend]}}
  co_await ch.send(1); // expected-note {{'cprime::await' may suspend here}}
}

void select_arm() {
  std::unique_lock l(m); // expected-warning {{'std::mutex' held by 'l'}}
  select {
    auto v = ch.recv() => { (void)v; }
  } // expected-note {{'cprime::select' may suspend here}}
}

void sleeping() {
  std::scoped_lock both(m, m2); // expected-warning {{'std::mutex' held by 'both'}}
  co_await cprime::sleep(std::chrono::milliseconds(1)); // expected-note {{'cprime::await' may suspend here}}
}

void sleep_for_call() {
  std::shared_lock s(sm); // expected-warning {{'std::shared_mutex' held by 's'}}
  cprime::sleep_for(std::chrono::milliseconds(1)); // expected-note {{'cprime::sleep_for' may suspend here}}
}

void joining() {
  auto h = spawn work();
  std::lock_guard g(rm); // expected-warning {{'std::recursive_mutex' held by 'g'}}
  int v = h.join(); // expected-note {{'cprime::task<int>::join' may suspend here}}
  (void)v;
}

void awaiting_task() {
  auto h = spawn work();
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  int v = co_await h; // expected-note {{'cprime::await' may suspend here}}
  (void)v;
}

void parallel_end() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  parallel {
    spawn { work(); }
  } // expected-note {{'cprime::parallel' may suspend here}}
}

void timeout_end() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  timeout (std::chrono::milliseconds(5)) {
    work();
  } // expected-note {{'cprime::timeout' may suspend here}}
}

void cprime_mutex_lock() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  std::lock_guard c(cm); // expected-note {{'cprime::mutex::lock' may suspend here}}
}

void cprime_mutex_bare_lock() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  cm.lock(); // expected-note {{'cprime::mutex::lock' may suspend here}}
  cm.unlock();
}

void bare_lock() {
  m.lock(); // expected-warning {{'std::mutex' 'm' locked here and held across a suspension point}}
  co_await ch.recv(); // expected-note {{'cprime::await' may suspend here}}
  m.unlock();
}

void wait_group_wait(cprime::wait_group& wg) {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  wg.wait(); // expected-note {{'cprime::wait_group::wait' may suspend here}}
}

// Suspension reached through functions of this file, transitively.
void drain() { co_await ch.recv(); }
void drain_twice() { drain(); drain(); }
void through_calls() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  drain_twice(); // expected-note {{'drain_twice' may suspend here (it reaches a suspension point)}}
}

// A function of another file, marked where it is declared.
CPRIME_SUSPENDS void wait_for_peer();
void marked_elsewhere() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  wait_for_peer(); // expected-note {{'wait_for_peer' may suspend here}}
}

// In a template: the dependent call's candidates are checked.
template <class T> void generic(cprime::channel<T> c) {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  co_await c.recv(); // expected-note {{'cprime::await' may suspend here}}
}

// Inside a spawn body and a parallel body (each a function of its own).
void in_bodies() {
  spawn {
    std::lock_guard g(m); // expected-warning {{held by 'g'}}
    co_await ch.recv(); // expected-note {{'cprime::await' may suspend here}}
  };
  parallel {
    std::lock_guard g(m); // expected-warning {{held by 'g'}}
    co_await ch.recv(); // expected-note {{'cprime::await' may suspend here}}
  }
}

// One warning per lock, at the first suspension.
void twice() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  co_await ch.recv(); // expected-note {{may suspend here}}
  co_await ch.recv();
}

// --- no warning ------------------------------------------------------------

void released_before() {
  std::unique_lock l(m);
  work();
  l.unlock();
  co_await ch.recv();
  l.lock();
}

void relocked() {
  std::unique_lock l(m);
  l.unlock();
  co_await ch.recv();
  l.lock(); // expected-warning {{held by 'l'}}
  co_await ch.recv(); // expected-note {{may suspend here}}
}

void nested_block() {
  {
    std::lock_guard g(m);
    work();
  }
  co_await ch.recv();
}

void if_init() {
  if (std::lock_guard g(m); work()) {
    work();
  }
  co_await ch.recv();
}

void bare_unlocked() {
  m.lock();
  work();
  m.unlock();
  co_await ch.recv();
}

void deferred() {
  std::unique_lock l(m, std::defer_lock);
  co_await ch.recv();
}

void cprime_mutex_held() {
  std::lock_guard g(cm); // cprime::mutex parks the coroutine, not the worker
  co_await ch.recv();
}

void select_with_default() {
  std::lock_guard g(m);
  select { // never parks
    auto v = ch.recv() => { (void)v; }
    default => {}
  }
}

void spawn_is_not_a_suspension() {
  std::lock_guard g(m);
  spawn { co_await ch.recv(); };
  auto later = [&] { co_await ch.recv(); };
  (void)later;
}

void no_suspension_in_reach() {
  std::lock_guard g(m);
  work();
}
