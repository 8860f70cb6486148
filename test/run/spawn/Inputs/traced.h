// A header that opts in and defines a spawn-wrapping macro: the main file's
// rewriter never sees its body, yet its spawns attach where it is used.
#pragma once
#include <cprime/cprime.hpp>

#include <atomic>

inline std::atomic<int> header_traced{0};
#define HEADER_SPAWN(f, ...) do { ++header_traced; spawn f(__VA_ARGS__); } while (0)
