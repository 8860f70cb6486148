// runtime/poller_test.cpp — io::wait_readable / wait_writable on raw fds, at
// 1, 2 and 4 workers: pipes, timeouts, level-triggered meaning, many waiters,
// cancellation, plain threads, bad descriptors.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <system_error>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cprime/runtime.hpp"
#include "cprime/task.hpp"
#include "cprime/io.hpp"
#include "cprime/detail/poller.hpp"
#include "io_test_util.hpp"

namespace {

using namespace std::chrono_literals;
using cprime::test::io_workers;

struct pipe_fds {
  int rd = -1, wr = -1;
  pipe_fds() {
    int p[2];
    if (::pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    rd = p[0];
    wr = p[1];
  }
  ~pipe_fds() {
    cprime::io::forget(rd);
    cprime::io::forget(wr);
    ::close(rd);
    ::close(wr);
  }
};

class poller_test : public io_workers {};

TEST_P(poller_test, wait_readable_on_pipe_parks_until_written) {
  run([] {
    pipe_fds p;
    std::atomic<bool> written{false};
    auto writer = cprime::spawn([&] {
      cprime::sleep_for(20ms);
      written = true;
      ASSERT_EQ(::write(p.wr, "x", 1), 1);
    });
    cprime::io::wait_readable(p.rd);
    EXPECT_TRUE(written.load());
    char c = 0;
    EXPECT_EQ(::read(p.rd, &c, 1), 1);
    EXPECT_EQ(c, 'x');
    writer.join();
  });
}

TEST_P(poller_test, wait_is_level_triggered) {
  run([] {
    pipe_fds p;
    ASSERT_EQ(::write(p.wr, "ab", 2), 2);
    // Not drained between waits: each must still return at once.
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(cprime::io::wait_readable(p.rd, 2s));
    EXPECT_TRUE(cprime::io::wait_writable(p.wr, 2s));
  });
}

TEST_P(poller_test, wait_with_timeout_expires) {
  run([] {
    pipe_fds p;
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(cprime::io::wait_readable(p.rd, 50ms));
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(took, 50ms);
    EXPECT_LT(took, 5s);
    EXPECT_FALSE(cprime::io::wait_readable(p.rd, 0ms));
  });
}

TEST_P(poller_test, wait_writable_on_full_pipe) {
  run([] {
    pipe_fds p;
    char buf[4096] = {};
    long filled = 0;
    for (int i = 0; i < 100000; ++i) {  // a pipe holds 64 KiB by default
      const ssize_t n = ::write(p.wr, buf, sizeof buf);
      if (n < 0) break;
      filled += n;
    }
    ASSERT_GT(filled, 0);
    EXPECT_FALSE(cprime::io::wait_writable(p.wr, 20ms));
    auto drainer = cprime::spawn([&] {
      cprime::sleep_for(10ms);
      char sink[65536];
      while (::read(p.rd, sink, sizeof sink) > 0) {
      }
    });
    EXPECT_TRUE(cprime::io::wait_writable(p.wr, 5s));
    drainer.join();
  });
}

TEST_P(poller_test, many_waiters_on_many_pipes) {
  run([] {
    constexpr int n = 200;
    std::vector<pipe_fds> pipes(n);
    std::atomic<int> woken{0};
    std::vector<cprime::task<void>> waiters;
    for (int i = 0; i < n; ++i) {
      waiters.push_back(cprime::spawn([&, i] {
        if (cprime::io::wait_readable(pipes[i].rd, 10s)) ++woken;
      }));
    }
    cprime::sleep_for(10ms);
    for (int i = n - 1; i >= 0; --i) ASSERT_EQ(::write(pipes[i].wr, "y", 1), 1);
    for (auto& t : waiters) t.join();
    EXPECT_EQ(woken.load(), n);
  });
}

TEST_P(poller_test, several_waiters_on_one_fd_all_wake) {
  run([] {
    pipe_fds p;
    std::atomic<int> woken{0};
    std::vector<cprime::task<void>> waiters;
    for (int i = 0; i < 8; ++i)
      waiters.push_back(cprime::spawn([&] {
        if (cprime::io::wait_readable(p.rd, 10s)) ++woken;
      }));
    cprime::sleep_for(10ms);
    ASSERT_EQ(::write(p.wr, "z", 1), 1);
    for (auto& t : waiters) t.join();
    EXPECT_EQ(woken.load(), 8);
  });
}

// poll_ready() (the scheduler hook) may run beside the poller thread: every
// edge reaches exactly one of them and no wake is lost.
TEST_P(poller_test, poll_ready_beside_the_poller_thread) {
  run([] {
    std::atomic<bool> stop{false};
    std::thread helper([&] {
      for (int i = 0; i < 1'000'000 && !stop.load(); ++i) (void)cprime::detail::poll_ready(1);
    });
    constexpr int n = 50, rounds = 20;
    std::vector<pipe_fds> pipes(n);
    std::atomic<int> woken{0};
    for (int r = 0; r < rounds; ++r) {
      std::vector<cprime::task<void>> waiters;
      for (int i = 0; i < n; ++i)
        waiters.push_back(cprime::spawn([&, i] {
          if (cprime::io::wait_readable(pipes[i].rd, 10s)) ++woken;
          char c;
          (void)::read(pipes[i].rd, &c, 1);
        }));
      for (int i = 0; i < n; ++i) ASSERT_EQ(::write(pipes[i].wr, "p", 1), 1);
      for (auto& t : waiters) t.join();
    }
    stop = true;
    helper.join();
    EXPECT_EQ(woken.load(), n * rounds);
  });
}

TEST_P(poller_test, cancellation_reaches_a_parked_wait) {
  run([] {
    pipe_fds p;
    const auto t0 = std::chrono::steady_clock::now();
    bool threw = false;
    const bool hit = cprime::test::run_with_deadline(30ms, [&] {
      try {
        cprime::io::wait_readable(p.rd);
      } catch (const cprime::cancelled&) {
        threw = true;
        throw;
      }
    });
    EXPECT_TRUE(hit);
    EXPECT_TRUE(threw);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    // The fd stays usable after a cancelled wait.
    ASSERT_EQ(::write(p.wr, "q", 1), 1);
    EXPECT_TRUE(cprime::io::wait_readable(p.rd, 5s));
  });
}

TEST_P(poller_test, forget_then_reuse_fd_number) {
  run([] {
    for (int round = 0; round < 20; ++round) {
      pipe_fds p;  // likely the same fd numbers each round
      EXPECT_FALSE(cprime::io::wait_readable(p.rd, 1ms));
      ASSERT_EQ(::write(p.wr, "r", 1), 1);
      EXPECT_TRUE(cprime::io::wait_readable(p.rd, 5s));
    }
    for (int round = 0; round < 20; ++round) {  // closed without forget
      int q[2];
      ASSERT_EQ(::pipe2(q, O_NONBLOCK | O_CLOEXEC), 0);
      EXPECT_FALSE(cprime::io::wait_readable(q[0], 1ms));
      ASSERT_EQ(::write(q[1], "s", 1), 1);
      EXPECT_TRUE(cprime::io::wait_readable(q[0], 5s));
      ::close(q[0]);
      ::close(q[1]);
    }
  });
}

TEST_P(poller_test, bad_descriptor_throws) {
  run([] {
    int q[2];
    ASSERT_EQ(::pipe2(q, O_NONBLOCK | O_CLOEXEC), 0);
    ::close(q[0]);
    ::close(q[1]);
    EXPECT_THROW((void)cprime::io::wait_readable(q[0], 10ms), std::system_error);
    EXPECT_THROW(cprime::io::wait_readable(-1), std::system_error);
  });
}

TEST_P(poller_test, regular_file_is_always_ready) {
  run([] {
    char path[] = "/tmp/cprime_poller_test_XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::unlink(path);
    EXPECT_TRUE(cprime::io::wait_readable(fd, 1s));
    EXPECT_TRUE(cprime::io::wait_writable(fd, 1s));
    cprime::io::forget(fd);
    ::close(fd);
  });
}

INSTANTIATE_TEST_SUITE_P(workers, poller_test, ::testing::Values(1, 2, 4),
                         [](const auto& info) { return "w" + std::to_string(info.param); });

TEST(poller_plain_thread, waits_block_the_thread) {
  pipe_fds p;
  EXPECT_FALSE(cprime::io::wait_readable(p.rd, 20ms));
  std::thread w([&] {
    std::this_thread::sleep_for(10ms);
    ASSERT_EQ(::write(p.wr, "t", 1), 1);
  });
  cprime::io::wait_readable(p.rd);
  w.join();
  EXPECT_TRUE(cprime::io::wait_writable(p.wr, 1s));
}

}  // namespace
