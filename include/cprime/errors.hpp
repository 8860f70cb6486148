// cprime/errors.hpp — the exceptions the runtime throws.
//
// cprime::cancelled: thrown at a suspension point of a coroutine whose
//   cancellation scope was cancelled (timeout, parallel sibling failure,
//   task_group::cancel_remaining, cancellation_token::cancel). `defer`s and
//   destructors run as it propagates; parallel/timeout consume it.
// cprime::channel_closed: thrown by `select` when no arm can ever fire.
#pragma once

#include <stdexcept>

namespace cprime {

class cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "cprime::cancelled"; }
};

class channel_closed : public std::logic_error {
 public:
  channel_closed() : std::logic_error("cprime::channel_closed: no select arm can ever fire") {}
  using std::logic_error::logic_error;
};

}  // namespace cprime
