// runtime/cancel_test.cpp — cancellation_token, with_token, spawn under a
// token, at 1, 2 and 4 workers.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "cprime/cancel.hpp"
#include "cprime/channel.hpp"
#include "cprime/defer.hpp"
#include "cprime/scope.hpp"
#include "cprime/task.hpp"
#include "test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::await;
using cprime::cancellation_token;

constexpr auto forever = 60s;

class TokenRt : public cprime_test::workers_fixture {};
CPRIME_WORKER_COUNTS(Token, TokenRt);

TEST(Token, CancelIsIdempotentAndSharedByCopies) {
  cancellation_token a;
  cancellation_token b = a;
  EXPECT_FALSE(b.is_cancelled());
  a.cancel();
  a.cancel();
  EXPECT_TRUE(b.is_cancelled());
  EXPECT_TRUE(a == b);
  await(b.cancelled());  // already cancelled: returns at once (plain thread)
}

TEST(Token, ChildrenFollowParentsNotTheOtherWay) {
  cancellation_token root;
  cancellation_token kid = root.child();
  cancellation_token grandkid = kid.child();
  kid.cancel();
  EXPECT_FALSE(root.is_cancelled());
  EXPECT_TRUE(grandkid.is_cancelled());
  cancellation_token other = root.child();
  root.cancel();
  EXPECT_TRUE(other.is_cancelled());
  EXPECT_TRUE(root.child().is_cancelled());  // made after: starts cancelled
}

TEST_P(TokenRt, CancelWakesEveryAwaiter) {
  run([] {
    cancellation_token tok;
    std::atomic<int> woke{0};
    cprime::parallel([&](cprime::scope& s) {
      for (int i = 0; i < 10; ++i)
        s.spawn([&] {
          await(tok.cancelled());
          woke.fetch_add(1);
        });
      cprime::sleep_for(1ms);
      tok.cancel();
    });
    EXPECT_EQ(woke.load(), 10);
  });
}

TEST_P(TokenRt, CancelFromAPlainThreadWakesAParkedCoroutine) {
  run([] {
    cancellation_token tok;
    std::thread canceller([tok] {
      std::this_thread::sleep_for(2ms);
      tok.cancel();
    });
    await(tok.cancelled());
    EXPECT_TRUE(tok.is_cancelled());
    canceller.join();
  });
}

TEST_P(TokenRt, AwaitingCancelledIsItselfACancellationPoint) {
  run([] {
    cancellation_token never;
    EXPECT_TRUE(cprime::timeout(2ms, [&](cprime::scope&) { await(never.cancelled()); }));
    EXPECT_FALSE(never.is_cancelled());
  });
}

TEST_P(TokenRt, SpawnUnderATokenIsCancelledByIt) {
  run([] {
    cancellation_token tok;
    cprime::channel<int> jobs;
    std::atomic<bool> deferred{false};
    auto worker = cprime::spawn(cprime::here(), tok, [&deferred](cprime::channel<int> in) {
      auto d = cprime::defer([&] { deferred = true; });
      int sum = 0;
      for (int j : in) sum += j;  // parks in recv until cancelled
      return sum;
    }, jobs);
    (void)await(jobs.send(1));
    tok.cancel();
    EXPECT_THROW(worker.join(), cprime::cancelled);
    EXPECT_TRUE(deferred.load());
  });
}

TEST_P(TokenRt, SpawnUnderATokenEscapesTheSpawnersScope) {
  run([] {
    cancellation_token tok;
    cprime::channel<int> done;
    cprime::task<int> t;
    EXPECT_TRUE(cprime::timeout(2ms, [&](cprime::scope&) {
      t = cprime::spawn(tok, [done] { return await(done.recv()).value_or(0); });
      cprime::sleep_for(forever);
    }));
    (void)await(done.send(4));  // the token's task survived the timeout
    EXPECT_EQ(t.join(), 4);
  });
}

TEST_P(TokenRt, WithTokenInterruptsTheCurrentCoroutineAndItsSpawns) {
  run([] {
    cancellation_token tok;
    std::atomic<bool> spawned_cancelled{false};
    std::atomic<bool> started{false};
    cprime::task<void> inner;
    // Cancels once the spawn happened (under a sanitizer on a loaded machine
    // the body may take longer than any fixed delay to get there).
    std::thread canceller([tok, &started] {
      while (!started.load()) std::this_thread::sleep_for(1ms);
      std::this_thread::sleep_for(2ms);
      tok.cancel();
    });
    EXPECT_THROW(cprime::with_token(tok,
                                    [&] {
                                      inner = cprime::spawn([&] {
                                        started = true;
                                        try {
                                          cprime::sleep_for(forever);
                                        } catch (const cprime::cancelled&) {
                                          spawned_cancelled = true;
                                        }
                                      });
                                      cprime::sleep_for(forever);
                                    }),
                 cprime::cancelled);
    canceller.join();
    inner.join();
    EXPECT_TRUE(spawned_cancelled.load());
    // The caller itself is not cancelled afterwards.
    cprime::sleep_for(1ms);
    EXPECT_EQ(cprime::with_token(cancellation_token(), [] { return 3; }), 3);
  });
}

TEST_P(TokenRt, WithTokenStillFollowsTheCallersScope) {
  run([] {
    cancellation_token tok;  // never cancelled
    EXPECT_TRUE(cprime::timeout(2ms, [&](cprime::scope&) {
      cprime::with_token(tok, [] { cprime::sleep_for(forever); });
    }));
    EXPECT_FALSE(tok.is_cancelled());
  });
}

TEST_P(TokenRt, InheritedTokenFollowsTheEnclosingBlock) {
  run([] {
    cancellation_token seen;
    EXPECT_TRUE(cprime::timeout(2ms, [&](cprime::scope&) {
      seen = cancellation_token::inherit();
      await(seen.cancelled());  // cancelled by the deadline either way
    }));
    EXPECT_TRUE(seen.is_cancelled());
    cancellation_token mine = cancellation_token::inherit();
    mine.cancel();  // cancels nothing above it
    cprime::sleep_for(1ms);
  });
}

}  // namespace
