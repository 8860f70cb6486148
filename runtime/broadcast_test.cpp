// runtime/broadcast_test.cpp — broadcast<T>: every subscriber receives
// every event in order; block and drop_oldest policies; close and
// unsubscribe. At 1, 2 and 4 workers.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "cprime/broadcast.hpp"
#include "cprime/channel.hpp"
#include "cprime/scope.hpp"
#include "cprime/select.hpp"
#include "cprime/task.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::await;
using cprime::broadcast;
using cprime::overflow_policy;

class BroadcastRt : public cprime_test::workers_fixture {};
CPRIME_WORKER_COUNTS(Broadcast, BroadcastRt);

TEST_P(BroadcastRt, EverySubscriberGetsEveryEventInOrder) {
  run([] {
    constexpr int events = 2000;
    constexpr int subs = 5;
    broadcast<int> bus(4);
    std::vector<std::vector<int>> got(subs);
    cprime::parallel([&](cprime::scope& s) {
      for (int k = 0; k < subs; ++k)
        s.spawn([&, k](cprime::broadcast_receiver<int> r) {
          for (int v : r) got[k].push_back(v);
        }, bus.subscribe());
      EXPECT_EQ(bus.subscribers(), static_cast<std::size_t>(subs));
      for (int i = 0; i < events; ++i) EXPECT_EQ(bus.emit(i), static_cast<std::size_t>(subs));
      bus.close();
    });
    for (int k = 0; k < subs; ++k) {
      ASSERT_EQ(got[k].size(), static_cast<std::size_t>(events)) << "subscriber " << k;
      for (int i = 0; i < events; ++i) ASSERT_EQ(got[k][i], i);
    }
  });
}

TEST_P(BroadcastRt, ConcurrentEmittersGiveEverySubscriberTheSameOrder) {
  run([] {
    broadcast<int> bus(2);
    auto r1 = bus.subscribe();
    auto r2 = bus.subscribe();
    std::vector<int> a, b;
    cprime::parallel([&](cprime::scope& s) {
      s.spawn([&] { for (int v : r1) a.push_back(v); });
      s.spawn([&] { for (int v : r2) b.push_back(v); });
      cprime::parallel([&](cprime::scope& e) {
        for (int t = 0; t < 4; ++t)
          e.spawn([&, t] {
            for (int i = 0; i < 200; ++i) bus.emit(t * 1000 + i);
          });
      });
      bus.close();
    });
    EXPECT_EQ(a.size(), 800u);
    EXPECT_EQ(a, b);
  });
}

TEST_P(BroadcastRt, BlockPolicyWaitsForASlowSubscriber) {
  run([] {
    broadcast<int> bus(2, overflow_policy::block);
    auto slow = bus.subscribe();
    std::atomic<int> emitted{0};
    cprime::parallel([&](cprime::scope& s) {
      s.spawn([&] {
        for (int i = 0; i < 5; ++i) {
          bus.emit(i);
          emitted.fetch_add(1);
        }
      });
      // Only a full buffer (2) can be emitted before the subscriber reads.
      for (int i = 0; i < 20000 && emitted.load() < 2; ++i) cprime::sleep_for(1ms);
      ASSERT_GE(emitted.load(), 2);
      cprime::sleep_for(2ms);
      EXPECT_EQ(emitted.load(), 2);
      for (int i = 0; i < 5; ++i) EXPECT_EQ(await(slow.recv()), i);
    });
    EXPECT_EQ(emitted.load(), 5);
    EXPECT_EQ(slow.dropped(), 0u);
  });
}

TEST_P(BroadcastRt, DropOldestKeepsTheNewestEvents) {
  run([] {
    broadcast<int> bus(3, overflow_policy::drop_oldest);
    auto slow = bus.subscribe();
    auto fast = bus.subscribe();
    std::vector<int> fast_got;
    cprime::parallel([&](cprime::scope& s) {
      s.spawn([&] { for (int v : fast) fast_got.push_back(v); });
      for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(bus.emit(i), 2u);  // never waits
        await(cprime::yield_now());
      }
      bus.close();
    });
    std::vector<int> slow_got;
    for (int v : slow) slow_got.push_back(v);
    EXPECT_EQ(slow_got, (std::vector<int>{7, 8, 9}));
    EXPECT_EQ(slow.dropped(), 7u);
    // The fast one may also have lost some, but what it got is in order and
    // ends with the last event.
    ASSERT_FALSE(fast_got.empty());
    EXPECT_EQ(fast_got.back(), 9);
    for (std::size_t i = 1; i < fast_got.size(); ++i) EXPECT_LT(fast_got[i - 1], fast_got[i]);
    EXPECT_EQ(fast_got.size() + fast.dropped(), 10u);
  });
}

TEST(Broadcast, DropOldestNeedsABuffer) {
  EXPECT_THROW(broadcast<int>(0, overflow_policy::drop_oldest), std::invalid_argument);
}

TEST_P(BroadcastRt, DroppingAReceiverUnsubscribesAndUnblocksEmit) {
  run([] {
    broadcast<std::string> bus(2);
    auto keep = bus.subscribe();
    {
      auto gone = bus.subscribe();
      EXPECT_EQ(bus.emit("a"), 2u);
      EXPECT_EQ(bus.emit("b"), 2u);  // both buffers full now
    }
    EXPECT_TRUE(await(keep.recv()) == "a");
    EXPECT_EQ(bus.emit("c"), 1u);  // would block on the full, abandoned buffer otherwise
    EXPECT_EQ(bus.subscribers(), 1u);
    EXPECT_TRUE(await(keep.recv()) == "b");
    EXPECT_TRUE(await(keep.recv()) == "c");
  });
}

TEST_P(BroadcastRt, CloseEndsSubscriptionsAfterTheBuffer) {
  run([] {
    broadcast<int> bus(4);
    auto r = bus.subscribe();
    bus.emit(1);
    EXPECT_TRUE(bus.close());
    EXPECT_FALSE(bus.close());
    EXPECT_EQ(bus.emit(2), 0u);
    EXPECT_EQ(await(r.recv()), 1);
    EXPECT_EQ(await(r.recv()), std::nullopt);
    auto late = bus.subscribe();
    EXPECT_EQ(await(late.recv()), std::nullopt);
  });
}

TEST_P(BroadcastRt, ReceiverWorksInSelect) {
  run([] {
    broadcast<int> bus(1);
    auto r = bus.subscribe();
    cprime::channel<int> other;
    bus.emit(5);
    cprime::select_case a(r.recv());
    cprime::select_case b(other.recv());
    EXPECT_EQ(cprime::select(cprime::no_default, a, b), 0);
    EXPECT_EQ(a.take(), 5);
  });
}

TEST_P(BroadcastRt, CancelledBlockedEmitterThrows) {
  run([] {
    broadcast<int> bus(1);
    auto r = bus.subscribe();
    bus.emit(1);
    EXPECT_TRUE(cprime::timeout(2ms, [&](cprime::scope&) { bus.emit(2); }));
    EXPECT_EQ(await(r.recv()), 1);
    EXPECT_EQ(r.try_recv().has_value(), false);
  });
}

}  // namespace
