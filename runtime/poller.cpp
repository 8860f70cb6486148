// runtime/poller.cpp — epoll, edge-triggered, one registration per fd, driven
// by the scheduler (Go's netpoll): a worker out of work polls without
// blocking, and the first idle worker of the process (the poll owner) blocks
// in epoll_wait instead of its futex; wakep() breaks that wait through the
// eventfd. A helper thread (Go's sysmon) polls every 10 ms only when no
// worker polled meanwhile and none blocks in epoll_wait (every worker busy).
//
// Invariants:
//   - A poll_desc is never freed: descriptors live in chunks that are only
//     ever added (type-stable memory, as Go's pollCache), so a pointer the
//     poller thread got from an epoll event always points at a poll_desc. An
//     event carries (gen << 32 | index); the poller drops it when the
//     descriptor's gen moved on (unregistered, perhaps reused since).
//   - Every access to an io_wait node (and to the waiter it points at) by the
//     poller thread or by poll_unregister happens with the descriptor's lock
//     held and only while the node is linked. The owner unlinks its node under
//     that lock after park() returns, and cancels its timer first, so once the
//     owner leaves poll_wait nobody can touch the node: it may die with the
//     owner's stack frame.
//   - seq[dir] only grows while a registration lives; it is written under the
//     descriptor's lock and read lock-free for tokens. Order is important in
//     the poller: the sequence is bumped BEFORE the waiters are woken, under
//     the same lock a waiter holds while comparing its token and linking
//     itself, so an edge is either seen by the comparison or finds the node.
//   - A registration's gen only grows; a token carries it, so a wait whose
//     registration was retired meanwhile returns io_result::closed.
//   - At most one thread blocks in epoll_wait as poll owner (owner); it
//     holds ownership from poll_try_own() until its epoll_wait returned.
//   - errno is never read in a function that parks (coroutines migrate
//     between threads; see epoll_ctl_err).
//   - Each waiter is claimed exactly once (waiter::try_claim): by the poller
//     (fired = 0), by poll_unregister (fired = closed_fired), by its timer
//     (waiter::timed_out) or by the core's cancellation (waiter::cancelled).
#include "cprime/detail/poller.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "cprime/detail/park.hpp"
#include "cprime/detail/spinlock.hpp"
#include "cprime/io.hpp"
#include "futex.hpp"
#include "poll_owner.hpp"
#include "registry.hpp"
#include "runtime_impl.hpp"

namespace cprime::detail {
namespace {

constexpr int closed_fired = 1;  // waiter::fired when poll_unregister woke it
constexpr uint32_t ready_events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
constexpr uint64_t wake_key = ~uint64_t{0};  // epoll data of the eventfd

// io_wait is one parked wait, on the waiting coroutine's stack.
struct io_wait {
  waiter* w;
  io_wait* prev = nullptr;  // guarded by the descriptor's lock
  io_wait* next = nullptr;  // guarded by the descriptor's lock
  bool linked = false;      // guarded by the descriptor's lock
};

}  // namespace

struct poll_desc {
  spinlock mu;  // short sections; released by park() through spinlock::unlock_fn
  std::atomic<uint32_t> gen{1};                  // written under mu (and registry_mu)
  std::atomic<uint32_t> seq[2] = {0, 0};         // written under mu; read lock-free
  io_wait* head[2] = {nullptr, nullptr};         // guarded by mu
  int fd = -1;                                   // guarded by mu
  bool in_epoll = false;                         // guarded by mu
  bool raw = false;                              // guarded by mu: made by poll_wait_fd
  uint32_t index = 0;                            // immutable once allocated
  poll_desc* next_free = nullptr;                // guarded by registry_mu
};

namespace {

constexpr uint32_t chunk_bits = 12;
constexpr uint32_t chunk_size = 1u << chunk_bits;
constexpr uint32_t max_chunks = 1024;  // 4M descriptors

class poller {
 public:
  poller() {
    epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) throw std::system_error(errno, std::generic_category(), "cprime poller: epoll_create1");
    wakefd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakefd_ < 0) throw std::system_error(errno, std::generic_category(), "cprime poller: eventfd");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = wake_key;
    if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, wakefd_, &ev) != 0)
      throw std::system_error(errno, std::generic_category(), "cprime poller: epoll_ctl(eventfd)");
    thread_ = std::thread([this] { loop(); });
    running_.store(true, std::memory_order_release);
  }

  bool running() const noexcept { return running_.load(std::memory_order_acquire); }

  int epfd() const noexcept { return epfd_; }

  poll_desc* desc_at(uint32_t index) const noexcept {
    return chunks_[index >> chunk_bits].load(std::memory_order_acquire) + (index & (chunk_size - 1));
  }

  // alloc() returns a recycled or new descriptor. registry_mu must be held.
  poll_desc* alloc() {
    if (free_ != nullptr) {
      poll_desc* d = free_;
      free_ = d->next_free;
      d->next_free = nullptr;
      return d;
    }
    if (allocated_ == max_chunks * chunk_size)
      throw std::system_error(ENOMEM, std::generic_category(), "cprime poller: descriptor table full");
    if ((allocated_ & (chunk_size - 1)) == 0) {
      auto* chunk = new poll_desc[chunk_size];
      for (uint32_t i = 0; i < chunk_size; ++i) chunk[i].index = allocated_ + i;
      chunks_[allocated_ >> chunk_bits].store(chunk, std::memory_order_release);
    }
    return desc_at(allocated_++);
  }

  // release() recycles d. registry_mu must be held; d's gen already moved on.
  void release(poll_desc* d) noexcept {
    d->next_free = free_;
    free_ = d;
  }

  // poll() runs one epoll_wait with timeout_ms, calls on_return(arg) (if
  // set), and dispatches what it got; returns how many fd events it
  // dispatched. Any thread may call it, concurrently with others (each edge
  // goes to one caller).
  int poll(int64_t timeout_ns, void (*on_return)(void*), void* arg) noexcept {
    epoll_event events[128];
    const int n = wait(events, 128, timeout_ns);
    polls_.fetch_add(1, std::memory_order_relaxed);
    if (on_return) on_return(arg);
    int fd_events = 0;
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 != wake_key)
        ++fd_events;
      else if (on_return != nullptr)
        consume_wake();
      else
        continue;
      dispatch(events[i]);
    }
    return fd_events;
  }

  // wait() is epoll_wait with a timeout in nanoseconds (-1: none). A timer
  // folded into the poll owner's wait needs better than epoll_wait's whole
  // milliseconds (rounded up, a sleep of 1.1 ms would wake at 2 ms):
  // epoll_pwait2 takes a timespec (Linux 5.11); on an older kernel the
  // timeout is rounded up to milliseconds.
  int wait(epoll_event* events, int max, int64_t timeout_ns) noexcept {
    if (timeout_ns >= 0 && pwait2_.load(std::memory_order_relaxed)) {
      const timespec ts{static_cast<time_t>(timeout_ns / 1000000000), static_cast<long>(timeout_ns % 1000000000)};
      const int n = ::epoll_pwait2(epfd_, events, max, &ts, nullptr);
      if (n >= 0 || errno != ENOSYS) return n;
      pwait2_.store(false, std::memory_order_relaxed);
    }
    const int ms = timeout_ns < 0 ? -1
                                  : static_cast<int>(std::min<int64_t>((timeout_ns + 999999) / 1000000, INT32_MAX));
    return ::epoll_wait(epfd_, events, max, ms);
  }

  // wake() makes the blocked epoll_wait (if any) return.
  void wake() noexcept {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wakefd_, &one, sizeof one);
  }

  std::atomic<bool> owner{false};  // a worker holds poll ownership

  std::mutex registry_mu;
  std::vector<poll_desc*> by_fd;  // guarded by registry_mu: fd → its live descriptor

 private:
  // loop() is the fallback poller (Go's sysmon): every 10 ms, if no thread
  // polled since the last tick and no poll owner is blocked, it polls once
  // without blocking. Off the hot path: while any worker is idle or runs out
  // of work, workers poll themselves.
  void loop() noexcept {
    pthread_setname_np(pthread_self(), "cprime-poller");
    uint64_t seen = polls_.load(std::memory_order_relaxed);
    for (;;) {
      futex_wait_until(&tick_word_, 0, clock::now() + std::chrono::milliseconds(10));
      const uint64_t now = polls_.load(std::memory_order_relaxed);
      if (now == seen && !owner.load(std::memory_order_acquire)) (void)poll(0, nullptr, nullptr);
      seen = polls_.load(std::memory_order_relaxed);
    }
  }

  // consume_wake() reads the eventfd. Only the poll owner does (the wake is
  // meant for it): the eventfd is level-triggered, so a poll_break that
  // another caller's epoll_wait reported stays pending and epoll passes it on
  // to the owner.
  void consume_wake() noexcept {
    uint64_t v;
    [[maybe_unused]] ssize_t r = ::read(wakefd_, &v, sizeof v);
  }

  void dispatch(const epoll_event& ev) noexcept {
    if (ev.data.u64 == wake_key) return;
    const auto index = static_cast<uint32_t>(ev.data.u64);
    const auto gen = static_cast<uint32_t>(ev.data.u64 >> 32);
    if ((index >> chunk_bits) >= max_chunks) return;
    poll_desc* d = desc_at(index);
    const bool rd = (ev.events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR | EPOLLPRI)) != 0;
    const bool wr = (ev.events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
    d->mu.lock();
    if (d->gen.load(std::memory_order_relaxed) == gen) {
      if (rd) fire(d, io_dir::read, 0);
      if (wr) fire(d, io_dir::write, 0);
    }
    d->mu.unlock();
  }

 public:
  // fire() bumps d's sequence for dir and wakes every waiter linked on it with
  // `fired`. d->mu must be held.
  static void fire(poll_desc* d, io_dir dir, int fired) noexcept {
    const auto k = static_cast<int>(dir);
    d->seq[k].store(d->seq[k].load(std::memory_order_relaxed) + 1, std::memory_order_release);
    io_wait* n = d->head[k];
    d->head[k] = nullptr;
    while (n != nullptr) {
      io_wait* next = n->next;
      n->linked = false;
      n->prev = n->next = nullptr;
      if (n->w->try_claim()) {
        n->w->fired = fired;
        n->w->wake();
      }
      n = next;
    }
  }

 private:
  int epfd_ = -1;
  int wakefd_ = -1;
  std::thread thread_;
  std::atomic<bool> running_{false};  // the poller thread exists
  std::atomic<bool> pwait2_{true};     // epoll_pwait2 available (wait())
  std::atomic<uint64_t> polls_{0};     // epoll_wait calls so far (any thread)
  std::atomic<uint32_t> tick_word_{0}; // futex the helper thread sleeps on
  std::atomic<poll_desc*> chunks_[max_chunks] = {};
  poll_desc* free_ = nullptr;  // guarded by registry_mu
  uint32_t allocated_ = 0;     // guarded by registry_mu
};

std::atomic<poller*> g_poller{nullptr};

poller& the_poller() {
  // Leaked on purpose: coroutines may still be parked in it at exit.
  static poller* p = [] {
    auto* q = new poller();
    g_poller.store(q, std::memory_order_release);
    return q;
  }();
  return *p;
}

// epoll_ctl_err() is epoll_ctl returning 0 or -errno. Noinline: callers run
// on coroutines that may resume on another thread, and &errno must not be
// computed before such a switch (see runtime/net.cpp's errno rule).
[[gnu::noinline]] int epoll_ctl_err(int epfd, int op, int fd, epoll_event* ev) noexcept {
  return ::epoll_ctl(epfd, op, fd, ev) == 0 ? 0 : -errno;
}

uint64_t event_key(const poll_desc* d) noexcept {
  return (uint64_t{d->gen.load(std::memory_order_relaxed)} << 32) | d->index;
}

void link(poll_desc* d, io_dir dir, io_wait* n) noexcept {
  const auto k = static_cast<int>(dir);
  n->next = d->head[k];
  n->prev = nullptr;
  if (n->next != nullptr) n->next->prev = n;
  d->head[k] = n;
  n->linked = true;
}

void unlink(poll_desc* d, io_dir dir, io_wait* n) noexcept {
  if (!n->linked) return;
  const auto k = static_cast<int>(dir);
  if (n->prev != nullptr) {
    n->prev->next = n->next;
  } else {
    d->head[k] = n->next;
  }
  if (n->next != nullptr) n->next->prev = n->prev;
  n->linked = false;
  n->prev = n->next = nullptr;
}

void on_timeout(void* arg) {
  auto* w = static_cast<waiter*>(arg);
  if (w->try_claim()) {
    w->fired = waiter::timed_out;
    w->wake();
  }
}

// retire() detaches d from its fd: bumps gen (stale events are dropped), wakes
// every waiter with closed_fired. d->mu must be held. Returns the fd and
// whether it was in the epoll set.
std::pair<int, bool> retire(poll_desc* d) noexcept {
  d->gen.store(d->gen.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  poller::fire(d, io_dir::read, closed_fired);
  poller::fire(d, io_dir::write, closed_fired);
  std::pair<int, bool> r{d->fd, d->in_epoll};
  d->fd = -1;
  d->in_epoll = false;
  d->raw = false;
  return r;
}

// forget_locked() retires and recycles the raw descriptor registered for fd,
// if any. A descriptor poll_register made belongs to its owner, who calls
// poll_unregister: it is left alone, or only unmapped when `reused` (fd now
// names another file, so the owner's is gone). registry_mu must be held.
void forget_locked(poller& p, int fd, bool reused) noexcept {
  if (fd < 0 || static_cast<size_t>(fd) >= p.by_fd.size()) return;
  poll_desc* d = p.by_fd[fd];
  if (d == nullptr) return;
  d->mu.lock();
  if (!d->raw) {
    d->mu.unlock();
    if (reused) p.by_fd[fd] = nullptr;
    return;
  }
  p.by_fd[fd] = nullptr;
  auto [old_fd, in_epoll] = retire(d);
  d->mu.unlock();
  if (in_epoll) ::epoll_ctl(p.epfd(), EPOLL_CTL_DEL, old_fd, nullptr);
  p.release(d);
}

// park_on() links n on (d, dir), parks with d->mu released by park(), and
// finishes the wait: cancels the timer, unlinks, maps `fired`. d->mu must be
// held on entry and is not held on return.
io_result park_on(poll_desc* d, io_dir dir, io_wait& n, clock::time_point deadline) {
  waiter& w = *n.w;
  w.reason = dir == io_dir::read ? "io read" : "io write";
  link(d, dir, &n);
  timer tm;
  const bool timed = deadline != no_deadline;
  if (timed) arm_timer(tm, deadline, &on_timeout, &w);
  // A coroutine parked on I/O can be woken from outside the process: keep the
  // deadlock detector quiet while it waits.
  io_waiters().fetch_add(1, std::memory_order_acq_rel);
  park(w, &spinlock::unlock_fn, &d->mu);
  io_waiters().fetch_sub(1, std::memory_order_acq_rel);
  // A timer that claimed w is done with it once park() returned.
  if (timed && w.fired != waiter::timed_out) cancel_timer(tm);
  d->mu.lock();
  unlink(d, dir, &n);
  d->mu.unlock();
  switch (w.fired) {
    case waiter::cancelled:
      throw_cancelled();
    case waiter::timed_out:
      return io_result::timed_out;
    case closed_fired:
      return io_result::closed;
    default:
      return io_result::ready;
  }
}

}  // namespace

poll_desc* poll_register(int fd) {
  poller& p = the_poller();
  std::lock_guard<std::mutex> g(p.registry_mu);
  forget_locked(p, fd, true);  // a stale raw registration of a previous file with this number
  poll_desc* d = p.alloc();
  d->mu.lock();
  d->fd = fd;
  epoll_event ev{};
  ev.events = ready_events;
  ev.data.u64 = event_key(d);
  int rc = epoll_ctl_err(p.epfd(), EPOLL_CTL_ADD, fd, &ev);
  if (rc == -EEXIST) rc = epoll_ctl_err(p.epfd(), EPOLL_CTL_MOD, fd, &ev);
  if (rc != 0) {
    const int err = -rc;
    retire(d);
    d->mu.unlock();
    p.release(d);
    throw std::system_error(err, std::generic_category(), "cprime poller: epoll_ctl(ADD)");
  }
  d->in_epoll = true;
  d->mu.unlock();
  if (static_cast<size_t>(fd) >= p.by_fd.size()) p.by_fd.resize(static_cast<size_t>(fd) + 1, nullptr);
  p.by_fd[fd] = d;
  return d;
}

void poll_unregister(poll_desc* d) noexcept {
  if (d == nullptr) return;
  poller& p = the_poller();
  std::lock_guard<std::mutex> g(p.registry_mu);
  d->mu.lock();
  auto [fd, in_epoll] = retire(d);
  d->mu.unlock();
  // If fd no longer maps to d, its owner closed it behind our back and the
  // number now belongs to another registration: leave that one alone.
  if (fd >= 0 && static_cast<size_t>(fd) < p.by_fd.size() && p.by_fd[fd] == d) {
    p.by_fd[fd] = nullptr;
    if (in_epoll) ::epoll_ctl(p.epfd(), EPOLL_CTL_DEL, fd, nullptr);
  }
  p.release(d);
}

io_token poll_token(poll_desc* d, io_dir dir) noexcept {
  const uint64_t gen = d->gen.load(std::memory_order_acquire);
  const uint64_t seq = d->seq[static_cast<int>(dir)].load(std::memory_order_acquire);
  return io_token{(gen << 32) | seq};
}

// No thread-safety analysis: the lock is released by park() (spinlock::unlock_fn).
io_result poll_wait(poll_desc* d, io_dir dir, io_token tok, clock::time_point deadline) CPRIME_SPIN_NO_TSA {
  waiter w;
  io_wait n{&w};
  d->mu.lock();
  const io_token now = poll_token(d, dir);
  if (now.value != tok.value) {
    const bool same_gen = (now.value >> 32) == (tok.value >> 32);
    d->mu.unlock();
    return same_gen ? io_result::ready : io_result::closed;
  }
  if (deadline != no_deadline && deadline <= clock::now()) {
    d->mu.unlock();
    return io_result::timed_out;
  }
  return park_on(d, dir, n, deadline);
}

// No thread-safety analysis: the lock is released by park() (spinlock::unlock_fn).
io_result poll_wait_fd(int fd, io_dir dir, clock::time_point deadline) CPRIME_SPIN_NO_TSA {
  if (fd < 0) throw std::system_error(EBADF, std::generic_category(), "cprime::io: wait on a negative fd");
  poller& p = the_poller();
  waiter w;
  io_wait n{&w};
  for (;;) {
    poll_desc* d;
    uint32_t gen;
    {
      std::lock_guard<std::mutex> g(p.registry_mu);
      if (static_cast<size_t>(fd) >= p.by_fd.size()) p.by_fd.resize(static_cast<size_t>(fd) + 1, nullptr);
      d = p.by_fd[fd];
      if (d == nullptr) {
        d = p.alloc();
        d->mu.lock();
        d->fd = fd;
        d->raw = true;
        d->mu.unlock();
        p.by_fd[fd] = d;
      }
      gen = d->gen.load(std::memory_order_relaxed);
    }
    d->mu.lock();
    if (d->gen.load(std::memory_order_relaxed) != gen) {  // forgotten meanwhile
      d->mu.unlock();
      continue;
    }
    // Re-arming with MOD makes the kernel re-check readiness and queue an
    // event if fd is ready now; d->mu stays held until park() so the poller
    // handles that event only after the node is linked.
    epoll_event ev{};
    ev.events = ready_events;
    ev.data.u64 = event_key(d);
    int rc = epoll_ctl_err(p.epfd(), d->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
    if (rc == -ENOENT) rc = epoll_ctl_err(p.epfd(), EPOLL_CTL_ADD, fd, &ev);
    if (rc == -EEXIST) rc = epoll_ctl_err(p.epfd(), EPOLL_CTL_MOD, fd, &ev);
    if (rc != 0) {
      const int err = -rc;
      d->mu.unlock();
      if (err == EPERM) return io_result::ready;  // regular file or directory: always ready
      throw std::system_error(err, std::generic_category(), "cprime::io: cannot wait on fd " + std::to_string(fd));
    }
    d->in_epoll = true;
    if (deadline != no_deadline && deadline <= clock::now()) {
      d->mu.unlock();
      // Not parked: the event MOD may have queued is seen by the next wait.
      struct pollfd pfd{fd, static_cast<short>(dir == io_dir::read ? POLLIN : POLLOUT), 0};
      return ::poll(&pfd, 1, 0) > 0 ? io_result::ready : io_result::timed_out;
    }
    return park_on(d, dir, n, deadline);
  }
}

void poll_forget(int fd) noexcept {
  poller& p = the_poller();
  std::lock_guard<std::mutex> g(p.registry_mu);
  forget_locked(p, fd, false);
}

io_result poll_block_thread(int fd, io_dir dir, clock::time_point deadline) {
  struct pollfd pfd{fd, static_cast<short>(dir == io_dir::read ? POLLIN : POLLOUT), 0};
  for (;;) {
    int ms = -1;
    if (deadline != no_deadline) {
      const auto left = deadline - clock::now();
      if (left <= clock::duration::zero()) {
        ms = 0;
      } else {
        // Round up so a wait never ends before its deadline.
        const auto ceil_ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
        ms = ceil_ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ceil_ms);
      }
    }
    pfd.revents = 0;
    const int rc = ::poll(&pfd, 1, ms);
    if (rc < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "cprime::io: poll");
    }
    if (rc > 0) {
      if (pfd.revents & POLLNVAL)
        throw std::system_error(EBADF, std::generic_category(), "cprime::io: cannot wait on fd " + std::to_string(fd));
      return io_result::ready;
    }
    if (ms == 0 || clock::now() >= deadline) return io_result::timed_out;
  }
}

int poll_ready(int timeout_ms, void (*on_return)(void*), void* arg) noexcept {
  return poll_ready_ns(timeout_ms < 0 ? -1 : int64_t{timeout_ms} * 1000000, on_return, arg);
}

int poll_ready_ns(int64_t timeout_ns, void (*on_return)(void*), void* arg) noexcept {
  poller* p = g_poller.load(std::memory_order_acquire);
  if (p == nullptr) {
    if (on_return) on_return(arg);
    return 0;
  }
  return p->poll(timeout_ns, on_return, arg);
}

bool poller_started() noexcept {
  poller* p = g_poller.load(std::memory_order_acquire);
  return p != nullptr && p->running();
}

bool poll_try_own() noexcept {
  poller* p = g_poller.load(std::memory_order_acquire);
  return p != nullptr && !p->owner.load(std::memory_order_relaxed) &&
         !p->owner.exchange(true, std::memory_order_acq_rel);
}

void poll_disown() noexcept {
  if (poller* p = g_poller.load(std::memory_order_acquire)) p->owner.store(false, std::memory_order_release);
}

bool poll_owned() noexcept {
  poller* p = g_poller.load(std::memory_order_acquire);
  return p != nullptr && p->owner.load(std::memory_order_relaxed);
}

void poll_break() noexcept {
  if (poller* p = g_poller.load(std::memory_order_acquire)) p->wake();
}

std::size_t poller_threads() noexcept {
  poller* p = g_poller.load(std::memory_order_acquire);
  return p != nullptr && p->running() ? 1 : 0;
}

}  // namespace cprime::detail

namespace cprime::io {
namespace {

detail::clock::time_point deadline_after(std::chrono::nanoseconds timeout) noexcept {
  const auto now = detail::clock::now();
  if (timeout >= detail::no_deadline - now) return detail::no_deadline;
  return now + std::chrono::duration_cast<detail::clock::duration>(timeout);
}

// wait() is the one body of the four public waits: true = ready.
bool wait(int fd, detail::io_dir dir, detail::clock::time_point deadline) {
  if (!detail::in_coroutine()) return detail::poll_block_thread(fd, dir, deadline) == detail::io_result::ready;
  detail::throw_if_cancelled();
  // closed (forget() ran meanwhile) counts as ready: the caller's syscall
  // reports what happened to the fd.
  return detail::poll_wait_fd(fd, dir, deadline) != detail::io_result::timed_out;
}

}  // namespace

void wait_readable(int fd) { (void)wait(fd, detail::io_dir::read, detail::no_deadline); }
bool wait_readable(int fd, std::chrono::nanoseconds timeout) {
  return wait(fd, detail::io_dir::read, deadline_after(timeout));
}
void wait_writable(int fd) { (void)wait(fd, detail::io_dir::write, detail::no_deadline); }
bool wait_writable(int fd, std::chrono::nanoseconds timeout) {
  return wait(fd, detail::io_dir::write, deadline_after(timeout));
}
void forget(int fd) noexcept { detail::poll_forget(fd); }
[[gnu::noinline]] int last_errno() noexcept { return errno; }

}  // namespace cprime::io
