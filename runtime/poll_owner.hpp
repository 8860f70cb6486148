// runtime/poll_owner.hpp — private: the scheduler's side of the poller
// (poller.cpp). At most one worker in the process blocks in epoll_wait at a
// time (the poll owner); poll_break() wakes it through the poller's eventfd.
// Not installed.
#pragma once

namespace cprime::detail {

bool poller_started() noexcept;
bool poll_try_own() noexcept;
void poll_disown() noexcept;
bool poll_owned() noexcept;
void poll_break() noexcept;

}  // namespace cprime::detail
