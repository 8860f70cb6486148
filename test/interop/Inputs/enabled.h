// A user header that opts in: rewritten like a main file.
#pragma once
#include <cprime/cprime.hpp>
#include <cstdio>

inline int header_defer(int x) {
  int out = x;
  {
    defer out *= 2;
    out += 1;
  }
  return out;
}
