// Each check is a warning group of its own: -W options (also passed as
// -fplugin-arg-cprime-W…, which Clang does not warn about) and
// `#pragma clang diagnostic` with push/pop set its level.
// RUN: split-file %s %t
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify=all %t/hazards.cpp
// RUN: %clangxx_cprime -fsyntax-only -Wno-unknown-warning-option -Wno-cprime-lock-across-suspend -Xclang -verify=nolock %t/hazards.cpp
// RUN: %clangxx_cprime -fsyntax-only -fplugin-arg-cprime-Wno-cprime-lock-across-suspend -Xclang -verify=nolock %t/hazards.cpp
// RUN: %clangxx_cprime -fsyntax-only -Wno-unknown-warning-option -Wno-cprime -Xclang -verify=none %t/hazards.cpp
// RUN: %clangxx_cprime -fsyntax-only -w -Xclang -verify=none %t/hazards.cpp
// RUN: not %clangxx_cprime -fsyntax-only -Wno-unknown-warning-option -Werror=cprime-blocking-call %t/hazards.cpp 2>&1 | FileCheck --check-prefix=ERR %s
// RUN: not %clangxx_cprime -fsyntax-only -Werror %t/hazards.cpp 2>&1 | FileCheck --check-prefix=WERROR %s
// RUN: %clangxx_cprime -fsyntax-only -Werror -fplugin-arg-cprime-Wno-error=cprime-blocking-call -Wno-unknown-warning-option -Wno-cprime-lock-across-suspend -Wno-cprime-tls-across-suspend -Wno-cprime-dangling-capture %t/hazards.cpp 2>&1 | FileCheck --check-prefix=NOERR %s
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/pragmas.cpp
// RUN: not %clangxx_cprime -fplugin-arg-cprime-Wbogus -fsyntax-only %t/pragmas.cpp 2>&1 | FileCheck --check-prefix=BADARG %s
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/main.cpp
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/plain.cpp

// ERR: hazards.cpp:9:19: warning: 'std::mutex' held by 'g'
// ERR: hazards.cpp:13:5: error: blocking call to 'std::this_thread::sleep_for'
// WERROR: hazards.cpp:9:19: error: 'std::mutex' held by 'g'
// WERROR: hazards.cpp:13:5: error: blocking call
// NOERR: hazards.cpp:13:5: warning: blocking call
// NOERR-NOT: error
// BADARG: error: unknown argument 'Wbogus' to the cprime plugin

//--- hazards.cpp
#pragma cprime
#include <cprime/cprime.hpp>
#include <mutex>
#include <thread>
std::mutex m;
cprime::channel<int> ch(1);
// none-no-diagnostics
void f() {
  std::lock_guard g(m); // all-warning {{held by 'g'}} all-note@+1 {{may suspend here}}
  co_await ch.recv();
  spawn {
    // all-warning@+1 {{blocking call}} nolock-warning@+1 {{blocking call}}
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
}

//--- pragmas.cpp
#pragma cprime
#include <cprime/cprime.hpp>
#include <mutex>
std::mutex m;
cprime::channel<int> ch(1);

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wcprime-lock-across-suspend"
void silenced() {
  std::lock_guard g(m);
  co_await ch.recv();
}
#pragma clang diagnostic pop

void after_pop() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  co_await ch.recv(); // expected-note {{may suspend here}}
}

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wcprime"
void all_silenced() {
  std::lock_guard g(m);
  co_await ch.recv();
}
#pragma clang diagnostic pop

#pragma clang diagnostic push
#pragma clang diagnostic error "-Wcprime-lock-across-suspend"
void as_error() {
  std::lock_guard g(m); // expected-error {{held by 'g'}}
  co_await ch.recv(); // expected-note {{may suspend here}}
}
#pragma clang diagnostic pop

#pragma clang diagnostic ignored "-Wcprime-lock-across-suspnd" // expected-warning {{unknown warning group '-Wcprime-lock-across-suspnd', ignored}}

//--- hazard.h
#pragma once
#pragma cprime
#include <cprime/cprime.hpp>
#include <mutex>
inline std::mutex hm;
inline cprime::channel<int> hch(1);
inline void in_header() {
  std::lock_guard g(hm); // expected-warning {{held by 'g'}}
  co_await hch.recv(); // expected-note {{may suspend here}}
}

//--- main.cpp
// An enabled header is analysed; so is the main file, and a plain header's
// marked function is seen from it.
#pragma cprime
#include "hazard.h"
#include "plain.h"
void in_main() {
  std::lock_guard g(hm); // expected-warning {{held by 'g'}}
  co_await hch.recv(); // expected-note {{may suspend here}}
}
void marked_in_plain_header() {
  std::lock_guard g(pm); // expected-warning {{held by 'g'}}
  wait_peer(); // expected-note {{'wait_peer' may suspend here}}
}

//--- plain.h
// Does not opt in: no `#pragma cprime`, no `#include <cprime/…>`.
#pragma once
#include <mutex>
#include <thread>
inline std::mutex pm;
[[clang::annotate("cprime::suspends")]] void wait_peer();
inline void plain_header() {
  std::lock_guard g(pm);
  wait_peer();
}

//--- plain.cpp
// A file that does not opt in is never analysed, nor is a header that does
// not (the same hazards in enabled files warn: see main.cpp).
// expected-no-diagnostics
#include "plain.h"
void plain_main() {
  std::lock_guard g(pm);
  wait_peer();
}
void plain_spawned() {
  int x = 0;
  std::thread([&] { std::this_thread::sleep_for(std::chrono::milliseconds(x)); }).join();
}
