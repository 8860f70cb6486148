// cprime/broadcast.hpp — broadcast<T>: every subscriber receives every event
// (event notification; a channel instead gives each item to one receiver).
//
//   #include <cprime/broadcast.hpp>
//
//   cprime::broadcast<std::string> bus(16);                 // 16 buffered per subscriber
//   cprime::broadcast<int> ticks(4, cprime::overflow_policy::drop_oldest);
//
//   auto logger = bus.subscribe();                          // subscribe before emitting
//   cprime::spawn([r = std::move(logger)]() mutable {
//     for (std::string e : r) std::puts(e.c_str());         // until bus.close()
//   });
//   bus.emit("started");                                    // reaches every subscriber
//   bus.close();                                            // receivers drain, then end
//
//   // A receiver is channel-like: recv() is awaitable and works in select.
//   auto r = ticks.subscribe();
//   select { auto t = r.recv() => { … }  _ = cprime::after(1s) => { … } }
//
// Slow subscribers. Each subscriber owns a channel of `capacity` events.
// overflow_policy::block (the default): emit() waits until every subscriber
// has room — a slow subscriber slows the emitter (back-pressure; nothing is
// lost). overflow_policy::drop_oldest: emit() never waits; a full subscriber
// loses its oldest buffered event to make room (counted by dropped()), so it
// always sees the most recent `capacity` events (capacity must be >= 1).
//
// Order: emits are serialized (one at a time, in the order they take the
// broadcast's emit lock), so every subscriber sees the same events in the
// same order; one coroutine's emits arrive in the order it made them.
// A subscriber sees only events emitted after subscribe() returned.
// Dropping a receiver unsubscribes it (its channel is closed; an emit waiting
// on it moves on). close() ends every subscription after the buffered events;
// emit() after close() reaches no one and returns 0.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cprime/channel.hpp"
#include "cprime/detail/spinlock.hpp"
#include "cprime/sync.hpp"

namespace cprime {

// overflow_policy says what emit() does when a subscriber's buffer is full.
enum class overflow_policy { block, drop_oldest };

namespace detail {

// bc_sub is one subscription: its channel and its drop count.
template <class T>
struct bc_sub {
  explicit bc_sub(std::size_t cap) : ch(cap) {}
  channel<T> ch;
  std::atomic<std::uint64_t> dropped{0};
};

// bc_state is shared by a broadcast's handles.
// Invariants: subs and closed are guarded by mu (a spinlock, never held
// across a suspension); emit_mu serializes emits, so every subscriber
// receives the same sequence. A sub's channel closed by its receiver is
// removed by the next emit that finds it closed.
template <class T>
struct bc_state {
  bc_state(std::size_t c, overflow_policy p) : cap(c), policy(p) {}
  const std::size_t cap;
  const overflow_policy policy;
  cprime::mutex emit_mu;
  spinlock mu;
  std::vector<std::shared_ptr<bc_sub<T>>> subs;  // guarded by mu
  bool closed = false;                           // guarded by mu
};

}  // namespace detail

// broadcast_receiver<T> is one subscription. Move-only; destroying it
// unsubscribes. recv(), try_recv() and range-for work as on a channel<T>.
template <class T>
class broadcast_receiver {
 public:
  broadcast_receiver() = default;
  broadcast_receiver(broadcast_receiver&&) noexcept = default;
  broadcast_receiver& operator=(broadcast_receiver&& o) noexcept {
    if (this != &o) {
      unsubscribe();
      sub_ = std::move(o.sub_);
    }
    return *this;
  }
  broadcast_receiver(const broadcast_receiver&) = delete;
  broadcast_receiver& operator=(const broadcast_receiver&) = delete;
  ~broadcast_receiver() { unsubscribe(); }

  // recv() returns an operation that, awaited, yields the next event, or
  // std::nullopt once the broadcast is closed and this buffer drained. Usable
  // as a select arm.
  recv_op<T> recv() const { return chan().recv(); }
  // try_recv() takes a buffered event without waiting.
  recv_result<T> try_recv() const { return chan().try_recv(); }
  // begin()/end() iterate the events until the broadcast is closed.
  auto begin() const { return chan().begin(); }
  std::default_sentinel_t end() const noexcept { return {}; }
  // chan() is the subscription's channel (buffer of `capacity` events).
  const channel<T>& chan() const { return sub_ ? sub_->ch : nil_; }
  // dropped() counts events this subscriber lost to drop_oldest.
  std::uint64_t dropped() const noexcept {
    return sub_ ? sub_->dropped.load(std::memory_order_relaxed) : 0;
  }
  // unsubscribe() stops receiving now (buffered events are discarded).
  void unsubscribe() noexcept {
    if (sub_) sub_->ch.close();
    sub_.reset();
  }

 private:
  template <class>
  friend class broadcast;
  explicit broadcast_receiver(std::shared_ptr<detail::bc_sub<T>> s) noexcept
      : sub_(std::move(s)) {}
  std::shared_ptr<detail::bc_sub<T>> sub_;
  inline static const channel<T> nil_ = nullptr;
};

// broadcast<T> delivers each emitted event to every current subscriber. A
// copyable handle: copies share one broadcast. T must be copyable.
template <class T>
class broadcast {
 public:
  // broadcast(capacity, policy): each subscriber buffers up to `capacity`
  // events; `policy` says what a full buffer does to emit(). Throws
  // std::invalid_argument for drop_oldest with capacity 0.
  explicit broadcast(std::size_t capacity = 16, overflow_policy policy = overflow_policy::block)
      : st_(std::make_shared<detail::bc_state<T>>(capacity, policy)) {
    if (policy == overflow_policy::drop_oldest && capacity == 0)
      throw std::invalid_argument("cprime::broadcast: drop_oldest needs capacity >= 1");
  }

  // subscribe() returns a receiver of every event emitted from now on (an
  // already-closed receiver if the broadcast is closed).
  broadcast_receiver<T> subscribe() const {
    auto s = std::make_shared<detail::bc_sub<T>>(st_->cap);
    {
      std::lock_guard g(st_->mu);
      if (!st_->closed) {
        st_->subs.push_back(s);
        return broadcast_receiver<T>(std::move(s));
      }
    }
    s->ch.close();
    return broadcast_receiver<T>(std::move(s));
  }

  // emit(v) delivers a copy of v to every subscriber and returns how many
  // received it (dropped-by-policy events count as received; unsubscribed
  // receivers do not). With overflow_policy::block it is a suspension point:
  // it may wait for room, and throws cprime::cancelled if the emitter is
  // cancelled (subscribers served before then keep the event).
  std::size_t emit(const T& v) const {
    std::lock_guard<cprime::mutex> serial(st_->emit_mu);
    std::vector<std::shared_ptr<detail::bc_sub<T>>> subs;
    {
      std::lock_guard g(st_->mu);
      if (st_->closed) return 0;
      subs = st_->subs;
    }
    std::size_t n = 0;
    bool gone = false;
    for (auto& s : subs) {
      if (deliver(*s, v))
        ++n;
      else
        gone = true;
    }
    if (gone) prune();
    return n;
  }

  // close() ends every subscription: receivers get the buffered events, then
  // the end. Returns true the first time.
  bool close() const noexcept {
    std::vector<std::shared_ptr<detail::bc_sub<T>>> subs;
    {
      std::lock_guard g(st_->mu);
      if (st_->closed) return false;
      st_->closed = true;
      subs.swap(st_->subs);
    }
    for (auto& s : subs) s->ch.close();
    return true;
  }

  // subscribers() is the number of live subscriptions (for diagnostics).
  std::size_t subscribers() const noexcept {
    std::lock_guard g(st_->mu);
    return st_->subs.size();
  }
  std::size_t capacity() const noexcept { return st_->cap; }
  overflow_policy policy() const noexcept { return st_->policy; }
  bool is_closed() const noexcept {
    std::lock_guard g(st_->mu);
    return st_->closed;
  }

 private:
  // deliver() returns false when the subscriber is gone (channel closed).
  bool deliver(detail::bc_sub<T>& s, const T& v) const {
    if (st_->policy == overflow_policy::block) return await(s.ch.send(v)).is_ok();
    T item = v;
    // Only this emitter sends (emits are serialized) and receivers only take,
    // so after one forced drop there is room; the bound guards a receiver
    // racing us, in which case the new event itself is dropped.
    for (int attempt = 0; attempt < 4; ++attempt) {
      send_result<T> r = s.ch.try_send(std::move(item));
      if (r.is_ok()) return true;
      if (r.is_closed()) return false;
      item = std::move(r).value();
      if (s.ch.try_recv().has_value()) s.dropped.fetch_add(1, std::memory_order_relaxed);
    }
    s.dropped.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  void prune() const noexcept {
    std::lock_guard g(st_->mu);
    std::erase_if(st_->subs, [](const auto& s) { return s->ch.is_closed(); });
  }

  std::shared_ptr<detail::bc_state<T>> st_;
};

}  // namespace cprime
