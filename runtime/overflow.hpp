// runtime/overflow.hpp — private: stack overflow reports (overflow.cpp;
// docs/runtime.md, "Stacks"). Not installed.
#pragma once

namespace cprime::detail {

struct fiber;

// overflow_handler_install() installs the process's SIGSEGV handler once
// (idempotent); overflow_thread_start()/stop() give the calling worker
// thread an alternate signal stack, which the handler runs on (the faulting
// stack has no room left).
void overflow_handler_install() noexcept;
void overflow_thread_start() noexcept;
void overflow_thread_stop() noexcept;
// stack_overflow(f, addr, how) reports that f overflowed its stack and
// aborts: "coroutine N spawned at file:line overflowed its K KiB stack".
[[noreturn]] void stack_overflow(const fiber* f, const void* addr, const char* how) noexcept;

}  // namespace cprime::detail
