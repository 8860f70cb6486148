// runtime/monitor.hpp — private: the monitor thread (monitor.cpp). Not
// installed.
#pragma once

#include <cstddef>

namespace cprime::detail {

// monitor_ensure_started() starts the process's monitor thread once;
// monitor_poke() makes it look again now (a new runtime, an earlier process
// timer, a first parked thread).
void monitor_ensure_started();
void monitor_poke() noexcept;
std::size_t monitor_threads() noexcept;  // 1 once started

}  // namespace cprime::detail
