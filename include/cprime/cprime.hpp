// cprime/cprime.hpp — the umbrella header: the one include a user (and the
// rewriter's output) needs.
#pragma once

#include "cprime/broadcast.hpp"
#include "cprime/cancel.hpp"
#include "cprime/channel.hpp"
#include "cprime/defer.hpp"
#include "cprime/errors.hpp"
#include "cprime/io.hpp"
#include "cprime/metrics.hpp"
#include "cprime/net.hpp"
#include "cprime/runtime.hpp"
#include "cprime/scope.hpp"
#include "cprime/select.hpp"
#include "cprime/sync.hpp"
#include "cprime/task.hpp"
