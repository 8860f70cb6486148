// cprime/detail/unscoped.hpp — where a `spawn` from a macro goes outside any
// structured block.
//
// Known to the rewriter (rewriter/LowerSpawn.cpp, docs/lowering.md): a
// `spawn` in a #define body does not know the block the macro will be used
// in, so it lowers to `__cprime_scope.spawn(::cprime::here(), …)` and lets
// C++ name lookup at the use decide. Inside `parallel`/`timeout` the name is
// the block's `::cprime::scope&` parameter (the innermost block wins);
// elsewhere it is the object below, whose spawn is cprime::spawn: a task
// that is not attached to any block.
#pragma once

// Every block's parameter has that one name, so a nested block's parameter
// shadows the outer block's, and the outermost one shadows the object below:
// -Wshadow-all (-Wshadow-uncaptured-local) would warn in user builds. The
// rewriter wraps the parameter in CPRIME_DETAIL_NOSHADOW, which silences
// shadowing warnings for that declaration only (a user's own shadowing in the
// block still warns). GCC accepts no pragma inside a parameter list, so
// there the declaration stands bare (g++ -Wshadow on cprime-rewrite output
// warns about it).
#if defined(__clang__)
#define CPRIME_DETAIL_NOSHADOW(...)                                   \
  _Pragma("clang diagnostic push")                                    \
  _Pragma("clang diagnostic ignored \"-Wshadow-all\"") __VA_ARGS__ \
  _Pragma("clang diagnostic pop")
#else
#define CPRIME_DETAIL_NOSHADOW(...) __VA_ARGS__
#endif

#include <utility>

#include "cprime/detail/site.hpp"
#include "cprime/task.hpp"

namespace cprime::detail {

struct unscoped {
  template <class F, class... A>
  CPRIME_SPAWNS CPRIME_UNSTRUCTURED auto spawn(site where, F&& f, A&&... a) const {
    return ::cprime::spawn(where, std::forward<F>(f), std::forward<A>(a)...);
  }
  template <class F, class... A>
  CPRIME_SPAWNS_BLOCKING CPRIME_UNSTRUCTURED auto spawn_blocking(site where, F&& f, A&&... a) const {
    return ::cprime::spawn_blocking(where, std::forward<F>(f), std::forward<A>(a)...);
  }
};

}  // namespace cprime::detail

// In the global namespace, so that lookup from any namespace finds it when no
// block's scope is nearer. The name is reserved to the implementation.
inline constexpr ::cprime::detail::unscoped __cprime_scope{};
