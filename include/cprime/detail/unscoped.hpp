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

#include <utility>

#include "cprime/detail/site.hpp"
#include "cprime/task.hpp"

namespace cprime::detail {

struct unscoped {
  template <class F, class... A>
  auto spawn(site where, F&& f, A&&... a) const {
    return ::cprime::spawn(where, std::forward<F>(f), std::forward<A>(a)...);
  }
  template <class F, class... A>
  auto spawn_blocking(site where, F&& f, A&&... a) const {
    return ::cprime::spawn_blocking(where, std::forward<F>(f), std::forward<A>(a)...);
  }
};

}  // namespace cprime::detail

// In the global namespace, so that lookup from any namespace finds it when no
// block's scope is nearer. The name is reserved to the implementation.
inline constexpr ::cprime::detail::unscoped __cprime_scope{};
