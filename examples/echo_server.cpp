// echo_server: a TCP echo server, one coroutine per connection.
//
// Usage: echo_server [PORT] [WORKERS]
//   PORT     default $ECHO_PORT or 7007 (0 picks a free port); binds 127.0.0.1
//   WORKERS  default $CPRIME_WORKERS or one per core
// Prints "listening 127.0.0.1:PORT" once it accepts connections; runs until
// killed. Drive it with examples/echo_client or bench/peers/go/loadgen.go.
#include <cprime/cprime.hpp>
#include <cprime/net.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

namespace net = cprime::net;

// serve echoes one connection until the peer closes it. A reset or broken
// pipe ends only this connection; the server keeps serving the others.
void serve(net::tcp_stream conn) {
  defer conn.close();
  char buf[16 * 1024];
  try {
    while (size_t n = conn.read(buf, sizeof buf)) conn.write_all(buf, n);
  } catch (const std::system_error&) {
    // The peer went away abruptly (ECONNRESET, EPIPE): nothing to answer.
  }
}

int main(int argc, char** argv) {
  const char* env_port = std::getenv("ECHO_PORT");
  const std::string port = argc > 1 ? argv[1] : env_port != nullptr ? env_port : "7007";
  auto builder = cprime::runtime::builder();
  if (argc > 2) builder.worker_threads(std::atoi(argv[2]));
  auto rt = builder.build();
  rt.run([&] {
    auto listener = net::tcp_listener::bind("127.0.0.1:" + port);
    std::printf("listening %s\n", listener.local_address().to_string().c_str());
    std::fflush(stdout);
    for (;;) {
      spawn serve(listener.accept());
    }
  });
}
