// cprime/select.hpp — the runtime side of `select` (docs/lowering.md).
//
// Example (what the rewriter emits for a `select { … }`, and how to write a
// select by hand without the plugin):
//
//   #include <cprime/select.hpp>
//
//   cprime::typed_case a(jobs.recv());        // `int x = jobs.recv() =>`
//   cprime::select_case b(ctl.recv());        // `auto s = ctl.recv() =>`
//   cprime::select_case c(out.send(v));       // `auto r = out.send(v) =>`
//   cprime::select_case d(cprime::select_after(1s)); // `_ = cprime::after(1s) =>`
//   switch (cprime::select(cprime::no_default, a, b, c, d)) {
//     case 0: { int x = a.take(); use(x); break; }
//     case 1: { std::optional<Msg> s = b.take(); if (!s) stop(); break; }
//     case 2: { if (c.take().is_err()) done(); break; }
//     case 3: late(); break;
//   }
//
// Rules: arm operands are evaluated before select() (by the caller); among
// ready arms one is chosen uniformly at random; with `with_default` and no
// arm ready, select returns -1 at once; otherwise it parks until an arm can
// fire. A nil channel is never ready. A typed_case is disabled once its
// channel is closed and drained; a select_case receive on a closed channel
// fires with std::nullopt, a send on a closed channel fires with an error
// result handing the value back. When no arm can ever fire (only nil
// channels and disabled typed arms, no default), select throws
// cprime::channel_closed — also while parked, when the last channel that
// could fire closes.
//
// A `_ = cprime::after(d) =>` arm is lowered to select_case(select_after(d)):
// a deadline d after the select starts waiting, with no channel behind it (a
// select_case over after()'s channel behaves the same, but allocates one).
// The clock is read only when no channel arm is ready at once, so a select
// that proceeds at once never reads it; its deadline is then fixed for the
// rest of the select (a retry after a close does not move it).
//
// Known to the rewriter (rewriter/LowerSelect.cpp): the names select_case,
// typed_case, select_after, select, no_default, with_default and take().
// Changes here must also be made there and in docs/lowering.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "cprime/channel.hpp"
#include "cprime/detail/channel_core.hpp"

namespace cprime {

// no_default / with_default: the first argument of select(), saying whether
// the select has a `default` arm.
struct no_default_t {
  explicit no_default_t() = default;
};
struct with_default_t {
  explicit with_default_t() = default;
};
inline constexpr no_default_t no_default{};
inline constexpr with_default_t with_default{};

// after_arm is an after arm's timeout (see select_after()).
struct after_arm {
  std::chrono::steady_clock::duration timeout;
};

// select_after(d) is the arm `_ = cprime::after(d) =>`: ready once d has
// passed since the select began waiting (d <= 0: at once). Saturates: a
// timeout past the clock's range never fires.
template <class Rep, class Period>
after_arm select_after(std::chrono::duration<Rep, Period> d) noexcept {
  using D = std::chrono::steady_clock::duration;
  if (d <= d.zero()) return {D::zero()};
  if (std::chrono::duration<long double, std::nano>(d) >= std::chrono::duration<long double, std::nano>(D::max()))
    return {D::max()};
  return {std::chrono::ceil<D>(d)};
}

namespace detail {
// select_access lets select() reach the select_arm inside each case.
struct select_access {
  template <class Case>
  static select_arm* arm(Case& c) noexcept {
    return &c.arm_;
  }
};
}  // namespace detail

template <class Op>
class select_case;

// select_case<recv_op<T>> is a receive arm that fires with std::nullopt on a
// closed, drained channel. Non-movable: select() points into it.
template <class T>
class select_case<recv_op<T>> {
 public:
  explicit select_case(recv_op<T> op) noexcept : ch_(std::move(op.ch_)) { init(); }
  explicit select_case(channel<T> ch) noexcept : ch_(std::exchange(ch.core_, nullptr), true) { init(); }
  select_case(const select_case&) = delete;
  select_case& operator=(const select_case&) = delete;
  ~select_case() {
    if (arm_.result == detail::chan_status::ok) slot_.destroy();
  }

  // take() is what the arm received: the item, or std::nullopt if the
  // channel was closed and drained. Precondition: this arm fired; call once.
  std::optional<T> take() {
    if (arm_.result != detail::chan_status::ok) return std::nullopt;
    arm_.result = detail::chan_status::closed;
    return std::optional<T>(slot_.take());
  }

 private:
  friend struct detail::select_access;
  void init() noexcept {
    arm_.core = ch_.get();
    arm_.elem = slot_.raw();
  }
  detail::chan_ref ch_;
  detail::select_arm arm_;
  detail::recv_slot<T> slot_;
};

// select_case<send_op<T>> is a send arm; take() is its send_result (an
// error result handing the value back if the channel was closed).
template <class T>
class select_case<send_op<T>> {
 public:
  explicit select_case(send_op<T> op) noexcept(std::is_nothrow_move_constructible_v<T>)
      : ch_(std::move(op.ch_)), item_(std::move(op.item_)) {
    arm_.core = ch_.get();
    arm_.elem = &item_;
    arm_.is_send = true;
  }
  select_case(const select_case&) = delete;
  select_case& operator=(const select_case&) = delete;

  // take() is the arm's result: ok, or closed with value() handing the item
  // back. Precondition: this arm fired; call once.
  send_result<T> take() { return send_result<T>::make(arm_.result, item_); }

 private:
  friend struct detail::select_access;
  detail::chan_ref ch_;
  T item_;
  detail::select_arm arm_;
};

// select_case<after_arm> is an after arm: it fires once its deadline has
// passed and no other arm fired first. take() is its deadline (what Go's
// time.After would deliver, give or take the lateness).
template <>
class select_case<after_arm> {
 public:
  explicit select_case(after_arm a) noexcept {
    arm_.timed = true;
    arm_.timeout = a.timeout;
  }
  select_case(const select_case&) = delete;
  select_case& operator=(const select_case&) = delete;

  std::chrono::steady_clock::time_point take() const noexcept { return arm_.deadline; }

 private:
  friend struct detail::select_access;
  detail::select_arm arm_;
};

select_case(after_arm) -> select_case<after_arm>;

template <class T>
select_case(recv_op<T>) -> select_case<recv_op<T>>;
template <class T>
select_case(send_op<T>) -> select_case<send_op<T>>;
template <class T>
select_case(channel<T>) -> select_case<recv_op<T>>;

// typed_case<T> is a receive arm that fires only with an item: it is
// disabled once its channel is closed and drained.
template <class T>
class typed_case {
 public:
  explicit typed_case(recv_op<T> op) noexcept : ch_(std::move(op.ch_)) { init(); }
  explicit typed_case(channel<T> ch) noexcept : ch_(std::exchange(ch.core_, nullptr), true) { init(); }
  typed_case(const typed_case&) = delete;
  typed_case& operator=(const typed_case&) = delete;
  ~typed_case() {
    if (arm_.result == detail::chan_status::ok) slot_.destroy();
  }

  // take() is the received item. Precondition: this arm fired; call once.
  T take() {
    arm_.result = detail::chan_status::closed;
    return slot_.take();
  }

 private:
  friend struct detail::select_access;
  void init() noexcept {
    arm_.core = ch_.get();
    arm_.elem = slot_.raw();
    arm_.typed = true;
  }
  detail::chan_ref ch_;
  detail::select_arm arm_;
  detail::recv_slot<T> slot_;
};

template <class T>
typed_case(recv_op<T>) -> typed_case<T>;
template <class T>
typed_case(channel<T>) -> typed_case<T>;

namespace detail {
template <bool HasDefault, class... Cases>
int select_dispatch(Cases&... cases) {
  constexpr std::size_t n = sizeof...(Cases);
  select_arm* arms[n + 1] = {select_access::arm(cases)..., nullptr};
  uint32_t order[n + 1];
  chan_core* locks[n + 1];
  return select_run(arms, n, HasDefault, order, locks);
}
}  // namespace detail

// select(no_default, cases…) fires exactly one arm and returns its index
// (0-based, argument order), parking the coroutine (or blocking the plain
// thread) until one is ready. Throws cprime::channel_closed when no arm can
// ever fire, cprime::cancelled when the coroutine is cancelled (checked on
// entry and while parked).
template <class... Cases>
CPRIME_SUSPENDS int select(no_default_t, Cases&... cases) {
  return detail::select_dispatch<false>(cases...);
}

// select(with_default, cases…) fires one ready arm and returns its index,
// or returns -1 at once if none is ready. Never parks.
template <class... Cases>
int select(with_default_t, Cases&... cases) {
  return detail::select_dispatch<true>(cases...);
}

}  // namespace cprime
