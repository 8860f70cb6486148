// cprime/cprime.hpp — the umbrella header: the one include a user (and the
// rewriter's output) needs.
#pragma once

#include "cprime/errors.hpp"
#include "cprime/runtime.hpp"
#include "cprime/sync.hpp"
#include "cprime/task.hpp"

#if __has_include("cprime/channel.hpp")
#include "cprime/channel.hpp"
#endif
#if __has_include("cprime/select.hpp")
#include "cprime/select.hpp"
#endif
#if __has_include("cprime/scope.hpp")
#include "cprime/scope.hpp"
#endif
#if __has_include("cprime/cancel.hpp")
#include "cprime/cancel.hpp"
#endif
#if __has_include("cprime/broadcast.hpp")
#include "cprime/broadcast.hpp"
#endif
#if __has_include("cprime/defer.hpp")
#include "cprime/defer.hpp"
#endif
#if __has_include("cprime/io.hpp")
#include "cprime/io.hpp"
#endif
#if __has_include("cprime/net.hpp")
#include "cprime/net.hpp"
#endif
