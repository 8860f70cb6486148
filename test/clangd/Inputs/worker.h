// An enabled header: clangd reads it from disk, rewritten through the overlay.
#pragma cprime
#include <cprime/cprime.hpp>
inline void start_worker(cprime::channel<int> ch) { spawn { co_await ch.send(1); } } inline int twice(int x) { return 2 * x; }
// Its type exists only once `spawn` is lowered: task<int>.
inline auto make_task() { return spawn twice(21); }
