// cprime/channel.hpp — channel<T>: Go-style typed channels.
//
// Example:
//
//   #include <cprime/channel.hpp>
//   #include <cprime/task.hpp>                  // spawn
//
//   cprime::channel<int> jobs(16);             // buffered, capacity 16
//   cprime::channel<int> results;              // unbuffered
//
//   cprime::spawn([=] {                        // a producer
//     for (int i = 0; i < 100; ++i) cprime::await(jobs.send(i));
//     jobs.close();                            // receivers drain, then stop
//   });
//   cprime::spawn([=] {                        // a worker
//     for (int job : jobs) cprime::await(results.send(job * job));
//     results.close();
//   });
//   long sum = 0;
//   while (std::optional<int> r = cprime::await(results.recv())) sum += *r;
//
//   if (auto r = jobs.try_send(7); r.is_closed()) use(r.value());  // handed back
//   if (auto r = results.recv_timeout(10ms); r.is_timeout()) { … }
//   auto t = cprime::after(1s);                // receives once, in 1 s
//   cprime::await(t.recv());
//
// Rules (docs/channels.md): every item is received by exactly one receiver;
// a sender finding a parked receiver hands the item straight to it; close()
// wakes every waiter; after close, receives drain the buffer and then return
// empty, and sends fail with the item handed back (Go would panic). A nil
// channel (`channel<T> c = nullptr;`) blocks plain sends and receives forever
// (until cancelled) and is never ready in a select.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "cprime/detail/channel_core.hpp"
#include "cprime/detail/op.hpp"
#include "cprime/errors.hpp"

namespace cprime {

template <class T>
class channel;
template <class Op>
class select_case;
template <class T>
class typed_case;

// send_result<T> is the outcome of a send: ok, or an error (full, closed,
// timed out) that hands the unsent item back through value().
template <class T>
class send_result {
 public:
  bool is_ok() const noexcept { return status_ == detail::chan_status::ok; }
  bool is_err() const noexcept { return !is_ok(); }
  // is_full() is true when a try_send found no receiver and no buffer room
  // (or the channel is nil).
  bool is_full() const noexcept { return status_ == detail::chan_status::would_block; }
  bool is_closed() const noexcept { return status_ == detail::chan_status::closed; }
  bool is_timeout() const noexcept { return status_ == detail::chan_status::timed_out; }

  // value() is the unsent item. Precondition: is_err(); throws
  // std::bad_optional_access otherwise.
  T& value() & { return item_.value(); }
  const T& value() const& { return item_.value(); }
  T&& value() && { return std::move(item_.value()); }

 private:
  template <class>
  friend class channel;
  template <class>
  friend class send_op;
  template <class>
  friend class select_case;

  explicit send_result(detail::chan_status s) noexcept : status_(s) {}
  send_result(detail::chan_status s, T&& unsent) : status_(s), item_(std::move(unsent)) {}
  static send_result make(detail::chan_status s, T& item) {
    if (s == detail::chan_status::ok) return send_result(s);
    return send_result(s, std::move(item));
  }

  detail::chan_status status_;
  std::optional<T> item_;
};

// recv_result<T> is the outcome of try_recv/recv_timeout: an item, or why
// there is none (empty now, closed and drained, timed out).
template <class T>
class recv_result {
 public:
  bool has_value() const noexcept { return item_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  // value()/operator*/operator-> access the item. value() throws
  // std::bad_optional_access without one; * and -> require has_value().
  T& value() & { return item_.value(); }
  const T& value() const& { return item_.value(); }
  T&& value() && { return std::move(item_.value()); }
  T& operator*() & noexcept { return *item_; }
  const T& operator*() const& noexcept { return *item_; }
  T&& operator*() && noexcept { return std::move(*item_); }
  T* operator->() noexcept { return &*item_; }
  const T* operator->() const noexcept { return &*item_; }
  // is_empty() is true when try_recv found nothing (or the channel is nil).
  bool is_empty() const noexcept { return status_ == detail::chan_status::would_block; }
  // is_closed() is true when the channel is closed and drained.
  bool is_closed() const noexcept { return status_ == detail::chan_status::closed; }
  bool is_timeout() const noexcept { return status_ == detail::chan_status::timed_out; }

 private:
  template <class>
  friend class channel;

  explicit recv_result(detail::chan_status s) noexcept : status_(s) {}
  explicit recv_result(T&& item) : status_(detail::chan_status::ok), item_(std::move(item)) {}

  detail::chan_status status_;
  std::optional<T> item_;
};

namespace detail {

// recv_slot<T> is raw storage the core constructs a received item in.
template <class T>
class recv_slot {
 public:
  recv_slot() noexcept {}
  recv_slot(const recv_slot&) = delete;
  recv_slot& operator=(const recv_slot&) = delete;
  ~recv_slot() {}
  void* raw() noexcept { return &item_; }
  // take() moves the item out and destroys it. Precondition: constructed.
  T take() {
    T v(std::move(item_));
    item_.~T();
    return v;
  }
  void destroy() noexcept { item_.~T(); }

 private:
  union {
    T item_;
  };
};

template <class T>
std::optional<T> recv_optional(chan_core* c, chan_wait wait, clock::duration timeout) {
  recv_slot<T> slot;
  if (chan_recv(c, slot.raw(), wait, timeout) != chan_status::ok) return std::nullopt;
  return std::optional<T>(slot.take());
}

struct adopt_t {
  explicit adopt_t() = default;
};

}  // namespace detail

// send_op<T> is the awaitable `ch.send(v)`: it does nothing until performed
// by cprime::await (or co_await in a C++20 coroutine, or a select arm).
// Its result is ok, or closed with the item handed back.
template <class T>
class [[nodiscard]] send_op : public detail::op_base<send_op<T>, send_result<T>> {
 public:
  // perform() sends, parking the current coroutine (or blocking the plain
  // thread) until a receiver or buffer room takes the item or the channel
  // closes. A nil channel waits forever (until cancelled).
  CPRIME_SUSPENDS send_result<T> perform() && {
    detail::chan_status s =
        detail::chan_send(ch_.get(), &item_, detail::chan_wait::forever, {});
    return send_result<T>::make(s, item_);
  }

 private:
  friend class channel<T>;
  template <class>
  friend class select_case;
  send_op(detail::chan_ref ch, T&& item) : ch_(std::move(ch)), item_(std::move(item)) {}
  detail::chan_ref ch_;
  T item_;
};

// recv_op<T> is the awaitable `ch.recv()`: its result is the next item, or
// std::nullopt once the channel is closed and drained.
template <class T>
class [[nodiscard]] recv_op : public detail::op_base<recv_op<T>, std::optional<T>> {
 public:
  // perform() receives, parking until an item arrives or the channel is
  // closed and drained. A nil channel waits forever (until cancelled).
  CPRIME_SUSPENDS std::optional<T> perform() && {
    return detail::recv_optional<T>(ch_.get(), detail::chan_wait::forever, {});
  }

 private:
  friend class channel<T>;
  template <class>
  friend class select_case;
  template <class>
  friend class typed_case;
  explicit recv_op(detail::chan_ref ch) noexcept : ch_(std::move(ch)) {}
  detail::chan_ref ch_;
};

// channel<T> is a handle to a channel of T: copies share one channel (like
// shared_ptr); every operation is const. T must be move-constructible;
// a move constructor that throws terminates the program.
template <class T>
class channel {
  static_assert(std::is_object_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T> && !std::is_array_v<T>,
                "channel<T>: T must be a non-const, non-array object type; use a pointer or "
                "std::reference_wrapper to pass references");
  static_assert(std::is_move_constructible_v<T>, "channel<T>: T must be move-constructible");

 public:
  using value_type = T;
  class iterator;

  // channel() makes an unbuffered channel: a send completes only when a
  // receiver takes the item.
  channel() : core_(detail::chan_make(&detail::elem_ops_for<T>, 0)) {}
  // channel(n) makes a channel buffering up to n items (0: unbuffered).
  // Throws std::invalid_argument for n < 0.
  template <std::integral N>
    requires(!std::same_as<N, bool>)
  explicit channel(N capacity) : core_(detail::chan_make(&detail::elem_ops_for<T>, checked(capacity))) {}
  // channel(nullptr) is the nil channel: never ready, blocks forever.
  channel(std::nullptr_t) noexcept {}
  // channel(adopt_t, c) takes over one reference to c (runtime internal).
  channel(detail::adopt_t, detail::chan_core* c) noexcept : core_(c) {}

  channel(const channel& o) noexcept : core_(o.core_) { detail::chan_retain(core_); }
  channel(channel&& o) noexcept : core_(std::exchange(o.core_, nullptr)) {}
  channel& operator=(const channel& o) noexcept {
    detail::chan_retain(o.core_);
    detail::chan_release(std::exchange(core_, o.core_));
    return *this;
  }
  channel& operator=(channel&& o) noexcept {
    if (this != &o) detail::chan_release(std::exchange(core_, std::exchange(o.core_, nullptr)));
    return *this;
  }
  ~channel() { detail::chan_release(core_); }

  // send(v) is the awaitable send of v (see send_op). Made from an lvalue
  // handle, the operation borrows it: perform it while this handle still
  // refers to the channel (`co_await ch.send(v)` and select always do).
  // Made from an rvalue handle, it owns the handle's reference.
  send_op<T> send(T v) const& { return send_op<T>(detail::chan_ref(core_, false), std::move(v)); }
  send_op<T> send(T v) && { return send_op<T>(detail::chan_ref(std::exchange(core_, nullptr), true), std::move(v)); }
  send_op<T> send(T v) const&& { return send_op<T>(retained(), std::move(v)); }
  // recv() is the awaitable receive (see recv_op); it borrows or owns the
  // handle as send() does.
  recv_op<T> recv() const& { return recv_op<T>(detail::chan_ref(core_, false)); }
  recv_op<T> recv() && { return recv_op<T>(detail::chan_ref(std::exchange(core_, nullptr), true)); }
  recv_op<T> recv() const&& { return recv_op<T>(retained()); }

  // try_send(v) sends only if a receiver is waiting or the buffer has room;
  // never blocks. is_full() otherwise (also on a nil channel), is_closed()
  // after close; value() hands v back on failure.
  send_result<T> try_send(T v) const {
    detail::chan_status s = detail::chan_send(core_, &v, detail::chan_wait::never, {});
    return send_result<T>::make(s, v);
  }
  // try_recv() receives only if an item is ready; never blocks.
  recv_result<T> try_recv() const { return recv_with(detail::chan_wait::never, {}); }

  // send_timeout(v, d) blocks (coroutine or thread) for at most d; on
  // timeout, is_timeout() and value() hands v back.
  template <class Rep, class Period>
  send_result<T> send_timeout(T v, std::chrono::duration<Rep, Period> d) const {
    detail::chan_status s = detail::chan_send(core_, &v, detail::chan_wait::within, timeout_of(d));
    return send_result<T>::make(s, v);
  }
  // recv_timeout(d) blocks for at most d; is_timeout() if nothing came.
  template <class Rep, class Period>
  recv_result<T> recv_timeout(std::chrono::duration<Rep, Period> d) const {
    return recv_with(detail::chan_wait::within, timeout_of(d));
  }

  // close() closes the channel and wakes every blocked sender and receiver.
  // Returns true the first time, false after (and on a nil channel).
  bool close() const noexcept { return core_ && detail::chan_close(core_); }
  // size() is the number of buffered items (a snapshot).
  std::size_t size() const noexcept { return core_ ? detail::chan_size(core_) : 0; }
  // capacity() is the buffer capacity given at construction (0: unbuffered).
  std::size_t capacity() const noexcept { return core_ ? core_->cap : 0; }
  // is_closed() is true once close() has been called (a snapshot).
  bool is_closed() const noexcept { return core_ && core_->closed.load(std::memory_order_acquire); }

  // begin()/end(): `for (T v : ch)` receives until the channel is closed
  // and drained, parking as recv() does.
  iterator begin() const { return iterator(core_); }
  std::default_sentinel_t end() const noexcept { return {}; }

  explicit operator bool() const noexcept { return core_ != nullptr; }
  friend bool operator==(const channel& a, const channel& b) noexcept { return a.core_ == b.core_; }
  friend bool operator==(const channel& a, std::nullptr_t) noexcept { return a.core_ == nullptr; }

 private:
  friend class send_op<T>;
  friend class recv_op<T>;
  template <class>
  friend class select_case;
  template <class>
  friend class typed_case;

  detail::chan_ref retained() const noexcept {
    detail::chan_retain(core_);
    return detail::chan_ref(core_, true);
  }
  template <class N>
  static std::size_t checked(N n) {
    if constexpr (std::is_signed_v<N>) {
      if (n < 0) throw std::invalid_argument("cprime::channel: negative capacity");
    }
    return static_cast<std::size_t>(n);
  }
  // timeout_of(d) is d in the clock's unit, rounded up, saturated at
  // duration::max() (never times out); no clock read: the operation reads
  // the clock only if it must wait.
  template <class Rep, class Period>
  static detail::clock::duration timeout_of(std::chrono::duration<Rep, Period> d) noexcept {
    using D = detail::clock::duration;
    if (d <= d.zero()) return D::zero();
    if (std::chrono::duration<long double, std::nano>(d) >= std::chrono::duration<long double, std::nano>(D::max()))
      return D::max();
    return std::chrono::ceil<D>(d);
  }
  recv_result<T> recv_with(detail::chan_wait wait, detail::clock::duration timeout) const {
    detail::recv_slot<T> slot;
    detail::chan_status s = detail::chan_recv(core_, slot.raw(), wait, timeout);
    if (s != detail::chan_status::ok) return recv_result<T>(s);
    return recv_result<T>(slot.take());
  }

  detail::chan_core* core_ = nullptr;
};

// channel<T>::iterator is the input iterator of `for (T v : ch)`: each
// increment receives; it equals end() once the channel is closed and drained.
template <class T>
class channel<T>::iterator {
 public:
  using iterator_concept = std::input_iterator_tag;
  using iterator_category = std::input_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using reference = T&;

  T& operator*() const noexcept { return *item_; }
  T* operator->() const noexcept { return &*item_; }
  iterator& operator++() {
    next();
    return *this;
  }
  void operator++(int) { next(); }
  friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return !it.item_; }

 private:
  friend class channel<T>;
  explicit iterator(detail::chan_core* c) : core_(c) { next(); }
  void next() {
    detail::throw_if_cancelled();
    item_.reset();
    detail::recv_slot<T> slot;
    if (detail::chan_recv(core_, slot.raw(), detail::chan_wait::forever, {}) == detail::chan_status::ok)
      item_.emplace(slot.take());
  }
  detail::chan_core* core_;  // the range-for's range keeps the channel alive
  mutable std::optional<T> item_;
};

using time_channel = channel<std::chrono::steady_clock::time_point>;

// after(d) returns a channel that receives the current time once, at or
// after d from now (buffered, capacity 1: the timer never blocks). d <= 0
// sends at once.
time_channel after(std::chrono::nanoseconds d);
template <class Rep, class Period>
time_channel after(std::chrono::duration<Rep, Period> d) {
  return after(std::chrono::ceil<std::chrono::nanoseconds>(d));
}

// ticker(d) returns a channel that receives the current time every d
// (buffered, capacity 1). Ticks a slow receiver misses are dropped, as in Go.
// The ticker stops once the channel is closed or no handle to it remains.
// Throws std::invalid_argument for d <= 0.
time_channel ticker(std::chrono::nanoseconds d);
template <class Rep, class Period>
time_channel ticker(std::chrono::duration<Rep, Period> d) {
  return ticker(std::chrono::ceil<std::chrono::nanoseconds>(d));
}

}  // namespace cprime
