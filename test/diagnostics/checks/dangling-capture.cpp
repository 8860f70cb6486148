// -Wcprime-dangling-capture: a detached spawn that reaches a local by
// reference, and whose scope can end without waiting for the task.
// Structured spawns (parallel, timeout, task_group, spawn_scoped) never warn.
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %s
#pragma cprime
#include <cprime/cprime.hpp>
#include <functional>

void use(int) {}
void bump(int& x) { ++x; }
void poke(int* p) { ++*p; }
void fill(char* buf) { buf[0] = 0; }

void default_ref_capture() {
  int x = 0; // expected-note {{'x' declared here}}
  spawn [&] { use(x); }; // expected-warning {{detached spawn captures by reference the local 'x', and its scope can end without waiting for the task: the task may outlive it; capture it by value, wait for the task before the scope ends, or spawn inside parallel { }, timeout or a task_group, which wait for their tasks [-Wcprime-dangling-capture]}}
}

void explicit_ref_capture(int param) { // expected-note {{'param' declared here}}
  int y = 0; // expected-note {{'y' declared here}}
  spawn [&y, &param] { use(y + param); }; // expected-warning {{captures by reference the local 'y'}} expected-warning {{captures by reference the local 'param'}}
}

void std_ref() {
  int x = 0; // expected-note {{'x' declared here}}
  spawn bump(std::ref(x)); // expected-warning {{detached spawn passes a reference to the local 'x'}}
}

void pointer_to_local() {
  int x = 0; // expected-note {{'x' declared here}}
  char buf[8]; // expected-note {{'buf' declared here}}
  spawn poke(&x); // expected-warning {{passes a pointer to the local 'x'}}
  spawn fill(buf); // expected-warning {{passes a pointer to the local 'buf'}}
}

void init_capture_pointer() {
  int x = 0; // expected-note {{'x' declared here}}
  spawn [p = &x] { ++*p; }; // expected-warning {{captures a pointer to the local 'x'}}
}

void dropped_handle() {
  int x = 0; // expected-note 2 {{'x' declared here}}
  cprime::spawn([&] { use(x); }); // expected-warning {{captures by reference the local 'x'}}
  cprime::spawn_detached([&] { use(x); }); // one warning per local and spawn: this is another spawn
  // expected-warning@-1 {{captures by reference the local 'x'}}
}

void with_stack_size() {
  int x = 0; // expected-note {{'x' declared here}}
  cprime::spawn_detached(cprime::here(), cprime::stack_size(1 << 16), [&] { use(x); }); // expected-warning {{captures by reference the local 'x'}}
}

// A spawn in a macro body outside any block goes to the unscoped spawner.
#define GO(x) spawn [&] { use(x); }
void from_a_macro() {
  int x = 0; // expected-note {{'x' declared here}}
  GO(x); // expected-warning {{captures by reference the local 'x'}}
}

void in_a_block(bool c) {
  if (c) {
    int x = 0; // expected-note {{'x' declared here}}
    spawn [&] { use(x); }; // expected-warning {{local 'x'}}
  }
  cprime::sleep_for(std::chrono::milliseconds(1)); // too late: x is gone
}

void early_return(bool c, cprime::wait_group& wg) {
  int x = 0; // expected-note {{'x' declared here}}
  wg.add(1);
  spawn [&] { use(x); wg.done(); }; // expected-warning {{local 'x'}}
  if (c)
    return;
  wg.wait();
}

// --- no warning ------------------------------------------------------------

void by_value() {
  int x = 0;
  spawn [=] { use(x); };
  spawn { use(x); };
  spawn use(x);
}

void structured() {
  int x = 0;
  parallel {
    spawn [&] { use(x); };
    spawn { use(x); };
    spawn bump(std::ref(x));
  }
  timeout (std::chrono::milliseconds(5)) {
    spawn { use(x); };
  }
  cprime::task_group g;
  g.spawn([&] { use(x); });
  auto s = cprime::spawn_scoped([&] { use(x); });
  co_await s;
  co_await g.join_all();
}

// The Go idiom: wait for the tasks before the locals go.
void waits(int n) {
  cprime::wait_group wg;
  int total = 0;
  wg.add(n);
  for (int i = 0; i < n; ++i)
    spawn [&wg, &total] { ++total; wg.done(); };
  wg.wait();
}

void waits_on_channel() {
  int x = 0;
  cprime::channel<int> done(1);
  spawn [&x, done] { ++x; co_await done.send(1); };
  co_await done.recv();
}

void handle_kept() {
  int x = 0;
  auto h = spawn [&] { use(x); };
  co_await h;
}

void references_and_globals(int& r) {
  static int s = 0;
  spawn [&] { use(r + s); };
}
