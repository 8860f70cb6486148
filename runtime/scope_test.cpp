// runtime/scope_test.cpp — parallel, timeout, task_group, scoped_task,
// at 1, 2 and 4 workers. Cancellation must reach coroutines parked in every
// kind of wait; long sleeps only bound a hang, never measure speed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "cprime/channel.hpp"
#include "cprime/defer.hpp"
#include "cprime/scope.hpp"
#include "cprime/select.hpp"
#include "cprime/sync.hpp"
#include "cprime/task.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::await;

// A hang bound: a wait that only cancellation may end.
constexpr auto forever = 60s;

class ScopeRt : public cprime_test::workers_fixture {};
CPRIME_WORKER_COUNTS(Scope, ScopeRt);

// ---- parallel ----

TEST_P(ScopeRt, ParallelWaitsForEveryChild) {
  run([] {
    std::atomic<int> done{0};
    cprime::parallel([&](cprime::scope& s) {
      for (int i = 0; i < 100; ++i)
        s.spawn(cprime::here(), [&, i] {
          cprime::sleep_for(std::chrono::microseconds(50 * (i % 7)));
          done.fetch_add(1);
        });
    });
    EXPECT_EQ(done.load(), 100);
  });
}

TEST_P(ScopeRt, ParallelReturnsBodyValueAndHandlesJoin) {
  run([] {
    int v = cprime::parallel([&](cprime::scope& s) {
      auto a = s.spawn(cprime::here(), [](int x) { return x * 2; }, 21);
      auto b = s.spawn([] { return 1; });
      return a.join() + await(b);
    });
    EXPECT_EQ(v, 43);
  });
}

TEST_P(ScopeRt, FirstErrorWinsAndSiblingsObserveCancellation) {
  run([] {
    constexpr int siblings = 8;
    std::atomic<int> cancelled{0};
    std::atomic<int> finished{0};
    try {
      cprime::parallel([&](cprime::scope& s) {
        for (int i = 0; i < siblings; ++i)
          s.spawn([&] {
            try {
              cprime::sleep_for(forever);
            } catch (const cprime::cancelled&) {
              cancelled.fetch_add(1);
              throw;
            }
            finished.fetch_add(1);
          });
        s.spawn([] {
          cprime::sleep_for(2ms);
          throw std::runtime_error("first");
        });
        s.spawn([] {
          cprime::sleep_for(forever);  // cancelled; its cancelled is not an error
        });
      });
      ADD_FAILURE() << "parallel did not rethrow";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "first");
    }
    EXPECT_EQ(cancelled.load(), siblings);
    EXPECT_EQ(finished.load(), 0);
  });
}

TEST_P(ScopeRt, AHandleSeesItsChildsOwnErrorAndTheBlockRethrowsIt) {
  run([] {
    // Inside the block a join of the failing child is interrupted (the error
    // cancelled the block, body included); a handle kept past the block
    // reports the child's own exception.
    cprime::task<void> kept;
    EXPECT_THROW(cprime::parallel([&](cprime::scope& s) {
                   kept = s.spawn([] { throw std::domain_error("child"); });
                 }),
                 std::domain_error);
    EXPECT_THROW(kept.join(), std::domain_error);
  });
}

TEST_P(ScopeRt, OnlyTheFirstOfSeveralErrorsIsRethrown) {
  run([] {
    std::atomic<int> thrown{0};
    try {
      cprime::parallel([&](cprime::scope& s) {
        for (int i = 0; i < 20; ++i)
          s.spawn([&, i] {
            thrown.fetch_add(1);
            throw std::runtime_error("e" + std::to_string(i));
          });
      });
      ADD_FAILURE();
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(e.what()[0], 'e');
    }
    EXPECT_GE(thrown.load(), 1);
  });
}

TEST_P(ScopeRt, BodyErrorCancelsChildrenAndWaitsForThem) {
  run([] {
    std::atomic<bool> child_done{false};
    EXPECT_THROW(cprime::parallel([&](cprime::scope& s) {
                   s.spawn([&] {
                     auto d = cprime::defer([&] { child_done = true; });
                     cprime::sleep_for(forever);
                   });
                   cprime::sleep_for(1ms);
                   throw std::logic_error("body");
                 }),
                 std::logic_error);
    EXPECT_TRUE(child_done.load());  // the block waited for the cancelled child
  });
}

TEST_P(ScopeRt, NestedParallelAndParallelInsideAChild) {
  run([] {
    std::atomic<int> n{0};
    cprime::parallel([&](cprime::scope& outer) {
      for (int i = 0; i < 4; ++i)
        outer.spawn([&] {
          cprime::parallel([&](cprime::scope& inner) {
            for (int j = 0; j < 4; ++j) inner.spawn([&] { n.fetch_add(1); });
          });
        });
      cprime::parallel([&](cprime::scope& inner) { inner.spawn([&] { n.fetch_add(100); }); });
    });
    EXPECT_EQ(n.load(), 116);
  });
}

TEST_P(ScopeRt, TenThousandChildren) {
  run([] {
    std::atomic<int> n{0};
    cprime::parallel([&](cprime::scope& s) {
      for (int i = 0; i < 10000; ++i)
        s.spawn([&] {
          if ((n.fetch_add(1) & 63) == 0) await(cprime::yield_now());
        });
    });
    EXPECT_EQ(n.load(), 10000);
  });
}

TEST_P(ScopeRt, ParallelSpawnBlocking) {
  run([] {
    std::atomic<int> n{0};
    cprime::parallel([&](cprime::scope& s) {
      for (int i = 0; i < 4; ++i) s.spawn_blocking(cprime::here(), [&] { n.fetch_add(1); });
    });
    EXPECT_EQ(n.load(), 4);
  });
}

TEST(Scope, ParallelOnPlainThread) {
  std::atomic<int> n{0};
  int v = cprime::parallel([&](cprime::scope& s) {
    for (int i = 0; i < 10; ++i) s.spawn([&] { n.fetch_add(1); });
    return 7;
  });
  EXPECT_EQ(v, 7);
  EXPECT_EQ(n.load(), 10);
  bool hit = cprime::timeout(5ms, [&](cprime::scope& s) { s.spawn([] { cprime::sleep_for(forever); }); });
  EXPECT_TRUE(hit);
}

// ---- timeout: cancellation reaches every kind of wait ----

TEST_P(ScopeRt, TimeoutFalseWhenTheBlockFinishesInTime) {
  run([] {
    int x = 0;
    bool hit = cprime::timeout(10s, [&](cprime::scope& s) { s.spawn([&] { x = 1; }); });
    EXPECT_FALSE(hit);
    EXPECT_EQ(x, 1);
  });
}

TEST_P(ScopeRt, TimeoutWakesSleep) {
  run([] {
    std::atomic<bool> body_cancelled{false};
    bool hit = cprime::timeout(5ms, [&](cprime::scope& s) {
      s.spawn([] { cprime::sleep_for(forever); });
      try {
        cprime::sleep_for(forever);
      } catch (const cprime::cancelled&) {
        body_cancelled = true;
        throw;
      }
    });
    EXPECT_TRUE(hit);
    EXPECT_TRUE(body_cancelled.load());
  });
}

TEST_P(ScopeRt, TimeoutWakesRecvAndSend) {
  run([] {
    cprime::channel<int> c;
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) { (void)await(c.recv()); }));
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) { (void)await(c.send(1)); }));
    cprime::channel<int> nil = nullptr;
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope& s) {
      s.spawn([nil] { (void)await(nil.recv()); });
    }));
  });
}

TEST_P(ScopeRt, TimeoutWakesSelect) {
  run([] {
    cprime::channel<int> a, b;
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) {
      cprime::select_case x(a.recv());
      cprime::select_case y(b.send(3));
      (void)cprime::select(cprime::no_default, x, y);
      ADD_FAILURE() << "select returned";
    }));
  });
}

TEST_P(ScopeRt, TimeoutWakesJoin) {
  run([] {
    cprime::channel<int> release;
    // The joined task runs outside the block (a root node): only the joiner
    // is cancelled.
    cprime::detail::spawn_options o{cprime::here()};
    o.inherit_node = false;
    auto t = cprime::detail::spawn_with(o, [release] { return await(release.recv()).value_or(-1); });
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) { (void)t.join(); }));
    EXPECT_TRUE(t.joinable());  // a cancelled join leaves the handle joinable
    (void)await(release.send(9));
    EXPECT_EQ(t.join(), 9);
  });
}

TEST_P(ScopeRt, TimeoutWakesWaitGroupAndTaskGroupJoin) {
  run([] {
    cprime::wait_group wg;
    wg.add(1);
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) { wg.wait(); }));
    wg.done();

    cprime::channel<int> gate;
    cprime::task_group g;  // outside the timeout: its task is not cancelled
    g.spawn([gate] { (void)await(gate.recv()); });
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) { await(g.join_all()); }));
    gate.close();
    await(g.join_all());
  });
}

TEST_P(ScopeRt, DefersRunInLifoOrderOnCancellation) {
  run([] {
    std::mutex mu;
    std::vector<std::string> log;
    auto note = [&](std::string s) {
      std::lock_guard g(mu);
      log.push_back(std::move(s));
    };
    struct raii {
      std::function<void()> f;
      ~raii() { f(); }
    };
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope& s) {
      s.spawn([&] {
        auto d1 = cprime::defer([&] { note("child defer 1"); });
        raii r2{[&] { note("child raii 2"); }};
        auto d3 = cprime::defer([&] { note("child defer 3"); });
        cprime::sleep_for(forever);
        note("unreachable");
      });
    }));
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0], "child defer 3");
    EXPECT_EQ(log[1], "child raii 2");
    EXPECT_EQ(log[2], "child defer 1");
  });
}

TEST_P(ScopeRt, CatchingCancelledDoesNotUncancel) {
  run([] {
    std::atomic<int> caught{0};
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) {
      for (int i = 0; i < 3; ++i) {
        try {
          cprime::sleep_for(forever);
        } catch (const cprime::cancelled&) {
          caught.fetch_add(1);  // every later suspension point throws again
        }
      }
    }));
    EXPECT_EQ(caught.load(), 3);
  });
}

TEST_P(ScopeRt, TimeoutInsideParallelInsideTimeoutEarliestWins) {
  run([] {
    // Outer deadline first: the inner timeout is cancelled by it, throws
    // cancelled through the parallel, and the outer timeout consumes it.
    std::atomic<bool> inner_returned{false};
    bool outer = cprime::timeout(10ms, [&](cprime::scope&) {
      cprime::parallel([&](cprime::scope& p) {
        p.spawn([&] {
          bool inner = cprime::timeout(forever, [&](cprime::scope& s) {
            s.spawn([] { cprime::sleep_for(forever); });
          });
          inner_returned = true;
          (void)inner;
        });
      });
    });
    EXPECT_TRUE(outer);
    EXPECT_FALSE(inner_returned.load());

    // Inner deadline first: only the inner block is cancelled; the outer one
    // and the parallel complete normally.
    std::atomic<int> inner_hits{0};
    outer = cprime::timeout(forever, [&](cprime::scope&) {
      cprime::parallel([&](cprime::scope& p) {
        for (int i = 0; i < 3; ++i)
          p.spawn([&] {
            if (cprime::timeout(2ms, [&](cprime::scope&) { cprime::sleep_for(forever); }))
              inner_hits.fetch_add(1);
          });
      });
    });
    EXPECT_FALSE(outer);
    EXPECT_EQ(inner_hits.load(), 3);
  });
}

TEST_P(ScopeRt, TimeoutRethrowsARealError) {
  run([] {
    EXPECT_THROW(cprime::timeout(forever,
                                 [&](cprime::scope& s) {
                                   s.spawn([] { throw std::out_of_range("x"); });
                                   cprime::sleep_for(forever);
                                 }),
                 std::out_of_range);
  });
}

TEST_P(ScopeRt, ParallelInterruptedByEnclosingTimeoutThrowsCancelled) {
  run([] {
    std::atomic<bool> caught{false};
    EXPECT_TRUE(cprime::timeout(5ms, [&](cprime::scope&) {
      try {
        cprime::parallel([&](cprime::scope& p) { p.spawn([] { cprime::sleep_for(forever); }); });
      } catch (const cprime::cancelled&) {
        caught = true;
        throw;
      }
    }));
    EXPECT_TRUE(caught.load());
  });
}

// ---- task_group ----

TEST_P(ScopeRt, TaskGroupFirstErrorCancelsTheRest) {
  run([] {
    cprime::task_group g;
    std::atomic<int> cancelled{0};
    for (int i = 0; i < 5; ++i)
      g.spawn(cprime::here(), [&] {
        try {
          cprime::sleep_for(forever);
        } catch (const cprime::cancelled&) {
          cancelled.fetch_add(1);
          throw;
        }
      });
    g.spawn([] {
      cprime::sleep_for(1ms);
      throw std::runtime_error("group");
    });
    try {
      await(g.join_all());
      ADD_FAILURE();
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "group");
    }
    EXPECT_EQ(cancelled.load(), 5);
    EXPECT_TRUE(g.is_cancelled());
    await(g.join_all());  // the error was consumed
  });
}

TEST_P(ScopeRt, TaskGroupCancelRemaining) {
  run([] {
    cprime::task_group g;
    std::atomic<int> cancelled{0};
    std::atomic<int> ok{0};
    auto quick = g.spawn([&] { ok.fetch_add(1); return 5; });
    EXPECT_EQ(quick.join(), 5);
    for (int i = 0; i < 5; ++i)
      g.spawn([&] {
        try {
          cprime::sleep_for(forever);
        } catch (const cprime::cancelled&) {
          cancelled.fetch_add(1);
          throw;
        }
      });
    g.cancel_remaining();
    await(g.join_all());  // cancellation is not an error
    EXPECT_EQ(cancelled.load(), 5);
    EXPECT_EQ(ok.load(), 1);
    // A task spawned after cancel_remaining starts cancelled.
    g.spawn([&] {
      try {
        cprime::sleep_for(forever);
      } catch (const cprime::cancelled&) {
        cancelled.fetch_add(1);
        throw;
      }
    });
    await(g.join_all());
    EXPECT_EQ(cancelled.load(), 6);
  });
}

TEST_P(ScopeRt, TaskGroupDestructorCancelsAndWaits) {
  run([] {
    std::atomic<bool> ran_defer{false};
    {
      cprime::task_group g;
      g.spawn([&] {
        auto d = cprime::defer([&] { ran_defer = true; });
        cprime::sleep_for(forever);
      });
      cprime::sleep_for(1ms);
    }
    EXPECT_TRUE(ran_defer.load());
  });
}

// ---- scoped_task ----

TEST_P(ScopeRt, ScopedTaskJoinsAndCancelsOnScopeExit) {
  run([] {
    auto t = cprime::spawn_scoped(cprime::here(), [](int x) { return x + 1; }, 1);
    EXPECT_EQ(await(t), 2);

    std::atomic<bool> stopped{false};
    {
      auto bg = cprime::spawn_scoped([&] {
        auto d = cprime::defer([&] { stopped = true; });
        for (int i = 0; i < 1000000; ++i) cprime::sleep_for(1ms);
      });
      cprime::sleep_for(2ms);
    }
    EXPECT_TRUE(stopped.load());

    auto failing = cprime::spawn_scoped([] { throw std::invalid_argument("bad"); });
    EXPECT_THROW(failing.join(), std::invalid_argument);
  });
}

}  // namespace
