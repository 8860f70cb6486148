// Each check is a warning group of its own. Every silencing form that
// docs/checks/README.md ("Silencing") documents is exercised here:
// -fplugin-arg-cprime-W… (Clang says nothing), the plain -W… spelling
// (applied, but Clang first warns about an option it does not know, an error
// under -Werror), -w, -Werror, and in enabled files `#pragma clang|GCC
// diagnostic` and _Pragma with push/pop, at file scope and in a body,
// without moving any column.
// RUN: split-file %s %t
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify=all %t/hazards.cpp
// RUN: %clangxx_cprime -fsyntax-only -Wno-unknown-warning-option -Wno-cprime-lock-across-suspend -Xclang -verify=nolock %t/hazards.cpp
// RUN: %clangxx_cprime -fsyntax-only -fplugin-arg-cprime-Wno-cprime-lock-across-suspend -Xclang -verify=nolock %t/hazards.cpp
// RUN: %clangxx_cprime -fsyntax-only -Wno-unknown-warning-option -Wno-cprime -Xclang -verify=none %t/hazards.cpp
// RUN: %clangxx_cprime -fsyntax-only -w -Xclang -verify=none %t/hazards.cpp
// RUN: not %clangxx_cprime -fsyntax-only -Wno-unknown-warning-option -Werror=cprime-blocking-call %t/hazards.cpp 2>&1 | FileCheck --check-prefix=ERR %s
// RUN: not %clangxx_cprime -fsyntax-only -Werror %t/hazards.cpp 2>&1 | FileCheck --check-prefix=WERROR %s
// RUN: %clangxx_cprime -fsyntax-only -Werror -fplugin-arg-cprime-Wno-error=cprime-blocking-call -Wno-unknown-warning-option -Wno-cprime-lock-across-suspend -Wno-cprime-tls-across-suspend -Wno-cprime-dangling-capture %t/hazards.cpp 2>&1 | FileCheck --check-prefix=NOERR %s
// RUN: %clangxx_cprime -fsyntax-only -Wno-cprime-lock-across-suspend %t/hazards.cpp 2>&1 | FileCheck --check-prefix=PLAIN %s
// RUN: not %clangxx_cprime -fsyntax-only -Werror -Wno-cprime-lock-across-suspend %t/hazards.cpp 2>&1 | FileCheck --check-prefix=PLAIN-WERROR %s
// RUN: not %clangxx_cprime -fsyntax-only -Werror -fplugin-arg-cprime-Wno-cprime-lock-across-suspend %t/hazards.cpp 2>&1 | FileCheck --check-prefix=ARG-WERROR %s
// RUN: %clangxx_cprime -fsyntax-only -Werror -fplugin-arg-cprime-Wno-cprime -Xclang -verify=none %t/hazards.cpp
// RUN: not %clangxx_cprime -fsyntax-only -fplugin-arg-cprime-Werror=cprime -fplugin-arg-cprime-Wno-cprime-blocking-call %t/hazards.cpp 2>&1 | FileCheck --check-prefix=ARG-ERROR %s
// RUN: %clangxx_cprime -fsyntax-only -Xclang -verify %t/pragmas.cpp
// RUN: %clangxx_cprime -fsyntax-only -Werror -Xclang -verify=werror %t/pragmas-werror.cpp
// RUN: %clangxx_cprime -fsyntax-only -Wunused-variable %t/columns.cpp 2>&1 | FileCheck --check-prefix=COL %s
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
// PLAIN: warning: unknown warning option '-Wno-cprime-lock-across-suspend'
// PLAIN-NOT: held by
// PLAIN: hazards.cpp:13:5: warning: blocking call
// PLAIN-NOT: held by
// PLAIN-WERROR: error: unknown warning option '-Wno-cprime-lock-across-suspend'
// ARG-WERROR-NOT: unknown warning option
// ARG-WERROR-NOT: held by
// ARG-WERROR: hazards.cpp:13:5: error: blocking call
// ARG-WERROR-NOT: held by
// ARG-ERROR: hazards.cpp:9:19: error: 'std::mutex' held by 'g'
// ARG-ERROR-NOT: blocking call
// The rename of a pragma keeps every column: the lock after a _Pragma on
// the same line, and Clang's own warning after it.
// COL: columns.cpp:7:96: warning: unused variable 'unused'
// COL: columns.cpp:7:86: warning: 'std::mutex' held by 'g'
// COL: columns.cpp:8:3: note: 'cprime::await' may suspend here

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

// GCC's spelling, which Clang also accepts.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcprime-lock-across-suspend"
void gcc_silenced() {
  std::lock_guard g(m);
  co_await ch.recv();
}
#pragma GCC diagnostic pop

// In a body: what counts is the level at the line the warning points at
// (the lock), not at the suspension point.
void in_body() {
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wcprime-lock-across-suspend"
  std::lock_guard g(m);
#pragma clang diagnostic pop
  co_await ch.recv();
}
void in_body_at_the_note() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wcprime-lock-across-suspend"
  co_await ch.recv(); // expected-note {{may suspend here}}
#pragma clang diagnostic pop
}

// _Pragma from a macro of this file, and as a statement.
#define ALLOW_LOCKS _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wcprime-lock-across-suspend\"")
#define END_ALLOW _Pragma("clang diagnostic pop")
ALLOW_LOCKS
void macro_silenced() {
  std::lock_guard g(m);
  co_await ch.recv();
}
END_ALLOW
void after_macro_pop() {
  std::lock_guard g(m); // expected-warning {{held by 'g'}}
  co_await ch.recv(); // expected-note {{may suspend here}}
}
void statement_pragma() {
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wcprime-lock-across-suspend\"")
  std::lock_guard g(m);
  _Pragma("GCC diagnostic pop")
  co_await ch.recv();
}

//--- pragmas-werror.cpp
// Under -Werror a pragma naming a check neither fails the compile (Clang
// never sees the group) nor stops the others from being errors.
#pragma cprime
#include <cprime/cprime.hpp>
#include <mutex>
#include <thread>
std::mutex m;
cprime::channel<int> ch(1);
#pragma clang diagnostic ignored "-Wcprime-lock-across-suspend"
#pragma GCC diagnostic warning "-Wcprime-blocking-call" // still an error under -Werror, as for Clang
void f() {
  std::lock_guard g(m);
  co_await ch.recv();
  spawn {
    std::this_thread::sleep_for(std::chrono::milliseconds(1)); // werror-error {{blocking call}}
  };
}

//--- columns.cpp
#pragma cprime
#include <cprime/cprime.hpp>
#include <mutex>
std::mutex m;
cprime::channel<int> ch(1);
void f() {
  _Pragma("GCC diagnostic warning \"-Wcprime-lock-across-suspend\"") std::lock_guard g(m); int unused = 0;
  co_await ch.recv();
}

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
