// runtime/dump.hpp — private: dumps, the deadlock report, the hog watch, the
// coarse clock and the debugger contract (dump.cpp). Not installed.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace cprime::detail {

enum class dump_why { api, sigquit, deadlock };
void dump_to_stderr(dump_why why) noexcept;
[[noreturn]] void check_deadlock_and_exit() noexcept;  // called by the monitor
// capture_frame(out) stores the caller's callee-saved registers, return
// address and stack pointer (dump.cpp, assembly): enough to unwind the
// caller's stack later, while it stays blocked below that call.
extern "C" void cprime_detail_capture_frame(uint64_t* out) noexcept;
// monitor_tick() is the monitor's every-10-ms hook: refreshes the coarse
// clock and runs the hog watch.
void monitor_tick() noexcept;
// install_signal_handlers() (from monitor_ensure_started): SIGQUIT's dump
// (policy in dump.cpp, CPRIME_SIGQUIT) and the stack-sampling signal.
void install_signal_handlers(void (*sigquit_handler)(int)) noexcept;
// on_sigquit_dump() runs on the monitor when SIGQUIT arrived.
void on_sigquit_dump() noexcept;
// coarse_now_ms(): steady-clock milliseconds as of the monitor's last tick
// (at most ~10 ms old while a runtime exists); one load, for park().
extern "C" std::atomic<int64_t> cprime_debug_now_ms;
inline int64_t coarse_now_ms() noexcept { return cprime_debug_now_ms.load(std::memory_order_relaxed); }
int64_t steady_ms() noexcept;
int64_t default_hog_ms() noexcept;  // dump.cpp: CPRIME_HOG_MS, else 100
extern "C" void* const* cprime_debug_runtimes;  // dump.cpp: the registry, for debuggers
extern "C" std::size_t cprime_debug_nruntimes;

}  // namespace cprime::detail
