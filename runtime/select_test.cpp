// runtime/select_test.cpp — select: the rules of docs/language.md and docs/lowering.md,
// at 1, 2 and 4 workers where anything runs concurrently. Assertions hold
// under every interleaving.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cprime/channel.hpp"
#include "cprime/detail/cancel_node.hpp"
#include "cprime/select.hpp"
#include "cprime/task.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::await;
using cprime::channel;
using cprime::no_default;
using cprime::select_case;
using cprime::typed_case;
using cprime::with_default;

class SelectRt : public cprime_test::workers_fixture {};
CPRIME_WORKER_COUNTS(Select, SelectRt);

// chi_square() of observed counts against a uniform expectation.
double chi_square(const std::vector<long>& counts) {
  long total = 0;
  for (long c : counts) total += c;
  double expect = double(total) / double(counts.size()), x = 0;
  for (long c : counts) x += (c - expect) * (c - expect) / expect;
  return x;
}
// The chi-square bound used below is far in the tail (p < 1e-12 for up to
// 7 degrees of freedom), so a fair select never fails it, while an arm that
// wins a few percent too often over 40,000 trials does.
constexpr double chi_square_bound = 80.0;

// ---- what the lowering emits ----

TEST(Select, ShapeOfTheLowering) {
  channel<int> a(1), b(1), out(1);
  ASSERT_TRUE(b.try_send(2).is_ok());
  typed_case c0(a.recv());
  select_case c1(b.recv());
  select_case c2(out.send(3));
  static_assert(std::is_same_v<decltype(c0.take()), int>);
  static_assert(std::is_same_v<decltype(c1.take()), std::optional<int>>);
  static_assert(std::is_same_v<decltype(c2.take()), cprime::send_result<int>>);
  const int k = cprime::select(with_default, c0, c1, c2);
  ASSERT_TRUE(k == 1 || k == 2);
  if (k == 1) {
    EXPECT_EQ(c1.take(), 2);
  } else {
    EXPECT_TRUE(c2.take().is_ok());
    EXPECT_EQ(*out.try_recv(), 3);
  }
}

TEST(Select, ChannelOperandIsAReceive) {
  channel<std::string> c(1);
  ASSERT_TRUE(c.try_send("x").is_ok());
  select_case r(c);
  static_assert(std::is_same_v<decltype(r), select_case<cprime::recv_op<std::string>>>);
  typed_case t(channel<int>(1));
  static_assert(std::is_same_v<decltype(t), typed_case<int>>);
  EXPECT_EQ(cprime::select(no_default, r, t), 0);
  EXPECT_EQ(r.take(), "x");
}

// ---- readiness rules ----

TEST(Select, DefaultWhenNothingReady) {
  channel<int> a, b(1);
  ASSERT_TRUE(b.try_send(0).is_ok());
  select_case r(a.recv());
  select_case s(b.send(1));  // b is full
  EXPECT_EQ(cprime::select(with_default, r, s), -1);
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(cprime::select(with_default), -1);
}

TEST(Select, DefaultNotTakenWhenAnArmIsReady) {
  for (int i = 0; i < 100; ++i) {
    channel<int> a(1);
    ASSERT_TRUE(a.try_send(i).is_ok());
    select_case r(a.recv());
    ASSERT_EQ(cprime::select(with_default, r), 0);
    EXPECT_EQ(r.take(), i);
  }
}

TEST(Select, NilChannelIsNeverReady) {
  channel<int> nil = nullptr, ready(1);
  ASSERT_TRUE(ready.try_send(5).is_ok());
  for (int i = 0; i < 50; ++i) {
    select_case n1(nil.recv());
    select_case n2(nil.send(1));
    typed_case n3(nil.recv());
    EXPECT_EQ(cprime::select(with_default, n1, n2, n3), -1);
  }
  select_case n1(nil.recv());
  select_case n2(nil.send(1));
  select_case r(ready.recv());
  EXPECT_EQ(cprime::select(no_default, n1, n2, r), 2);
  EXPECT_EQ(r.take(), 5);
}

TEST(Select, ClosedReceiveFiresWithNullopt) {
  channel<int> closed;
  closed.close();
  channel<int> idle;
  select_case r(closed.recv());
  select_case i(idle.recv());
  EXPECT_EQ(cprime::select(no_default, i, r), 1);
  EXPECT_EQ(r.take(), std::nullopt);
}

TEST(Select, ClosedReceiveDrainsFirst) {
  channel<int> c(2);
  ASSERT_TRUE(c.try_send(1).is_ok());
  c.close();
  {
    typed_case t(c.recv());
    EXPECT_EQ(cprime::select(no_default, t), 0);
    EXPECT_EQ(t.take(), 1);
  }
  select_case r(c.recv());
  EXPECT_EQ(cprime::select(no_default, r), 0);
  EXPECT_EQ(r.take(), std::nullopt);
}

TEST(Select, TypedArmDisabledByClosedChannel) {
  channel<int> closed, other(1);
  closed.close();
  for (int i = 0; i < 50; ++i) {
    typed_case t(closed.recv());
    EXPECT_EQ(cprime::select(with_default, t), -1);
  }
  ASSERT_TRUE(other.try_send(3).is_ok());
  typed_case t(closed.recv());
  typed_case o(other.recv());
  EXPECT_EQ(cprime::select(no_default, t, o), 1);
  EXPECT_EQ(o.take(), 3);
}

TEST(Select, SendOnClosedFiresWithErrorAndValue) {
  channel<std::unique_ptr<int>> c;
  c.close();
  channel<int> idle;
  select_case i(idle.recv());
  select_case s(c.send(std::make_unique<int>(9)));
  EXPECT_EQ(cprime::select(no_default, i, s), 1);
  auto r = s.take();
  EXPECT_TRUE(r.is_closed());
  ASSERT_TRUE(r.value());
  EXPECT_EQ(*r.value(), 9);
}

TEST(Select, ThrowsWhenNoArmCanEverFire) {
  channel<int> nil = nullptr, closed;
  closed.close();
  {
    select_case n(nil.recv());
    select_case s(nil.send(1));
    EXPECT_THROW(cprime::select(no_default, n, s), cprime::channel_closed);
  }
  {
    typed_case t(closed.recv());
    select_case n(nil.recv());
    EXPECT_THROW(cprime::select(no_default, t, n), cprime::channel_closed);
  }
  EXPECT_THROW(cprime::select(no_default), cprime::channel_closed);
  {
    typed_case t(closed.recv());
    EXPECT_EQ(cprime::select(with_default, t), -1);  // default: no throw
  }
}

TEST(Select, UnreceivedItemIsDestroyed) {
  auto p = std::make_shared<int>(1);
  {
    channel<std::shared_ptr<int>> c(1);
    ASSERT_TRUE(c.try_send(p).is_ok());
    select_case r(c.recv());
    ASSERT_EQ(cprime::select(no_default, r), 0);
    EXPECT_EQ(p.use_count(), 2);  // held by the case until take() or destruction
  }
  EXPECT_EQ(p.use_count(), 1);
}

// ---- fairness ----

TEST(Select, FairAmongReadyReceives) {
  constexpr int arms = 4, trials = 40000;
  std::array<channel<int>, arms> chs{channel<int>(1), channel<int>(1), channel<int>(1), channel<int>(1)};
  for (auto& c : chs) ASSERT_TRUE(c.try_send(0).is_ok());
  std::vector<long> wins(arms);
  for (int t = 0; t < trials; ++t) {
    select_case c0(chs[0].recv()), c1(chs[1].recv()), c2(chs[2].recv()), c3(chs[3].recv());
    int k = cprime::select(no_default, c0, c1, c2, c3);
    ASSERT_GE(k, 0);
    ++wins[k];
    ASSERT_TRUE(chs[k].try_send(0).is_ok());  // ready again
  }
  EXPECT_LT(chi_square(wins), chi_square_bound) << wins[0] << " " << wins[1] << " " << wins[2] << " " << wins[3];
}

TEST(Select, FairAmongMixedSendAndReceiveArms) {
  // Arms 0 and 1 receive, 2 and 3 send; arm 4 and 5 use one channel for
  // both a send and a receive (half full: both ready); arm 6 is never ready.
  constexpr int trials = 40000;
  channel<int> r0(1), r1(1), s0(1), s1(1), both(2), never;
  ASSERT_TRUE(r0.try_send(0).is_ok());
  ASSERT_TRUE(r1.try_send(0).is_ok());
  ASSERT_TRUE(both.try_send(0).is_ok());
  std::vector<long> wins(6);
  long never_won = 0;
  for (int t = 0; t < trials; ++t) {
    select_case a0(r0.recv()), a1(r1.recv());
    select_case a2(s0.send(1)), a3(s1.send(1)), a4(both.send(1));
    select_case a5(both.recv());
    typed_case a6(never.recv());
    int k = cprime::select(with_default, a0, a1, a2, a3, a4, a5, a6);
    ASSERT_GE(k, 0);
    if (k == 6) {
      ++never_won;
      continue;
    }
    ++wins[k];
    switch (k) {  // restore the state
      case 0: ASSERT_TRUE(r0.try_send(0).is_ok()); break;
      case 1: ASSERT_TRUE(r1.try_send(0).is_ok()); break;
      case 2: ASSERT_TRUE(s0.try_recv().has_value()); break;
      case 3: ASSERT_TRUE(s1.try_recv().has_value()); break;
      case 4: ASSERT_TRUE(both.try_recv().has_value()); break;
      case 5: ASSERT_TRUE(both.try_send(0).is_ok()); break;
    }
  }
  EXPECT_EQ(never_won, 0);
  EXPECT_LT(chi_square(wins), chi_square_bound);
}

// ---- blocking ----

TEST_P(SelectRt, ParkedSelectWakesOnSendAndOnReceive) {
  run([] {
    channel<int> a, b, out;
    for (int round = 0; round < cprime::test::sized(200, 5); ++round) {
      auto helper = cprime::spawn([=] {
        if (round % 3 == 0) (void)await(a.send(round));
        else if (round % 3 == 1) (void)await(b.send(round));
        else EXPECT_EQ(*await(out.recv()), -round);
      });
      select_case ca(a.recv());
      typed_case cb(b.recv());
      select_case co(out.send(-round));
      int k = cprime::select(no_default, ca, cb, co);
      EXPECT_EQ(k, round % 3);
      if (k == 0) EXPECT_EQ(ca.take(), round);
      if (k == 1) EXPECT_EQ(cb.take(), round);
      if (k == 2) EXPECT_TRUE(co.take().is_ok());
      helper.join();
    }
  });
}

TEST_P(SelectRt, ParkedSelectSeesClose) {
  run([] {
    channel<int> a, b;
    auto closer = cprime::spawn([b] {
      cprime::sleep_for(1ms);
      b.close();
    });
    typed_case ta(a.recv());
    select_case sb(b.recv());
    EXPECT_EQ(cprime::select(no_default, ta, sb), 1);
    EXPECT_EQ(sb.take(), std::nullopt);
    closer.join();
  });
}

TEST_P(SelectRt, ThrowsWhileParkedWhenLastChannelCloses) {
  run([] {
    for (int round = 0; round < 50; ++round) {
      channel<int> a, b(1), nil = nullptr;
      auto closer = cprime::spawn([a, b, round] {
        if (round % 2) cprime::sleep_for(200us);
        a.close();
        if (round % 4 < 2) cprime::sleep_for(200us);
        b.close();
      });
      typed_case ta(a.recv());
      typed_case tb(b.recv());
      select_case n(nil.recv());
      EXPECT_THROW(cprime::select(no_default, ta, n, tb), cprime::channel_closed);
      closer.join();
    }
  });
}

TEST_P(SelectRt, AfterArmFiresAsTimeout) {
  run([] {
    channel<int> never;
    auto t0 = std::chrono::steady_clock::now();
    typed_case r(never.recv());
    select_case t1(cprime::after(2ms));
    select_case t2(cprime::after(1h));
    EXPECT_EQ(cprime::select(no_default, r, t2, t1), 2);
    auto fired = t1.take();
    ASSERT_TRUE(fired);
    EXPECT_GE(*fired - t0, 2ms);
  });
}

TEST_P(SelectRt, SameChannelInSeveralArms) {
  run([] {
    // Two receive arms on one channel: one item fires exactly one of them.
    channel<int> c;
    for (int round = 0; round < 100; ++round) {
      auto s = cprime::spawn([c, round] { (void)await(c.send(round)); });
      select_case r0(c.recv());
      select_case r1(c.recv());
      int k = cprime::select(no_default, r0, r1);
      EXPECT_EQ(k == 0 ? r0.take() : r1.take(), round);
      s.join();
    }
    // A send and a receive arm on one unbuffered channel must not match each
    // other; a partner completes one of them.
    for (int round = 0; round < 100; ++round) {
      bool partner_sends = round % 2;
      auto partner = cprime::spawn([c, partner_sends] {
        if (partner_sends)
          EXPECT_TRUE(await(c.send(7)).is_ok());
        else
          EXPECT_EQ(await(c.recv()), 8);
      });
      select_case s(c.send(8));
      select_case r(c.recv());
      int k = cprime::select(no_default, s, r);
      if (partner_sends) {
        ASSERT_EQ(k, 1);
        EXPECT_EQ(r.take(), 7);
      } else {
        ASSERT_EQ(k, 0);
        EXPECT_TRUE(s.take().is_ok());
      }
      partner.join();
    }
  });
}

TEST_P(SelectRt, TwoSelectsMatchEachOther) {
  run([] {
    channel<int> c1, c2;
    constexpr int n = 5000;
    auto sender = cprime::spawn([c1, c2] {
      for (int i = 0; i < n; ++i) {
        select_case s1(c1.send(i));
        select_case s2(c2.send(i));
        EXPECT_GE(cprime::select(no_default, s1, s2), 0);
      }
    });
    long sum = 0;
    for (int i = 0; i < n; ++i) {
      typed_case r1(c1.recv());
      typed_case r2(c2.recv());
      int k = cprime::select(no_default, r1, r2);
      sum += k == 0 ? r1.take() : r2.take();
    }
    sender.join();
    EXPECT_EQ(sum, long(n) * (n - 1) / 2);
  });
}

TEST(Select, OnPlainThread) {
  channel<int> a, b;
  std::thread th([b] {
    std::this_thread::sleep_for(1ms);
    (void)await(b.send(4));
  });
  select_case ra(a.recv());
  select_case rb(b.recv());
  EXPECT_EQ(cprime::select(no_default, ra, rb), 1);
  EXPECT_EQ(rb.take(), 4);
  th.join();
}

// ---- races and stress ----

TEST_P(SelectRt, CloseRacesWithParkedSelects) {
  // Receivers select over two typed arms until both channels are closed
  // (then select throws); senders select over two send arms until closed.
  // Every item sent ok is received exactly once; failed sends hand it back.
  run([] {
    for (int round = 0; round < 20; ++round) {
      channel<uint64_t> a(round % 2), b(round % 3);
      std::atomic<uint64_t> sent{0}, sent_n{0}, got{0}, got_n{0}, back_n{0};
      std::vector<cprime::task<void>> tasks;
      for (int s = 0; s < 4; ++s)
        tasks.push_back(cprime::spawn([&, a, b, s] {
          for (uint64_t i = 1; i <= 300; ++i) {
            uint64_t v = uint64_t(s) << 32 | i;
            select_case sa(a.send(v));
            select_case sb(b.send(v));
            int k = cprime::select(no_default, sa, sb);
            auto r = k == 0 ? sa.take() : sb.take();
            if (r.is_ok()) {
              sent += v;
              ++sent_n;
            } else {
              EXPECT_TRUE(r.is_closed());
              EXPECT_EQ(r.value(), v);
              ++back_n;
            }
          }
        }));
      for (int r = 0; r < 4; ++r)
        tasks.push_back(cprime::spawn([&, a, b] {
          for (;;) {
            typed_case ra(a.recv());
            typed_case rb(b.recv());
            int k;
            try {
              k = cprime::select(no_default, ra, rb);
            } catch (const cprime::channel_closed&) {
              return;
            }
            got += k == 0 ? ra.take() : rb.take();
            ++got_n;
          }
        }));
      cprime::sleep_for(std::chrono::microseconds(40 * (round % 5)));
      a.close();
      if (round % 2) cprime::sleep_for(50us);
      b.close();
      for (auto& t : tasks) t.join();
      EXPECT_EQ(got_n.load(), sent_n.load());
      EXPECT_EQ(got.load(), sent.load());
      EXPECT_EQ(sent_n + back_n, 4u * 300);
    }
  });
}

TEST_P(SelectRt, NoLostWakeupsWithRandomYields) {
  // Producers select-send over two channels, consumers select-receive over
  // the same two plus a never-ready one; 1,000,000 items in all (20,000
  // under a sanitizer).
  run([] {
    constexpr int producers = 4, consumers = 4, per = int(cprime::test::sized(250000, 50));
    channel<int> a, b(1), never;
    std::atomic<long> got{0};
    std::vector<cprime::task<void>> ps, cs;
    for (int p = 0; p < producers; ++p)
      ps.push_back(cprime::spawn([a, b, p] {
        std::minstd_rand rng(p + 1);
        for (int i = 0; i < per; ++i) {
          if (rng() % 16 == 0) await(cprime::yield_now());
          select_case sa(a.send(1));
          select_case sb(b.send(1));
          (void)cprime::select(no_default, sa, sb);
        }
      }));
    for (int q = 0; q < consumers; ++q)
      cs.push_back(cprime::spawn([a, b, never, q, &got] {
        std::minstd_rand rng(q + 100);
        long mine = 0;
        for (;;) {
          if (rng() % 16 == 0) await(cprime::yield_now());
          typed_case ra(a.recv());
          typed_case rb(b.recv());
          typed_case rn(never.recv());
          int k;
          try {
            k = cprime::select(no_default, rn, ra, rb);
          } catch (const cprime::channel_closed&) {
            break;
          }
          mine += k == 1 ? ra.take() : rb.take();
        }
        got += mine;
      }));
    for (auto& t : ps) t.join();
    a.close();
    b.close();
    never.close();
    for (auto& t : cs) t.join();
    EXPECT_EQ(got.load(), long(producers) * per);
  });
}

TEST_P(SelectRt, HandleDroppedWhileParked) {
  // A parked select pins its channels: the borrowed handle of arm x goes
  // away, then a typed arm's channel closes (the select re-runs over x's
  // channel), then z fires. ASan/LSan check x's channel is freed once.
  run([] {
    for (int round = 0; round < 20; ++round) {
      cprime::detail::chan_core* core = cprime::detail::chan_make(&cprime::detail::elem_ops_for<int>, 0);
      auto holder = std::make_unique<channel<int>>(cprime::detail::adopt_t{}, core);
      channel<int> y, z;
      channel<int>* x = holder.get();
      auto t = cprime::spawn([x, y, z] {
        select_case ax(x->recv());
        typed_case ay(y.recv());
        select_case az(z.recv());
        int k = cprime::select(no_default, ax, ay, az);
        EXPECT_EQ(k, 2);
        return az.take();
      });
      bool parked = false;
      for (int i = 0; i < 200000 && !parked; ++i) {
        core->lock.lock();
        parked = !core->recvq.empty();
        core->lock.unlock();
        if (!parked) cprime::sleep_for(10us);
      }
      ASSERT_TRUE(parked);
      // Peeking at the queue observes the parked select's receive arm; the
      // race detector does not see the runtime's lock (docs/race-detector.md).
      cprime::detail::tsan_acquire(cprime::detail::chan_tsan_recv(core));
      holder.reset();
      if (round % 2) cprime::sleep_for(50us);
      y.close();
      if (round % 3) cprime::sleep_for(50us);
      EXPECT_TRUE(await(z.send(round)).is_ok());
      EXPECT_EQ(t.join(), round);
    }
  });
}

// ---- cancellation ----

TEST_P(SelectRt, CancelWakesParkedSelect) {
  run([] {
    channel<int> a, b(1);
    ASSERT_TRUE(b.try_send(0).is_ok());  // b full: the send arm is not ready
    cprime::detail::cancel_node* node = cprime::detail::cancel_node::make(nullptr);
    auto t = cprime_test::spawn_in_node(node, [a, b] {
      select_case ra(a.recv());
      select_case sb(b.send(1));
      try {
        (void)cprime::select(no_default, ra, sb);
      } catch (const cprime::cancelled&) {
        return true;
      }
      return false;
    });
    cprime::sleep_for(2ms);
    node->cancel();
    EXPECT_TRUE(t.join());
    node->release();
    // The select left both queues: nobody receives on a, nobody sends on b.
    EXPECT_TRUE(a.try_send(1).is_full());
    EXPECT_EQ(*b.try_recv(), 0);
    EXPECT_TRUE(b.try_recv().is_empty());
  });
}

}  // namespace
