// cprime/detail/site.hpp — where a coroutine was spawned.
//
// Known to the rewriter: it emits `::cprime::here()` where `spawn` stood.
#pragma once

#include <source_location>

namespace cprime {

// site names a source position (file:line) for diagnostics: the detached-task
// exception report and cprime::dump(). `file == nullptr` means unknown.
struct site {
  const char* file = nullptr;
  unsigned line = 0;
};

// here() returns the site of its caller (a default argument is evaluated at
// the call), honouring #line.
inline site here(std::source_location loc = std::source_location::current()) noexcept {
  return site{loc.file_name(), static_cast<unsigned>(loc.line())};
}

}  // namespace cprime
