# gdb/cprime-gdb.py — gdb commands for CPrime's coroutines.
#
#   info coroutines            every coroutine: id, state, what it waits on and
#                              for how long, where it is blocked, spawn site;
#                              then the plain threads parked in the runtime
#   coroutine N bt [full]      the backtrace of coroutine N
#   coroutine N <gdb command>  any command, run with coroutine N's registers
#   coroutine all bt           every coroutine's backtrace
#
# Loaded automatically: libcprime_rt puts this file in the program's
# .debug_gdb_scripts section (gdb asks for the program's directory in its
# auto-load safe-path: `add-auto-load-safe-path /path/to/bin` in ~/.gdbinit, or
# `set auto-load safe-path /`). Also installed as
# lib/cprime/gdb/cprime-gdb.py, for `source`.
#
# How: the runtime publishes its registry under C symbols (the "debugger
# contract", runtime/dump.cpp and docs/debugging.md): cprime_debug_layout
# (field offsets), cprime_debug_runtimes/cprime_debug_nruntimes (the
# runtimes), cprime_debug_parked_threads, cprime_debug_now_ms. Coroutines are
# found by walking each runtime's stack slabs, as the runtime's own dump does.
# A parked coroutine's registers are in its saved Boost.Context frame; to show
# its stack we load them into the selected thread for the duration of one
# command and restore them after (as Go's runtime-gdb.py does for
# `goroutine N bt`). Works on a live process (attached or stopped at a
# breakpoint) and on a core file.
import itertools
import struct

import gdb
import gdb.unwinder

_LAYOUT_FIELDS = (
    "version rt_name rt_pool rt_big_pools n_pools pool_slabs pool_slot_size rt_workers "
    "slab_size slab_base slab_count "
    "w_tid w_current w_index fiber_size fiber_align slot_top_reserve "
    "f_ctx f_state f_reason f_file f_line f_id f_since f_stack_lo f_stack_hi "
    "st_free st_runnable st_running st_parked st_done "
    "fctx_r12 fctx_r13 fctx_r14 fctx_r15 fctx_rbx fctx_rbp fctx_rip fctx_rsp "
    "tp_reason tp_since tp_tid tp_next"
).split()
_SUPPORTED_VERSION = 1
_SWITCH_REGS = ("rip", "rsp", "rbp", "rbx", "r12", "r13", "r14", "r15")


def _symbol_address(name):
    try:
        return int(gdb.parse_and_eval("(unsigned long)&'%s'" % name))
    except gdb.error:
        return None


def _mem(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def _u64(addr):
    return struct.unpack("<Q", _mem(addr, 8))[0]


def _i64(addr):
    return struct.unpack("<q", _mem(addr, 8))[0]


def _u32(addr):
    return struct.unpack("<I", _mem(addr, 4))[0]


def _u8(addr):
    return _mem(addr, 1)[0]


def _cstr(addr, limit=4096):
    if not addr:
        return None
    out = b""
    while len(out) < limit:
        try:
            chunk = _mem(addr + len(out), 64)
        except gdb.MemoryError:
            chunk = _mem(addr + len(out), 1)
        i = chunk.find(b"\0")
        if i >= 0:
            return (out + chunk[:i]).decode("utf-8", "replace")
        out += chunk
    return out.decode("utf-8", "replace")


class _Layout:
    def __init__(self, addr):
        raw = _mem(addr, 4 * len(_LAYOUT_FIELDS))
        for i, name in enumerate(_LAYOUT_FIELDS):
            setattr(self, name, struct.unpack_from("<I", raw, 4 * i)[0])


def _layout():
    addr = _symbol_address("cprime_debug_layout")
    if addr is None:
        raise gdb.GdbError("no CPrime runtime in this program (cprime_debug_layout not found)")
    lay = _Layout(addr)
    if lay.version != _SUPPORTED_VERSION:
        raise gdb.GdbError(
            "cprime-gdb.py understands debugger contract version %d, the program has %d"
            % (_SUPPORTED_VERSION, lay.version))
    return lay


class Coroutine:
    __slots__ = ("addr", "id", "state", "reason", "file", "line", "since", "ctx",
                 "runtime", "worker", "tid")

    def state_name(self):
        return self.state


def _state_name(lay, v):
    return {lay.st_runnable: "runnable", lay.st_running: "running",
            lay.st_parked: "parked", lay.st_done: "exiting"}.get(v, "?")


def _runtimes(lay):
    base = _symbol_address("cprime_debug_runtimes")
    count = _symbol_address("cprime_debug_nruntimes")
    if base is None or count is None:
        return []
    arr, n = _u64(base), _u64(count)
    return [_u64(arr + 8 * i) for i in range(n)] if arr else []


def _slots(lay, pool):
    """Every slot ever carved from a stack pool, with the pool's slot size."""
    slot_size = _u64(pool + lay.pool_slot_size)
    sb, se = _u64(pool + lay.pool_slabs), _u64(pool + lay.pool_slabs + 8)
    for i in range((se - sb) // lay.slab_size):
        slab = sb + i * lay.slab_size
        base, count = _u64(slab + lay.slab_base), _u64(slab + lay.slab_count)
        for k in range(count):
            yield base + k * slot_size, slot_size


def coroutines():
    """Every live coroutine, as Coroutine objects, ordered by id."""
    lay = _layout()
    out = []
    for rt in _runtimes(lay):
        name = _cstr(_u64(rt + lay.rt_name)) or "?"
        running = {}  # fiber address -> (worker index, tid)
        wb, we = _u64(rt + lay.rt_workers), _u64(rt + lay.rt_workers + 8)
        for i in range((we - wb) // 8):
            w = _u64(wb + 8 * i)
            cur = _u64(w + lay.w_current)
            if cur:
                running[cur] = (_u32(w + lay.w_index), _u64(w + lay.w_tid))
        pools = [rt + lay.rt_pool]
        for c in range(1, lay.n_pools):
            p = _u64(rt + lay.rt_big_pools + 8 * c)
            if p:
                pools.append(p)
        for pool in pools:
            for slot, slot_size in _slots(lay, pool):
                f = (slot + slot_size - lay.slot_top_reserve - lay.fiber_size) & ~(lay.fiber_align - 1)
                try:
                    st = _u8(f + lay.f_state)
                except gdb.MemoryError:
                    continue  # not in the core file, or never touched
                if st == lay.st_free:
                    continue
                c = Coroutine()
                c.addr = f
                c.id = _u64(f + lay.f_id)
                c.state = _state_name(lay, st)
                c.reason = _cstr(_u64(f + lay.f_reason)) if st == lay.st_parked else None
                c.file = _cstr(_u64(f + lay.f_file)) or "<unknown>"
                c.line = _u32(f + lay.f_line)
                c.since = _i64(f + lay.f_since)
                c.ctx = _u64(f + lay.f_ctx)
                c.runtime = name
                c.worker, c.tid = running.get(f, (None, None)) if st == lay.st_running else (None, None)
                out.append(c)
    out.sort(key=lambda c: c.id)
    return out


def parked_threads(lay):
    head_addr = _symbol_address("cprime_debug_parked_threads")
    out = []
    if head_addr is None:
        return out
    t = _u64(_u64(head_addr))
    seen = 0
    while t and seen < 100000:
        out.append((_u64(t + lay.tp_tid), _cstr(_u64(t + lay.tp_reason)) or "park",
                    _i64(t + lay.tp_since)))
        t = _u64(t + lay.tp_next)
        seen += 1
    return out


def _now_ms():
    a = _symbol_address("cprime_debug_now_ms")
    return _i64(a) if a is not None else None


def _fmt_ms(ms):
    if ms is None:
        return "-"
    ms = max(ms, 0)  # since is from the runtime's coarse clock
    if ms < 1000:
        return "%d ms" % ms
    if ms < 120000:
        return "%.1f s" % (ms / 1000.0)
    return "%d min" % (ms // 60000)


class _FrameId:
    # gdb reads sp and pc (gdb.Value) from it.
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


class _CoroutineUnwinder(gdb.unwinder.Unwinder):
    """Where registers cannot be written (a core file): makes the caller of
    the selected thread's innermost frame the coroutine's saved frame, so
    frames #1 and up are the coroutine's (frame #0, the thread's own, is
    hidden from backtraces by _HideThreadFrame)."""

    def __init__(self):
        super().__init__("cprime-coroutine")
        self.target = None

    def __call__(self, pending_frame):
        if self.target is None or pending_frame.level() != 0:
            return None
        sp = pending_frame.read_register("rsp")
        pc = pending_frame.read_register("rip")
        info = pending_frame.create_unwind_info(_FrameId(sp, pc))
        for r in _SWITCH_REGS:
            info.add_saved_register(r, gdb.Value(self.target[r]).cast(
                pending_frame.read_register(r).type))
        return info


class _HideThreadFrame:
    def __init__(self):
        self.name = "cprime-hide-thread-frame"
        self.priority = 100
        self.enabled = True

    def filter(self, frames):
        if _UNWINDER.target is None:
            return frames
        return itertools.islice(frames, 1, None)


_UNWINDER = _CoroutineUnwinder()
gdb.unwinder.register_unwinder(None, _UNWINDER, replace=True)
gdb.frame_filters[_HideThreadFrame().name] = _HideThreadFrame()


class _Switched:
    """Shows a parked coroutine's stack in the selected thread for the
    duration of a with-block: on a live process its saved registers are
    loaded into the thread and restored after; on a core file (read-only
    registers) through _CoroutineUnwinder. first_frame() is the coroutine's
    innermost frame either way."""

    def __init__(self, lay, ctx):
        self.regs = {
            "r12": _u64(ctx + lay.fctx_r12), "r13": _u64(ctx + lay.fctx_r13),
            "r14": _u64(ctx + lay.fctx_r14), "r15": _u64(ctx + lay.fctx_r15),
            "rbx": _u64(ctx + lay.fctx_rbx), "rbp": _u64(ctx + lay.fctx_rbp),
            "rip": _u64(ctx + lay.fctx_rip), "rsp": ctx + lay.fctx_rsp,
        }
        self.saved = None

    def __enter__(self):
        gdb.newest_frame().select()
        saved = {r: int(gdb.parse_and_eval("(unsigned long)$" + r)) for r in _SWITCH_REGS}
        try:
            for r in _SWITCH_REGS:
                gdb.execute("set $%s = %d" % (r, self.regs[r]), to_string=True)
            self.saved = saved
        except gdb.error:
            # No process (a core file): partial writes never happened.
            _UNWINDER.target = self.regs
            gdb.invalidate_cached_frames()
        return self

    def first_frame(self):
        f = gdb.newest_frame()
        return f if self.saved is not None else f.older()

    def __exit__(self, *exc):
        if self.saved is not None:
            gdb.newest_frame().select()
            for r in _SWITCH_REGS:
                gdb.execute("set $%s = %d" % (r, self.saved[r]), to_string=True)
        else:
            _UNWINDER.target = None
            gdb.invalidate_cached_frames()
        return False


class _InThread:
    """Selects the gdb thread with OS thread id `tid` for a with-block."""

    def __init__(self, tid):
        self.tid = tid
        self.prev = None

    def __enter__(self):
        self.prev = gdb.selected_thread()
        for t in gdb.selected_inferior().threads():
            if t.ptid[1] == self.tid:
                t.switch()
                return self
        raise gdb.GdbError("no gdb thread for OS thread %d" % self.tid)

    def __exit__(self, *exc):
        if self.prev is not None and self.prev.is_valid():
            self.prev.switch()
        return False


_INTERNAL = ("cprime::detail::", "jump_fcontext", "make_fcontext", "boost::context::")


def _frame_name(fr):
    fn = fr.function()
    if fn is not None:
        return fn.print_name
    return fr.name() or "??"


def _is_runtime(name, public_too):
    head = name.split("(", 1)[0]
    if any(p in head for p in _INTERNAL):
        return True
    if public_too and (head.startswith(("cprime::", "std::", "_ZN6cprime", "_ZNK6cprime", "_ZSt"))
                       or " cprime::" in head or " std::" in head):
        return True
    return False


def _blocked_in(fr):
    """The first frame from fr up outside the runtime and the standard
    library: 'function at file:line'."""
    depth = 0
    while fr is not None and depth < 64:
        name = _frame_name(fr)
        if not _is_runtime(name, True):
            sal = fr.find_sal()
            if sal.symtab is not None:
                return "%s at %s:%d" % (name, sal.symtab.filename, sal.line)
            return name
        try:
            fr = fr.older()
        except gdb.error:
            break
        depth += 1
    return "?"


def _run_in(lay, c, command, to_string=False):
    if c.state == "parked" or c.state == "runnable":
        if not c.ctx:
            raise gdb.GdbError("coroutine %d has not run yet: no stack" % c.id)
        with _Switched(lay, c.ctx):
            return gdb.execute(command, to_string=to_string)
    if c.state == "running" and c.tid:
        with _InThread(c.tid):
            return gdb.execute(command, to_string=to_string)
    raise gdb.GdbError("coroutine %d is %s: no stack to show" % (c.id, c.state))


def _where(lay, c):
    try:
        if c.state in ("parked", "runnable") and c.ctx:
            with _Switched(lay, c.ctx) as sw:
                return _blocked_in(sw.first_frame())
        if c.state == "running" and c.tid:
            with _InThread(c.tid):
                return _blocked_in(gdb.newest_frame())
    except gdb.error:
        pass
    return "-"


class InfoCoroutines(gdb.Command):
    """List CPrime's coroutines: id, state, wait kind and how long, where
    blocked, spawn site; then plain threads parked in the runtime.
A "*" marks the coroutine running on the selected thread."""

    def __init__(self):
        super().__init__("info coroutines", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        lay = _layout()
        now = _now_ms()
        cur_tid = gdb.selected_thread().ptid[1] if gdb.selected_thread() else None
        rows = []
        for c in coroutines():
            mark = "*" if c.state == "running" and c.tid == cur_tid else " "
            state = c.state if c.worker is None else "running (worker %d)" % c.worker
            wait = c.reason or "-"
            dur = _fmt_ms(now - c.since) if c.state == "parked" and now is not None else "-"
            rows.append((mark, str(c.id), state, wait, dur, _where(lay, c),
                         "%s:%d" % (c.file, c.line)))
        head = (" ", "Id", "State", "Wait", "For", "Where", "Spawned at")
        widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
        for r in [head] + rows:
            gdb.write("  ".join(r[i].ljust(widths[i]) for i in range(len(r) - 1)) + "  " + r[-1] + "\n")
        threads = parked_threads(lay)
        if threads:
            gdb.write("Threads parked in the runtime:\n")
            for tid, reason, since in threads:
                gdb.write("  LWP %d  %s  %s\n" % (tid, reason,
                                                   _fmt_ms(now - since) if now is not None else "-"))


class CoroutineCommand(gdb.Command):
    """Run a gdb command on a CPrime coroutine's stack.
Usage: coroutine N bt [full]   (N from `info coroutines`)
       coroutine N <command>   e.g. coroutine 7 info frame
       coroutine all bt        every coroutine's backtrace"""

    def __init__(self):
        super().__init__("coroutine", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        parts = arg.split(None, 1)
        if len(parts) < 2:
            raise gdb.GdbError("usage: coroutine N|all COMMAND (e.g. coroutine 3 bt)")
        which, command = parts
        lay = _layout()
        cs = coroutines()
        if which == "all":
            for c in cs:
                gdb.write("\ncoroutine %d [%s%s], spawned at %s:%d:\n" % (
                    c.id, c.state, (": " + c.reason) if c.reason else "", c.file, c.line))
                try:
                    _run_in(lay, c, command)
                except gdb.GdbError as e:
                    gdb.write("  %s\n" % e)
            return
        try:
            n = int(which, 0)
        except ValueError:
            raise gdb.GdbError("coroutine: expected a coroutine id or 'all', got %r" % which)
        for c in cs:
            if c.id == n:
                _run_in(lay, c, command)
                return
        raise gdb.GdbError("no coroutine %d (see `info coroutines`)" % n)


InfoCoroutines()
CoroutineCommand()
