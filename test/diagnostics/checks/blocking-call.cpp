// -Wcprime-blocking-call: calls that block the OS thread, on a coroutine (a
// spawn body, or a function every call to which in this file is made from a
// coroutine, transitively).
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
#pragma cprime
#include <cprime/cprime.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <sys/socket.h>
#include <unistd.h>

std::mutex m;
std::condition_variable cv;
bool ready = false;

void in_spawn_bodies(std::thread& t, std::future<int>& fut, int fd, char* buf) {
  spawn {
    std::this_thread::sleep_for(std::chrono::milliseconds(1)); // expected-warning {{blocking call to 'std::this_thread::sleep_for' on a coroutine stalls its worker thread and every coroutine queued on it; use co_await cprime::sleep(d), or cprime::sleep_for [-Wcprime-blocking-call]}}
    std::this_thread::sleep_until(std::chrono::steady_clock::now()); // expected-warning {{'std::this_thread::sleep_until'}}
  };
  spawn [&] {
    std::unique_lock l(m);
    cv.wait(l, [] { return ready; }); // expected-warning {{blocking call to 'std::condition_variable::wait' on a coroutine}}
  };
  spawn [&] { t.join(); }; // expected-warning {{blocking call to 'std::thread::join'}}
  spawn [&] { (void)fut.get(); }; // expected-warning {{blocking call to 'std::future::get'}}
  spawn [&] { fut.wait(); }; // expected-warning {{blocking call to 'std::future::wait'}}
  spawn [=] { (void)::read(fd, buf, 1); }; // expected-warning {{blocking call to '::read'}}
  spawn [=] { (void)::recv(fd, buf, 1, 0); }; // expected-warning {{blocking call to '::recv'}}
  spawn [=] { (void)::accept(fd, nullptr, nullptr); }; // expected-warning {{blocking call to '::accept'}}
  spawn [=] { (void)::connect(fd, nullptr, 0); }; // expected-warning {{blocking call to '::connect'}}
  spawn { ::sleep(1); }; // expected-warning {{blocking call to '::sleep'}}
  spawn { ::usleep(1); }; // expected-warning {{blocking call to '::usleep'}}
  spawn { m.lock(); m.unlock(); }; // expected-warning {{blocking call to 'std::mutex::lock' on a coroutine stalls its worker thread and every coroutine queued on it; use cprime::mutex}}
  parallel {
    spawn { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }; // expected-warning {{'std::this_thread::sleep_for'}}
  }
}

// Functions called only from coroutines, transitively.
void nap() { // expected-note {{'nap' runs on a coroutine: every call to it in this file is made from one}}
  std::this_thread::sleep_for(std::chrono::milliseconds(1)); // expected-warning {{'std::this_thread::sleep_for'}}
}
void step() { nap(); }
void worker() { step(); }
void start() { spawn worker(); }

static void locker() { // expected-note {{'locker' runs on a coroutine}}
  m.lock(); // expected-warning {{'std::mutex::lock'}}
  m.unlock();
}
void start_locker() { spawn { locker(); }; }

// A lambda created on a coroutine runs on it.
void lambda_in_coroutine() {
  spawn {
    auto wait = [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }; // expected-warning {{'std::this_thread::sleep_for'}}
    wait();
  };
}

// --- no warning ------------------------------------------------------------

// Called from a plain thread as well: not only from coroutines.
void shared_helper() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }
void from_both() {
  spawn { shared_helper(); };
  shared_helper();
}

// Its address escapes (a std::thread, a callback): callers unknown.
void thread_body() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }
void start_thread() {
  spawn { thread_body(); };
  std::thread t(thread_body);
  t.join();
}

// spawn blocking is the place for blocking calls.
void on_the_blocking_pool(int fd, char* buf) {
  spawn blocking [=] { (void)::read(fd, buf, 1); std::this_thread::sleep_for(std::chrono::milliseconds(1)); };
  auto h = cprime::spawn_blocking([] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); });
  (void)h;
}

// A non-blocking fd waited for with cprime::io.
void readiness(int fd, char* buf) {
  spawn [=] {
    cprime::io::wait_readable(fd);
    (void)::read(fd, buf, 1);
  };
}

// Short critical sections behind a lock_guard are not reported (see
// -Wcprime-lock-across-suspend for the hazard), nor the runtime's own calls.
void guard_ok(long& counter) {
  spawn [&] {
    { std::lock_guard g(m); ++counter; }
    cprime::sleep_for(std::chrono::milliseconds(1));
  };
}

// Plain threads may block.
int main() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::unique_lock l(m);
  cv.wait(l, [] { return true; });
}
