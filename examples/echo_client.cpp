// echo_client: opens CONNS connections to an echo server, sends MESSAGES
// numbered messages on each, and checks every echo byte for byte.
//
// Usage: echo_client [HOST:PORT] [MESSAGES] [CONNS]
//   defaults: 127.0.0.1:7007, 1000 messages, 4 connections
// Exits 0 and prints "ok: N echoes" when every echo matched, 1 otherwise.
#include <cprime/cprime.hpp>
#include <cprime/net.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

namespace net = cprime::net;

// exchange sends `messages` messages on one connection and verifies each echo.
// Returns how many came back intact.
long exchange(const std::string& to, int conn_id, int messages) {
  auto conn = net::tcp_stream::connect(to, std::chrono::seconds(5));
  defer conn.close();
  long ok = 0;
  for (int i = 0; i < messages; ++i) {
    char msg[64];
    const int len = std::snprintf(msg, sizeof msg, "conn %d message %d\n", conn_id, i);
    conn.write_all(msg, static_cast<size_t>(len));
    char echo[64];
    if (!conn.read_exact(echo, static_cast<size_t>(len)) || std::memcmp(msg, echo, len) != 0) break;
    ++ok;
  }
  conn.shutdown(net::shutdown_how::write);
  return ok;
}

int main(int argc, char** argv) {
  const std::string to = argc > 1 ? argv[1] : "127.0.0.1:7007";
  const int messages = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int conns = argc > 3 ? std::atoi(argv[3]) : 4;
  std::atomic<long> echoed{0};
  try {
    parallel {
      for (int c = 0; c < conns; ++c) {
        spawn [&echoed, &to, c, messages] { echoed += exchange(to, c, messages); }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "echo_client: %s\n", e.what());
    return 1;
  }
  const long want = static_cast<long>(messages) * conns;
  if (echoed != want) {
    std::fprintf(stderr, "echo_client: %ld of %ld echoes matched\n", echoed.load(), want);
    return 1;
  }
  std::printf("ok: %ld echoes\n", echoed.load());
  return 0;
}
