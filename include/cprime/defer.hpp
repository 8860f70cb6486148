// cprime/defer.hpp — run a callable when the enclosing block exits.
//
// `defer stmt;` and `defer { … }` in a CPrime-enabled file lower to a guard
// from cprime::defer(), a local of the enclosing block. Its destructor runs
// the callable on every exit of that block — normal exit, `return`, `break`,
// an exception, cancellation — and guards run in reverse order of
// declaration, like any C++ locals:
//
//   #include <cprime/cprime.hpp>
//
//   void copy(const char* from, const char* to) {
//     FILE* in = std::fopen(from, "rb");
//     if (!in) return;
//     defer std::fclose(in);            // runs second
//     FILE* out = std::fopen(to, "wb");
//     if (!out) return;                 // closes `in` only
//     defer { std::fflush(out); std::fclose(out); }   // runs first
//     …
//   }
//
// which the rewriter spells (one line each, as written):
//
//     auto __cprime_defer1 = ::cprime::defer([&]() { std::fclose(in); });
//     auto __cprime_defer2 = ::cprime::defer([&]() { std::fflush(out); std::fclose(out); });
//
// The same call works in plain C++ (`auto d = cprime::defer([&] { … });`).
// The guard cannot be copied or moved: guaranteed copy elision builds it in
// place, so the callable runs exactly once. If the callable throws while the
// block is already unwinding from an exception, std::terminate is called, as
// for any destructor.
//
// Known to the rewriter (rewriter/LowerDefer.cpp, docs/lowering.md): the name
// cprime::defer and its one-callable signature.
#pragma once

#include <type_traits>
#include <utility>

// Known to the rewriter (rewriter/LowerDefer.cpp): a `defer` in a #define
// body names its guard CPRIME_DETAIL_CAT(__cprime_mdefer, __COUNTER__), so a
// SCOPE_EXIT-style macro used twice in one block declares two guards.
#define CPRIME_DETAIL_CAT_(a, b) a##b
#define CPRIME_DETAIL_CAT(a, b) CPRIME_DETAIL_CAT_(a, b)

namespace cprime {

// defer_guard<F> calls its F once, in its destructor.
template <class F>
class [[nodiscard("a discarded defer guard runs its callable at once; "
                  "name it: auto guard = cprime::defer(...)")]] defer_guard {
 public:
  static_assert(!std::is_reference_v<F>,
                "cprime::defer stores the callable by value; pass a lambda");
  static_assert(std::is_invocable_v<F&>,
                "cprime::defer needs a callable taking no arguments, e.g. "
                "cprime::defer([&] { close(f); })");

  explicit defer_guard(F f) noexcept(std::is_nothrow_move_constructible_v<F>)
      : fn_(std::move(f)) {}
  defer_guard(const defer_guard&) = delete;
  defer_guard& operator=(const defer_guard&) = delete;
  defer_guard(defer_guard&&) = delete;
  defer_guard& operator=(defer_guard&&) = delete;
  ~defer_guard() noexcept(noexcept(std::declval<F&>()())) { fn_(); }

 private:
  F fn_;
};

// defer(f) returns a guard that calls f() when it goes out of scope.
template <class F>
[[nodiscard("a discarded defer guard runs its callable at once; name it: "
            "auto guard = cprime::defer(...)")]]
defer_guard<std::decay_t<F>> defer(F&& f) {
  static_assert(std::is_invocable_v<std::decay_t<F>&>,
                "cprime::defer needs a callable taking no arguments, e.g. "
                "cprime::defer([&] { close(f); })");
  return defer_guard<std::decay_t<F>>(std::forward<F>(f));
}

}  // namespace cprime
