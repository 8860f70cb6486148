// runtime/net.cpp — TCP over the poller: every syscall is non-blocking; on
// EAGAIN the coroutine parks on its descriptor (detail::poll_wait) with a
// token taken before the syscall, so an edge that lands in between is never
// lost. On a plain OS thread the same loops block in ::poll instead.
//
// errno rule: a coroutine may resume on another worker thread after a wait,
// and compilers hoist &errno (glibc's __errno_location is declared const) out
// of loops, so a function that parks must never read errno itself: every
// syscall on such a path goes through a noinline sys_* wrapper below that
// returns -errno on failure.
#include "cprime/net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include "cprime/detail/park.hpp"
#include "cprime/detail/poller.hpp"
#include "cprime/detail/timer.hpp"

namespace cprime::net {
namespace {

using detail::clock;
using detail::io_dir;
using detail::io_result;

class net_error_category : public std::error_category {
 public:
  const char* name() const noexcept override { return "cprime.net"; }
  std::string message(int ev) const override {
    switch (static_cast<error>(ev)) {
      case error::closed:
        return "use of a closed socket";
      case error::unexpected_eof:
        return "unexpected end of stream";
    }
    return "unknown cprime.net error";
  }
};

[[gnu::noinline]] ssize_t sys_recv(int fd, void* buf, size_t n) {
  const ssize_t r = ::recv(fd, buf, n, 0);
  return r >= 0 ? r : -errno;
}
[[gnu::noinline]] ssize_t sys_send(int fd, const void* buf, size_t n) {
  const ssize_t r = ::send(fd, buf, n, MSG_NOSIGNAL);
  return r >= 0 ? r : -errno;
}
[[gnu::noinline]] int sys_accept(int fd) {
  const int r = ::accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  return r >= 0 ? r : -errno;
}
[[gnu::noinline]] int sys_connect(int fd, const sockaddr* sa, socklen_t len) {
  return ::connect(fd, sa, len) == 0 ? 0 : -errno;
}
// sys_connect_status() is 0 once connected, -ENOTCONN while the handshake
// runs, or -(the connect error).
[[gnu::noinline]] int sys_connect_status(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return -errno;
  if (err != 0) return -err;
  sockaddr_storage ss{};
  socklen_t sl = sizeof ss;
  return ::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &sl) == 0 ? 0 : -errno;
}

[[noreturn]] void throw_errno(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), "cprime::net: " + what);
}

clock::time_point deadline_after(std::chrono::nanoseconds timeout) noexcept {
  const auto now = clock::now();
  if (timeout >= detail::no_deadline - now) return detail::no_deadline;
  return now + std::chrono::duration_cast<clock::duration>(timeout);
}

// wait() parks (coroutine) or blocks (plain thread) until fd may be ready for
// dir after tok. Returns false on timeout; throws net::error::closed.
bool wait(detail::poll_desc* pd, int fd, io_dir dir, detail::io_token tok, clock::time_point deadline) {
  io_result r = detail::in_coroutine() ? detail::poll_wait(pd, dir, tok, deadline)
                                       : detail::poll_block_thread(fd, dir, deadline);
  if (r == io_result::closed) throw std::system_error(make_error_code(error::closed), "cprime::net");
  return r == io_result::ready;
}

void on_sleep_timer(void* arg) {
  auto* w = static_cast<detail::waiter*>(arg);
  if (w->try_claim()) {
    w->fired = detail::waiter::timed_out;
    w->wake();
  }
}

// pause_for() sleeps the coroutine (or thread) for d; throws cancelled.
void pause_for(std::chrono::milliseconds d) {
  if (!detail::in_coroutine()) {
    std::this_thread::sleep_for(d);
    return;
  }
  detail::waiter w;
  w.reason = "accept backoff";
  detail::timer t;
  detail::arm_timer(t, clock::now() + d, &on_sleep_timer, &w);
  detail::park(w, nullptr, nullptr);
  if (w.fired != detail::waiter::timed_out) detail::cancel_timer(t);
  if (w.fired == detail::waiter::cancelled) detail::throw_cancelled();
}

void set_int_opt(int fd, int level, int opt, int v, const char* what) {
  if (::setsockopt(fd, level, opt, &v, sizeof v) != 0) throw_errno(errno, what);
}

// owned_fd closes its fd unless released (cleanup on the throwing paths).
struct owned_fd {
  int fd;
  ~owned_fd() {
    if (fd >= 0) ::close(fd);
  }
  int release() noexcept { return std::exchange(fd, -1); }
};

std::atomic<uint64_t> backoffs{0};

address sock_name(int fd, bool peer) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                      : ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc != 0) throw_errno(errno, peer ? "getpeername" : "getsockname");
  return address::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

[[noreturn]] void bad_address(std::string_view text, const std::string& why) {
  throw address_error("cprime::net::address: \"" + std::string(text) + "\": " + why);
}

}  // namespace

const std::error_category& net_category() noexcept {
  static const net_error_category cat;
  return cat;
}

// ---- address -------------------------------------------------------------

address::address() noexcept : storage_{} { storage_.ss_family = AF_UNSPEC; }

address address::from_sockaddr(const sockaddr* sa, socklen_t len) {
  if (sa == nullptr || (sa->sa_family == AF_INET && len < socklen_t(sizeof(sockaddr_in))) ||
      (sa->sa_family == AF_INET6 && len < socklen_t(sizeof(sockaddr_in6))) ||
      (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
    throw address_error("cprime::net::address: not an IPv4/IPv6 socket address");
  address a;
  a.len_ = sa->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
  std::memcpy(&a.storage_, sa, a.len_);
  return a;
}

address address::parse(std::string_view text) {
  std::string_view host, port;
  if (text.empty()) bad_address(text, "empty address (expected host:port)");
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) bad_address(text, "missing ']' after IPv6 address");
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') bad_address(text, "missing ':port' after ']'");
    port = rest.substr(1);
    if (host.empty()) bad_address(text, "empty IPv6 address in brackets");
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) bad_address(text, "missing port (expected host:port)");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      bad_address(text, "an IPv6 address needs brackets, as in [::1]:80");
  }
  if (port.empty()) bad_address(text, "missing port number after ':'");
  if (!all_digits(port) || port.size() > 5) bad_address(text, "port \"" + std::string(port) + "\" is not a number in 0..65535");
  const unsigned long pnum = std::stoul(std::string(port));
  if (pnum > 65535) bad_address(text, "port " + std::string(port) + " is out of range 0..65535");
  const auto p = htons(static_cast<uint16_t>(pnum));

  address a;
  const std::string h(host);
  if (h.empty()) {  // ":8080": every IPv4 interface
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = p;
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    return from_sockaddr(reinterpret_cast<sockaddr*>(&sin), sizeof sin);
  }
  sockaddr_in sin{};
  if (::inet_pton(AF_INET, h.c_str(), &sin.sin_addr) == 1) {
    sin.sin_family = AF_INET;
    sin.sin_port = p;
    return from_sockaddr(reinterpret_cast<sockaddr*>(&sin), sizeof sin);
  }
  sockaddr_in6 sin6{};
  if (::inet_pton(AF_INET6, h.c_str(), &sin6.sin6_addr) == 1) {
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = p;
    return from_sockaddr(reinterpret_cast<sockaddr*>(&sin6), sizeof sin6);
  }
  if (text.front() == '[') bad_address(text, "\"" + h + "\" is not an IPv6 address");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const int rc = ::getaddrinfo(h.c_str(), std::string(port).c_str(), &hints, &res);
  if (rc != 0) bad_address(text, "cannot resolve host \"" + h + "\": " + ::gai_strerror(rc));
  const addrinfo* pick = nullptr;
  for (const addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET) {
      pick = ai;
      break;
    }
    if (pick == nullptr && ai->ai_family == AF_INET6) pick = ai;
  }
  if (pick == nullptr) {
    ::freeaddrinfo(res);
    bad_address(text, "host \"" + h + "\" has no IPv4 or IPv6 address");
  }
  a = from_sockaddr(pick->ai_addr, pick->ai_addrlen);
  ::freeaddrinfo(res);
  return a;
}

uint16_t address::port() const noexcept {
  if (storage_.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (storage_.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return 0;
}

std::string address::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (storage_.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(port());
  }
  if (storage_.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, buf, sizeof buf);
    return "[" + std::string(buf) + "]:" + std::to_string(port());
  }
  return "<unspecified>";
}

bool operator==(const address& a, const address& b) noexcept {
  return a.len_ == b.len_ && std::memcmp(&a.storage_, &b.storage_, a.len_) == 0;
}

// ---- tcp_stream ----------------------------------------------------------

tcp_stream::tcp_stream(tcp_stream&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), pd_(std::exchange(o.pd_, nullptr)) {}

tcp_stream& tcp_stream::operator=(tcp_stream&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = std::exchange(o.fd_, -1);
    pd_ = std::exchange(o.pd_, nullptr);
  }
  return *this;
}

tcp_stream::~tcp_stream() { close(); }

void tcp_stream::close() noexcept {
  if (fd_ < 0) return;
  detail::poll_unregister(std::exchange(pd_, nullptr));
  ::close(std::exchange(fd_, -1));
}

tcp_stream tcp_stream::adopt(int fd) {
  const int fl = ::fcntl(fd, F_GETFL);
  if (fl < 0 || ::fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) throw_errno(errno, "adopt: fcntl");
  return tcp_stream(fd, detail::poll_register(fd));
}

tcp_stream tcp_stream::connect(const address& to) { return connect(to, std::chrono::nanoseconds::max()); }

tcp_stream tcp_stream::connect(std::string_view to) { return connect(address::parse(to)); }

tcp_stream tcp_stream::connect(std::string_view to, std::chrono::nanoseconds timeout) {
  return connect(address::parse(to), timeout);
}

tcp_stream tcp_stream::connect(const address& to, std::chrono::nanoseconds timeout) {
  detail::throw_if_cancelled();
  const auto deadline = deadline_after(timeout);
  if (to.family() != AF_INET && to.family() != AF_INET6)
    throw address_error("cprime::net::tcp_stream::connect: unspecified address");
  owned_fd s{::socket(to.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP)};
  if (s.fd < 0) throw_errno(errno, "connect " + to.to_string() + ": socket");
  set_int_opt(s.fd, IPPROTO_TCP, TCP_NODELAY, 1, "setsockopt(TCP_NODELAY)");
  tcp_stream st(s.release(), nullptr);  // closes the fd if anything below throws
  st.pd_ = detail::poll_register(st.fd_);
  const auto tok = detail::poll_token(st.pd_, io_dir::write);
  int rc;
  do {
    rc = sys_connect(st.fd_, to.data(), to.size());
  } while (rc == -EINTR);
  if (rc != 0 && rc != -EINPROGRESS && rc != -EAGAIN) throw_errno(-rc, "connect " + to.to_string());
  if (rc != 0) {
    auto t = tok;
    for (;;) {
      if (!wait(st.pd_, st.fd_, io_dir::write, t, deadline))
        throw_errno(ETIMEDOUT, "connect " + to.to_string() + ": timed out");
      // Take the next token first: an edge after the status check must wake us.
      t = detail::poll_token(st.pd_, io_dir::write);
      rc = sys_connect_status(st.fd_);
      if (rc == 0) break;
      if (rc != -ENOTCONN) throw_errno(-rc, "connect " + to.to_string());
    }
  }
  return st;
}

size_t tcp_stream::read(void* buf, size_t n) {
  detail::throw_if_cancelled();
  if (n == 0) return 0;
  if (fd_ < 0) throw std::system_error(make_error_code(error::closed), "cprime::net: read");
  for (;;) {
    const auto tok = detail::poll_token(pd_, io_dir::read);
    const ssize_t r = sys_recv(fd_, buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (r == -EINTR) continue;
    if (r != -EAGAIN && r != -EWOULDBLOCK) throw_errno(static_cast<int>(-r), "read");
    wait(pd_, fd_, io_dir::read, tok, detail::no_deadline);
  }
}

bool tcp_stream::read_exact(void* buf, size_t n) {
  auto* p = static_cast<std::byte*>(buf);
  size_t got = 0;
  while (got < n) {
    const size_t r = read(p + got, n - got);
    if (r == 0) {
      if (got == 0) return false;
      throw std::system_error(make_error_code(error::unexpected_eof), "cprime::net: read_exact");
    }
    got += r;
  }
  return true;
}

size_t tcp_stream::write(const void* buf, size_t n) {
  detail::throw_if_cancelled();
  if (n == 0) return 0;
  if (fd_ < 0) throw std::system_error(make_error_code(error::closed), "cprime::net: write");
  for (;;) {
    const auto tok = detail::poll_token(pd_, io_dir::write);
    const ssize_t r = sys_send(fd_, buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (r == -EINTR) continue;
    if (r != -EAGAIN && r != -EWOULDBLOCK) throw_errno(static_cast<int>(-r), "write");
    wait(pd_, fd_, io_dir::write, tok, detail::no_deadline);
  }
}

void tcp_stream::write_all(const void* buf, size_t n) {
  const auto* p = static_cast<const std::byte*>(buf);
  while (n > 0) {
    const size_t w = write(p, n);
    p += w;
    n -= w;
  }
}

void tcp_stream::shutdown(shutdown_how how) {
  if (fd_ < 0) throw std::system_error(make_error_code(error::closed), "cprime::net: shutdown");
  if (::shutdown(fd_, static_cast<int>(how)) != 0 && errno != ENOTCONN) throw_errno(errno, "shutdown");
}

address tcp_stream::local_address() const { return sock_name(fd_, false); }
address tcp_stream::peer_address() const { return sock_name(fd_, true); }

void tcp_stream::set_nodelay(bool on) {
  set_int_opt(fd_, IPPROTO_TCP, TCP_NODELAY, on ? 1 : 0, "setsockopt(TCP_NODELAY)");
}

// ---- tcp_listener --------------------------------------------------------

tcp_listener::tcp_listener(tcp_listener&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), pd_(std::exchange(o.pd_, nullptr)) {}

tcp_listener& tcp_listener::operator=(tcp_listener&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = std::exchange(o.fd_, -1);
    pd_ = std::exchange(o.pd_, nullptr);
  }
  return *this;
}

tcp_listener::~tcp_listener() { close(); }

void tcp_listener::close() noexcept {
  if (fd_ < 0) return;
  detail::poll_unregister(std::exchange(pd_, nullptr));
  ::close(std::exchange(fd_, -1));
}

tcp_listener tcp_listener::bind(std::string_view at, int backlog) { return bind(address::parse(at), backlog); }

tcp_listener tcp_listener::bind(const address& at, int backlog) {
  if (at.family() != AF_INET && at.family() != AF_INET6)
    throw address_error("cprime::net::tcp_listener::bind: unspecified address");
  owned_fd s{::socket(at.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP)};
  if (s.fd < 0) throw_errno(errno, "listen " + at.to_string() + ": socket");
  set_int_opt(s.fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)");
  if (::bind(s.fd, at.data(), at.size()) != 0) throw_errno(errno, "bind " + at.to_string());
  if (::listen(s.fd, backlog) != 0) throw_errno(errno, "listen " + at.to_string());
  tcp_listener l;
  l.pd_ = detail::poll_register(s.fd);
  l.fd_ = s.release();
  return l;
}

tcp_stream tcp_listener::accept() {
  detail::throw_if_cancelled();
  if (fd_ < 0) throw std::system_error(make_error_code(error::closed), "cprime::net: accept");
  auto pause = std::chrono::milliseconds(5);
  for (;;) {
    const auto tok = detail::poll_token(pd_, io_dir::read);
    const int c = sys_accept(fd_);
    if (c >= 0) {
      owned_fd g{c};
      int one = 1;
      ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // best effort, as Go
      detail::poll_desc* pd = detail::poll_register(c);
      return tcp_stream(g.release(), pd);
    }
    switch (-c) {
      case EAGAIN:
#if EWOULDBLOCK != EAGAIN
      case EWOULDBLOCK:
#endif
        wait(pd_, fd_, io_dir::read, tok, detail::no_deadline);
        break;
      case EINTR:
      case ECONNABORTED:  // the peer gave up while queued: take the next one
      case EPROTO:
      case ENETDOWN:
      case ENOPROTOOPT:
      case EHOSTDOWN:
      case ENONET:
      case EHOSTUNREACH:
      case EOPNOTSUPP:
      case ENETUNREACH:
      case EPERM:  // a firewall refused this one
        break;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        // The pending connection stays queued and no new edge may come for
        // it: retry the accept itself after the pause, never spin.
        backoffs.fetch_add(1, std::memory_order_relaxed);
        pause_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(1000));
        break;
      default:
        throw_errno(-c, "accept on " + local_address().to_string());
    }
  }
}

address tcp_listener::local_address() const { return sock_name(fd_, false); }

}  // namespace cprime::net

namespace cprime::detail {
uint64_t accept_backoffs() noexcept { return net::backoffs.load(std::memory_order_relaxed); }
}  // namespace cprime::detail
