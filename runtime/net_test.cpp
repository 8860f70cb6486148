// runtime/net_test.cpp — net::address, tcp_listener, tcp_stream over loopback,
// at 1, 2 and 4 workers: 1,000 concurrent checksummed echo streams, abrupt
// peers (RST), EMFILE on accept, connect timeout/refusal, cancellation.
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

#include "cprime/runtime.hpp"
#include "cprime/task.hpp"
#include "cprime/net.hpp"
#include "io_test_util.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = cprime::net;
using cprime::test::io_workers;

// raise_nofile lifts the soft RLIMIT_NOFILE to the hard limit for the test's
// scope and restores it after.
struct raise_nofile {
  rlimit saved{};
  raise_nofile() {
    ::getrlimit(RLIMIT_NOFILE, &saved);
    rlimit r = saved;
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
  ~raise_nofile() { ::setrlimit(RLIMIT_NOFILE, &saved); }
  static rlim_t soft() {
    rlimit r{};
    ::getrlimit(RLIMIT_NOFILE, &r);
    return r.rlim_cur;
  }
};

// byte_at is the deterministic stream connection `conn` sends: position k.
uint8_t byte_at(uint32_t conn, uint64_t k) {
  uint64_t x = (k + 1) * 0x9E3779B97F4A7C15ull ^ (uint64_t{conn} << 32);
  x ^= x >> 29;
  return static_cast<uint8_t>(x * 0xBF58476D1CE4E5B9ull >> 56);
}

// echo_server accepts `conns` connections and echoes each on its own coroutine
// until the peer closes; counts connections that ended in an error.
struct echo_server {
  net::tcp_listener ln = net::tcp_listener::bind("127.0.0.1:0");
  std::atomic<int> errors{0};
  std::atomic<int> served{0};

  cprime::task<void> start(int conns) {
    return cprime::spawn([this, conns] {
      std::vector<cprime::task<void>> handlers;
      for (int i = 0; i < conns; ++i) {
        handlers.push_back(cprime::spawn(
            [this](net::tcp_stream s) {
              char buf[8192];
              try {
                while (size_t n = s.read(buf, sizeof buf)) s.write_all(buf, n);
                ++served;
              } catch (const std::system_error&) {
                ++errors;
              }
            },
            ln.accept()));
      }
      for (auto& h : handlers) h.join();
    });
  }
};

class net_test : public io_workers {};

TEST_P(net_test, thousand_concurrent_checksummed_echo_streams) {
  raise_nofile nofile;
  constexpr int conns = 1000;
  constexpr size_t bytes_per_conn = 32 * 1024;
  // 1,000 connections need two descriptors each: a hard limit below that is
  // a machine that cannot run this test, reported as a failure, not skipped.
  ASSERT_GE(raise_nofile::soft(), static_cast<rlim_t>(2 * conns + 64))
      << "RLIMIT_NOFILE hard limit too low for 1,000 loopback connections";
  run([&] {
    echo_server srv;
    const auto to = srv.ln.local_address();
    auto server = srv.start(conns);
    std::atomic<int> intact{0};
    std::vector<cprime::task<void>> clients;
    for (uint32_t c = 0; c < conns; ++c) {
      clients.push_back(cprime::spawn([&, c] {
        auto s = net::tcp_stream::connect(to, 10s);
        // The writer runs beside the reader, in chunks of varying size, so the
        // echo interleaves with sending and both directions park.
        auto writer = cprime::spawn([&s, c] {
          std::vector<uint8_t> chunk(4096);
          uint64_t sent = 0;
          for (size_t len = 1 + c % 97; sent < bytes_per_conn; len = len * 7 % 4093 + 1) {
            const size_t n = std::min<uint64_t>(len, bytes_per_conn - sent);
            for (size_t i = 0; i < n; ++i) chunk[i] = byte_at(c, sent + i);
            s.write_all(chunk.data(), n);
            sent += n;
          }
          s.shutdown(net::shutdown_how::write);
        });
        uint64_t got = 0, sum_got = 0, sum_want = 0;
        bool in_order = true;
        uint8_t buf[3000];
        for (int reads = 0; reads < 1'000'000; ++reads) {
          const size_t n = s.read(buf, sizeof buf);
          if (n == 0) break;
          for (size_t i = 0; i < n; ++i) {
            in_order &= buf[i] == byte_at(c, got + i);
            sum_got = sum_got * 31 + buf[i];
            sum_want = sum_want * 31 + byte_at(c, got + i);
          }
          got += n;
        }
        writer.join();
        if (in_order && got == bytes_per_conn && sum_got == sum_want) ++intact;
      }));
    }
    for (auto& t : clients) t.join();
    server.join();
    EXPECT_EQ(intact.load(), conns);
    EXPECT_EQ(srv.served.load(), conns);
    EXPECT_EQ(srv.errors.load(), 0);
  });
}

TEST_P(net_test, abrupt_peers_do_not_stop_the_server) {
  run([] {
    constexpr int abrupt = 40;
    echo_server srv;
    const auto to = srv.ln.local_address();
    auto server = srv.start(abrupt + 1);
    for (int i = 0; i < abrupt; ++i) {
      auto s = net::tcp_stream::connect(to, 5s);
      // Half of them vanish while the server is writing a large echo back.
      std::vector<char> big(i % 2 ? 1 << 20 : 16, 'r');
      s.write_all(big.data(), i % 2 ? 64 * 1024 : big.size());
      linger hard{1, 0};  // close() sends RST instead of FIN
      ASSERT_EQ(::setsockopt(s.native_handle(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard), 0);
      s.close();
    }
    auto s = net::tcp_stream::connect(to, 5s);
    s.write_all("still here");
    char back[10];
    ASSERT_TRUE(s.read_exact(back, sizeof back));
    EXPECT_EQ(std::string(back, sizeof back), "still here");
    s.shutdown(net::shutdown_how::write);
    EXPECT_EQ(s.read(back, 1), 0u);
    server.join();
    EXPECT_EQ(srv.served.load() + srv.errors.load(), abrupt + 1);
  });
}

TEST_P(net_test, write_to_reset_peer_throws_without_sigpipe) {
  run([] {
    auto ln = net::tcp_listener::bind("127.0.0.1:0");
    auto c = net::tcp_stream::connect(ln.local_address(), 5s);
    auto s = ln.accept();
    linger hard{1, 0};
    ASSERT_EQ(::setsockopt(c.native_handle(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard), 0);
    c.close();
    std::vector<char> buf(64 * 1024, 'w');
    bool threw = false;
    try {
      for (int i = 0; i < 1000; ++i) s.write_all(buf.data(), buf.size());
    } catch (const std::system_error& e) {
      threw = e.code() == std::errc::connection_reset || e.code() == std::errc::broken_pipe;
    }
    EXPECT_TRUE(threw);
  });
}

TEST_P(net_test, read_reports_eof_and_unexpected_eof) {
  run([] {
    auto ln = net::tcp_listener::bind("127.0.0.1:0");
    auto c = net::tcp_stream::connect(ln.local_address(), 5s);
    auto s = ln.accept();
    c.write_all("abc");
    c.shutdown(net::shutdown_how::write);
    char buf[8];
    try {
      (void)s.read_exact(buf, 8);
      ADD_FAILURE() << "read_exact past EOF did not throw";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code(), net::error::unexpected_eof);
    }
    EXPECT_FALSE(s.read_exact(buf, 1));
    EXPECT_EQ(s.read(buf, 8), 0u);
    EXPECT_EQ(s.peer_address(), c.local_address());
  });
}

// The span and string overloads, in the spellings C++20 code holds buffers
// in: every form must move exactly the bytes it names (a literal without its
// '\0', a span's size, a container's size) and read into exactly its extent.
TEST_P(net_test, span_and_string_overloads_move_exactly_their_bytes) {
  run([] {
    auto ln = net::tcp_listener::bind("127.0.0.1:0");
    auto c = net::tcp_stream::connect(ln.local_address(), 5s);
    auto s = ln.accept();

    const std::array<std::byte, 3> bytes{std::byte{1}, std::byte{2}, std::byte{3}};
    c.write_all(std::span<const std::byte>(bytes));    // const byte span
    std::vector<char> chars{'d', 'e'};
    c.write_all(chars);                                  // vector<char> → span<const char>
    c.write_all(std::span(chars).first(1));              // span<char> → span<const char>
    const std::vector<unsigned char> uchars{'f', 'g'};
    c.write_all(uchars);                                 // span<const unsigned char>
    c.write_all("hi");                                   // literal: 2 bytes, no '\0'
    c.write_all(std::string("jk"));                      // std::string
    c.write_all(std::string_view("lmn").substr(1));      // string_view: "mn"
    std::array<std::byte, 2> more{std::byte{'o'}, std::byte{'p'}};
    size_t w = 0;
    while (w < more.size()) w += c.write(std::span(more).subspan(w));  // span<byte>
    EXPECT_EQ(c.write("q"), 1u);                         // write(): literal without '\0'
    c.shutdown(net::shutdown_how::write);

    std::array<std::byte, 3> b3{};
    ASSERT_TRUE(s.read_exact(b3));                       // span<std::byte>
    EXPECT_EQ(b3, bytes);
    std::string str(3, '\0');
    ASSERT_TRUE(s.read_exact(str));                      // std::string → span<char>
    EXPECT_EQ(str, "ded");
    unsigned char u[2];
    ASSERT_TRUE(s.read_exact(u));                        // C array → span<unsigned char>
    EXPECT_EQ(u[0], 'f');
    EXPECT_EQ(u[1], 'g');
    std::vector<char> rest;
    char buf[4];
    while (size_t n = s.read(buf)) {                     // char[4] → span<char>, at most 4
      ASSERT_LE(n, sizeof buf);
      rest.insert(rest.end(), buf, buf + n);
    }
    EXPECT_EQ(std::string(rest.begin(), rest.end()), "hijkmnopq");
    std::byte none[1];
    EXPECT_EQ(s.read(std::span<std::byte>(none)), 0u);  // end of stream
    EXPECT_FALSE(s.read_exact(std::span<std::byte>(none)));
    EXPECT_EQ(s.read(std::span<char>()), 0u);            // empty span: 0, no wait
  });
}

TEST_P(net_test, connect_refused_and_timeout) {
  run([] {
    net::address closed_port;
    {
      auto ln = net::tcp_listener::bind("127.0.0.1:0");
      closed_port = ln.local_address();
    }
    try {
      (void)net::tcp_stream::connect(closed_port, 5s);
      ADD_FAILURE() << "connect to a closed port succeeded";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code(), std::errc::connection_refused);
    }
    // A listener that never accepts, with a backlog of 1: once its queue is
    // full the kernel drops further SYNs, so a connect can only time out.
    auto ln = net::tcp_listener::bind("127.0.0.1:0", 1);
    std::vector<net::tcp_stream> queued;
    bool timed_out = false;
    for (int i = 0; i < 16 && !timed_out; ++i) {
      try {
        queued.push_back(net::tcp_stream::connect(ln.local_address(), 100ms));
      } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), std::errc::timed_out) << e.what();
        timed_out = true;
      }
    }
    EXPECT_TRUE(timed_out);
  });
}

TEST_P(net_test, cancellation_reaches_parked_read_and_accept) {
  run([] {
    auto ln = net::tcp_listener::bind("127.0.0.1:0");
    auto c = net::tcp_stream::connect(ln.local_address(), 5s);
    auto s = ln.accept();
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(cprime::test::run_with_deadline(30ms, [&] {
      char b;
      (void)s.read(&b, 1);
    }));
    EXPECT_TRUE(cprime::test::run_with_deadline(30ms, [&] { (void)ln.accept(); }));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    // Both stay usable.
    c.write_all("k");
    char b = 0;
    EXPECT_EQ(s.read(&b, 1), 1u);
    EXPECT_EQ(b, 'k');
  });
}

TEST_P(net_test, server_under_a_timeout_stops_promptly) {
  run([] {
    auto ln = net::tcp_listener::bind("127.0.0.1:0");
    constexpr int conns = 8;
    std::vector<net::tcp_stream> clients;
    for (int i = 0; i < conns; ++i) clients.push_back(net::tcp_stream::connect(ln.local_address(), 5s));
    std::atomic<int> cancelled_handlers{0};
    std::vector<cprime::task<void>> handlers;
    const auto t0 = std::chrono::steady_clock::now();
    // Handlers spawned inside the deadline's node are cancelled with it.
    const bool hit = cprime::test::run_with_deadline(100ms, [&] {
      for (int i = 0; i < 1000; ++i) {
        handlers.push_back(cprime::spawn(
            [&cancelled_handlers](net::tcp_stream s) {
              try {
                char b;
                while (s.read(&b, 1) != 0) {
                }
              } catch (const cprime::cancelled&) {
                ++cancelled_handlers;
                throw;
              }
            },
            ln.accept()));
      }
    });
    for (auto& h : handlers) {
      try {
        h.join();
      } catch (const cprime::cancelled&) {
      }
    }
    EXPECT_TRUE(hit);
    EXPECT_EQ(handlers.size(), static_cast<size_t>(conns));
    EXPECT_EQ(cancelled_handlers.load(), conns);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  });
}

TEST_P(net_test, several_acceptors_share_a_listener) {
  run([] {
    auto ln = net::tcp_listener::bind("127.0.0.1:0");
    constexpr int acceptors = 4, per = 5;
    std::atomic<int> accepted{0};
    std::vector<cprime::task<void>> ts;
    for (int a = 0; a < acceptors; ++a)
      ts.push_back(cprime::spawn([&] {
        for (int i = 0; i < per; ++i) {
          auto s = ln.accept();
          ++accepted;
        }
      }));
    std::vector<net::tcp_stream> cs;
    for (int i = 0; i < acceptors * per; ++i) cs.push_back(net::tcp_stream::connect(ln.local_address(), 5s));
    for (auto& t : ts) t.join();
    EXPECT_EQ(accepted.load(), acceptors * per);
  });
}

// EMFILE: with the descriptor table full, accept() must pause and retry (not
// spin, not throw) and serve the connection once descriptors free up.
TEST_P(net_test, accept_backs_off_on_emfile_and_keeps_serving) {
  run([] {
    auto ln = net::tcp_listener::bind("127.0.0.1:0");
    const auto to = ln.local_address();
    const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(client, 0);
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    std::vector<int> filler;
    {
      rlimit low = saved;
      low.rlim_cur = static_cast<rlim_t>(client) + 16;
      ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
      for (int i = 0; i < 100000; ++i) {
        const int d = ::dup(client);
        if (d < 0) break;
        filler.push_back(d);
      }
    }
    ASSERT_EQ(::connect(client, to.data(), to.size()), 0);  // queued in the backlog
    const uint64_t before = cprime::detail::accept_backoffs();
    auto server = cprime::spawn([&] {
      auto s = ln.accept();
      char b;
      if (s.read(&b, 1) == 1) s.write_all(&b, 1);
    });
    cprime::sleep_for(300ms);
    const uint64_t pauses = cprime::detail::accept_backoffs() - before;
    for (int d : filler) ::close(d);
    ::setrlimit(RLIMIT_NOFILE, &saved);
    // 5+10+20+40+80+160 ms: about 6 pauses in 300 ms; a spinning accept would
    // have made thousands.
    EXPECT_GE(pauses, 1u);
    EXPECT_LE(pauses, 12u);
    ASSERT_EQ(::write(client, "e", 1), 1);
    server.join();
    char b = 0;
    EXPECT_EQ(::read(client, &b, 1), 1);
    EXPECT_EQ(b, 'e');
    ::close(client);
  });
}

INSTANTIATE_TEST_SUITE_P(workers, net_test, ::testing::Values(1, 2, 4),
                         [](const auto& info) { return "w" + std::to_string(info.param); });

TEST(net_address, parses_the_usual_forms) {
  EXPECT_EQ(net::address::parse("127.0.0.1:8080").to_string(), "127.0.0.1:8080");
  EXPECT_EQ(net::address::parse("[::1]:80").to_string(), "[::1]:80");
  EXPECT_EQ(net::address::parse("[::1]:80").family(), AF_INET6);
  EXPECT_EQ(net::address::parse("localhost:80").to_string(), "127.0.0.1:80");
  EXPECT_EQ(net::address::parse(":8080").to_string(), "0.0.0.0:8080");
  EXPECT_EQ(net::address::parse("127.0.0.1:0").port(), 0);
  EXPECT_EQ(net::address::parse("127.0.0.1:65535").port(), 65535);
}

TEST(net_address, bad_input_is_named_in_the_error) {
  const char* bad[] = {"",          "127.0.0.1",     "127.0.0.1:",  "[::1",       "[::1]",
                       "[::1]80",   "::1:80",        "1.2.3.4:x",   "1.2.3.4:65536", "1.2.3.4:123456",
                       "[]:80",     "[nothost]:80",  "no-such-host.invalid:80"};
  for (const char* in : bad) {
    try {
      (void)net::address::parse(in);
      ADD_FAILURE() << "accepted \"" << in << "\"";
    } catch (const net::address_error& e) {
      EXPECT_NE(std::string(e.what()).find("\"" + std::string(in) + "\""), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW((void)net::tcp_listener::bind("1.2.3.4"), std::invalid_argument);
  EXPECT_THROW((void)net::tcp_stream::connect("nope"), net::address_error);
}

TEST(net_plain_thread, blocking_echo_without_coroutines) {
  auto ln = net::tcp_listener::bind("127.0.0.1:0");
  std::thread srv([&] {
    auto s = ln.accept();
    char buf[64];
    while (size_t n = s.read(buf, sizeof buf)) s.write_all(buf, n);
  });
  {
    auto c = net::tcp_stream::connect(ln.local_address(), 5s);
    c.write_all("plain");
    char back[5];
    ASSERT_TRUE(c.read_exact(back, 5));
    EXPECT_EQ(std::string(back, 5), "plain");
  }
  srv.join();
}

}  // namespace
