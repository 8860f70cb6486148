// Boost.Asio compiles unchanged with the plugin loaded, in an enabled file
// that also uses CPrime constructs.
// RUN: %clangxx_cprime -fsyntax-only %s
#include <boost/asio.hpp>
#include <cprime/cprime.hpp>

int main() {
  boost::asio::io_context io;
  boost::asio::steady_timer t(io, std::chrono::milliseconds(1));
  t.async_wait([](const boost::system::error_code&) {});
  defer io.run();
  return 0;
}
