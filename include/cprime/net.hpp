// cprime/net.hpp — TCP sockets that park the coroutine, never the worker.
//
// Example: an echo server, one coroutine per connection (plain-C++ spelling;
// examples/echo_server.cpp is the same in CPrime syntax).
//
//   #include <cprime/cprime.hpp>
//
//   int main() {
//     auto ln = cprime::net::tcp_listener::bind("127.0.0.1:8080");
//     for (;;) {
//       cprime::spawn([](cprime::net::tcp_stream s) {
//         char buf[4096];
//         while (size_t n = s.read(buf, sizeof buf)) s.write_all(buf, n);
//       }, ln.accept());                       // the stream closes with the coroutine
//     }
//   }
//
//   auto s = cprime::net::tcp_stream::connect("localhost:8080", std::chrono::seconds(2));
//   s.write_all("ping", 4);
//   char reply[4];
//   if (!s.read_exact(reply, 4)) { /* peer closed before replying */ }
//
// Error policy (the same for every operation here):
//   - A malformed or unresolvable address string throws net::address_error
//     (a std::invalid_argument) whose message quotes the input.
//   - Failures the OS reports (refused, reset, broken pipe, timed out) throw
//     std::system_error carrying the errno code (std::errc::connection_reset,
//     std::errc::broken_pipe, std::errc::timed_out …) and naming the operation
//     and peer. End of stream is not an error: read() returns 0.
//   - Using a stream closed (by close()) while an operation waited on it
//     throws std::system_error(net::error::closed); read_exact() hitting EOF
//     after a partial read throws std::system_error(net::error::unexpected_eof).
//   - A cancelled coroutine gets cprime::cancelled at entry of an operation or
//     from inside a wait.
//   - Never SIGPIPE (sends use MSG_NOSIGNAL), never a crash. accept() retries
//     EMFILE/ENFILE/ENOBUFS/ENOMEM after a growing pause (5 ms … 1 s, as Go's
//     net/http does) and transient per-connection errors at once.
//
// One reader and one writer may use a stream concurrently (e.g. two
// coroutines), and several coroutines may accept() on one listener. close()
// must not race with other operations on the same object; to interrupt a
// parked reader from elsewhere, call shutdown() or cancel the reader.
// On a plain OS thread every operation blocks that thread instead.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "cprime/detail/annotate.hpp"

namespace cprime::detail {
struct poll_desc;
}

namespace cprime::net {

// address_error is thrown for an address string that does not parse or resolve.
class address_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// error holds the failures the OS has no errno for.
enum class error {
  closed = 1,          // the socket was closed while an operation waited on it
  unexpected_eof = 2,  // read_exact: the peer closed mid-message
};

// net_category() is the std::error_category of net::error.
const std::error_category& net_category() noexcept;
inline std::error_code make_error_code(error e) noexcept { return {static_cast<int>(e), net_category()}; }

// address is an IPv4 or IPv6 socket address with a port (a sockaddr_storage).
class address {
 public:
  // address() is the unspecified address (family AF_UNSPEC).
  address() noexcept;

  // parse(text) accepts "host:port": "127.0.0.1:8080", "[::1]:80",
  // "localhost:80", ":8080" (all IPv4 interfaces, for listening). Host names
  // are resolved with getaddrinfo (the first IPv4 result is preferred); this
  // blocks the calling thread. Port 0 asks bind() for an ephemeral port.
  // Throws address_error naming the input and what is wrong with it.
  static address parse(std::string_view text);

  // from_sockaddr() copies a sockaddr_in or sockaddr_in6.
  static address from_sockaddr(const sockaddr* sa, socklen_t len);

  int family() const noexcept { return storage_.ss_family; }
  uint16_t port() const noexcept;
  // to_string() gives "127.0.0.1:8080" or "[::1]:80" (parse() accepts it back).
  std::string to_string() const;
  const sockaddr* data() const noexcept { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t size() const noexcept { return len_; }

  friend bool operator==(const address& a, const address& b) noexcept;

 private:
  sockaddr_storage storage_;
  socklen_t len_ = 0;
};

// shutdown_how selects which direction tcp_stream::shutdown() ends.
enum class shutdown_how { read = SHUT_RD, write = SHUT_WR, both = SHUT_RDWR };

// tcp_stream is one TCP connection: move-only, closes in its destructor.
// Sockets are non-blocking, close-on-exec, TCP_NODELAY (as Go's).
class tcp_stream {
 public:
  // tcp_stream() is not connected (is_open() == false).
  tcp_stream() noexcept = default;
  tcp_stream(tcp_stream&& o) noexcept;
  tcp_stream& operator=(tcp_stream&& o) noexcept;
  ~tcp_stream();

  // connect(to) opens a connection; connect(to, timeout) gives up with
  // std::system_error(std::errc::timed_out) after timeout. The string forms
  // parse `to` with address::parse first.
  CPRIME_SUSPENDS static tcp_stream connect(const address& to);
  CPRIME_SUSPENDS static tcp_stream connect(const address& to, std::chrono::nanoseconds timeout);
  CPRIME_SUSPENDS static tcp_stream connect(std::string_view to);
  CPRIME_SUSPENDS static tcp_stream connect(std::string_view to, std::chrono::nanoseconds timeout);

  // adopt(fd) takes ownership of a connected socket (made non-blocking here).
  static tcp_stream adopt(int fd);

  // Every read and write takes a pointer and a length or a std::span: of
  // std::byte, char or unsigned char (so std::array, std::vector, std::string
  // and C arrays of those convert), e.g.
  //   std::array<std::byte, 4096> buf;  size_t n = s.read(buf);
  //   s.write_all(std::span(buf).first(n));
  // The writes also take anything convertible to std::string_view ("text",
  // std::string): a string literal writes its characters, not its '\0'.

  // read() reads at least 1 and at most n bytes into buf, parking until some
  // arrive; returns 0 at end of stream (or when n == 0). Throws on reset.
  CPRIME_SUSPENDS size_t read(void* buf, size_t n);
  CPRIME_SUSPENDS size_t read(std::span<std::byte> buf) { return read(buf.data(), buf.size()); }
  CPRIME_SUSPENDS size_t read(std::span<char> buf) { return read(buf.data(), buf.size()); }
  CPRIME_SUSPENDS size_t read(std::span<unsigned char> buf) { return read(buf.data(), buf.size()); }

  // read_exact() fills buf with exactly n bytes: true when filled, false if
  // the stream ended before the first byte; throws
  // std::system_error(net::error::unexpected_eof) if it ended in between.
  CPRIME_SUSPENDS bool read_exact(void* buf, size_t n);
  CPRIME_SUSPENDS bool read_exact(std::span<std::byte> buf) { return read_exact(buf.data(), buf.size()); }
  CPRIME_SUSPENDS bool read_exact(std::span<char> buf) { return read_exact(buf.data(), buf.size()); }
  CPRIME_SUSPENDS bool read_exact(std::span<unsigned char> buf) { return read_exact(buf.data(), buf.size()); }

  // write() writes at least 1 and at most n bytes (n > 0), parking until the
  // socket takes some; returns how many.
  CPRIME_SUSPENDS size_t write(const void* buf, size_t n);
  CPRIME_SUSPENDS size_t write(std::span<const std::byte> buf) { return write(buf.data(), buf.size()); }
  CPRIME_SUSPENDS size_t write(std::span<const char> buf) { return write(buf.data(), buf.size()); }
  CPRIME_SUSPENDS size_t write(std::span<const unsigned char> buf) { return write(buf.data(), buf.size()); }
  // The string form is a template so that it is the exact match for string
  // literals and std::string, which convert to std::span<const char> too.
  template <class S>
    requires std::is_convertible_v<const S&, std::string_view>
  CPRIME_SUSPENDS size_t write(const S& s) {
    const std::string_view v(s);
    return write(v.data(), v.size());
  }

  // write_all() writes all n bytes, parking as needed. Throws on EPIPE /
  // ECONNRESET (the peer went away) with no SIGPIPE.
  CPRIME_SUSPENDS void write_all(const void* buf, size_t n);
  CPRIME_SUSPENDS void write_all(std::span<const std::byte> buf) { write_all(buf.data(), buf.size()); }
  CPRIME_SUSPENDS void write_all(std::span<const char> buf) { write_all(buf.data(), buf.size()); }
  CPRIME_SUSPENDS void write_all(std::span<const unsigned char> buf) { write_all(buf.data(), buf.size()); }
  template <class S>
    requires std::is_convertible_v<const S&, std::string_view>
  CPRIME_SUSPENDS void write_all(const S& s) {
    const std::string_view v(s);
    write_all(v.data(), v.size());
  }

  // shutdown() ends one or both directions: shutdown(write) sends FIN after
  // the queued data; shutdown(read) makes a parked read return 0. A
  // connection the peer already reset is not an error.
  void shutdown(shutdown_how how = shutdown_how::both);

  // close() releases the socket (idempotent; the destructor calls it).
  void close() noexcept;

  bool is_open() const noexcept { return fd_ >= 0; }
  int native_handle() const noexcept { return fd_; }
  address local_address() const;
  address peer_address() const;
  void set_nodelay(bool on);

 private:
  tcp_stream(int fd, detail::poll_desc* pd) noexcept : fd_(fd), pd_(pd) {}
  friend class tcp_listener;
  int fd_ = -1;
  detail::poll_desc* pd_ = nullptr;
};

// tcp_listener is a listening TCP socket: move-only, closes in its destructor.
class tcp_listener {
 public:
  tcp_listener() noexcept = default;
  tcp_listener(tcp_listener&& o) noexcept;
  tcp_listener& operator=(tcp_listener&& o) noexcept;
  ~tcp_listener();

  // bind(at, backlog) binds (SO_REUSEADDR) and listens. Port 0 picks a free
  // port: read it back with local_address().
  static tcp_listener bind(const address& at, int backlog = SOMAXCONN);
  static tcp_listener bind(std::string_view at, int backlog = SOMAXCONN);

  // accept() parks until a connection arrives and returns it. Out of file
  // descriptors (EMFILE/ENFILE), it pauses and retries: it never spins and
  // never gives up. Throws std::system_error for a closed or broken listener.
  CPRIME_SUSPENDS tcp_stream accept();

  address local_address() const;
  // close() stops listening (idempotent; the destructor calls it).
  void close() noexcept;
  bool is_open() const noexcept { return fd_ >= 0; }
  int native_handle() const noexcept { return fd_; }

 private:
  int fd_ = -1;
  detail::poll_desc* pd_ = nullptr;
};

}  // namespace cprime::net

template <>
struct std::is_error_code_enum<cprime::net::error> : std::true_type {};

namespace cprime::detail {
// accept_backoffs() counts the pauses accept() took for EMFILE and friends
// (process-wide, for tests and diagnostics).
uint64_t accept_backoffs() noexcept;
}  // namespace cprime::detail
