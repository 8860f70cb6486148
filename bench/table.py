#!/usr/bin/env python3
"""table.py RESULTS [--md OUT --command CMD... --note NOTE...]: the scripts/bench table.

RESULTS holds the benchmark programs' lines
  workload=<w> peer=<p> threads=<n> metric=<v> unit=<u>
and failure lines "FAIL <w> <p> <threads> <reason>". Prints one table per
(workload, unit, threads): median and min-max per peer, and the ratio
CPrime/peer (the ×peer columns). With --md, also writes docs/benchmarks.md.
"""
import argparse
import datetime
import os
import re
import statistics
import subprocess
from collections import OrderedDict, defaultdict

LINE = re.compile(r"^workload=(\S+) peer=(\S+) threads=(\d+) metric=(\S+) unit=(\S+)$")
WORKLOADS = ["spawn", "pingpong", "mpmc", "select", "ring", "skynet", "idle", "echo",
             "recv", "deadline", "select_timer", "recv_timeout", "sleepers",
             "compile-enabled", "compile-other"]
PEERS = ["cprime", "go", "boostfiber", "tokio", "plain"]
HIGHER_IS_BETTER = {"req/s"}
# Targets (docs/bench-peers.md): the largest CPrime/Go time ratio allowed.
HALF_GO = {"spawn", "pingpong", "ring", "select"}
QUARTER_GO = {"deadline", "select_timer", "recv_timeout"}
# ... and at most 3× CPrime's own `recv` (the same receive without a deadline).
WITHOUT_DEADLINE = "recv"


def vs_tokio(ratios, higher_is_better=False):
    """The "ahead of Tokio" target, where Tokio has a program."""
    tk = ratios.get("tokio")
    if tk is None:
        return []
    if higher_is_better:
        return ["≥Tokio " + ("met" if tk >= 1 else "MISSED")]
    return ["<Tokio " + ("met" if tk < 1 else "MISSED")]


def target(workload, unit, ratios, values, plain_recv=None):
    go, bf = ratios.get("go"), ratios.get("boostfiber")
    if workload == "idle" and unit == "KiB/coroutine":
        v = values.get("cprime")
        if v is None:
            return ""
        must = "≤8 KiB " + ("met" if v <= 8 else "MISSED")
        moon = "" if go is None else ("; ≤Go met" if go <= 1 else "; ≤Go missed")
        return must + moon + "".join("; " + t for t in vs_tokio(ratios))
    if workload == "idle":
        return ""  # no target for the creation time
    if workload == "sleepers":
        if unit == "KiB/coroutine":
            return ""  # measured, no target
        what = "<Go" if unit == "ms" else "≤Go"
        ok = go is not None and (go < 1 if unit == "ms" else go <= 1)
        parts = [] if go is None else [what + " " + ("met" if ok else "MISSED")]
        return ", ".join(parts + vs_tokio(ratios))
    if workload == "echo":
        parts = [] if go is None else ["≥Go " + ("met" if go >= 1 else "MISSED")]
        return ", ".join(parts + vs_tokio(ratios, higher_is_better=True))
    if workload.startswith("compile"):
        p = ratios.get("plain")
        limit = 1.05 if workload == "compile-enabled" else 1.01
        return "" if p is None else f"<{limit:.2f}× " + ("met" if p < limit else "MISSED")
    parts = []
    if go is not None:
        limit = 0.25 if workload in QUARTER_GO else 0.5 if workload in HALF_GO else 1.0
        parts.append(f"≤{limit}×Go " + ("met" if go <= limit else "MISSED"))
    if bf is not None:
        parts.append("<BF " + ("met" if bf < 1 else "MISSED"))
    if workload in QUARTER_GO and plain_recv and "cprime" in values:
        r = values["cprime"] / plain_recv
        parts.append(f"≤3×recv " + ("met" if r <= 3 else "MISSED") + f" ({r:.2f}×)")
    return ", ".join(parts + vs_tokio(ratios))


def fmt(v):
    return f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}" if abs(v) < 1000 else f"{v:.0f}"


def load(path):
    data = defaultdict(lambda: defaultdict(list))  # (w, unit, threads) -> peer -> [values]
    order = OrderedDict()
    failures = []
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            m = LINE.match(line)
            if m:
                w, p, t, v, u = m.groups()
                key = (w, u, int(t))
                order.setdefault(key, None)
                data[key][p].append(float(v))
            elif line.startswith("FAIL "):
                failures.append(line[5:])
    return data, list(order), failures


def build_rows(data, keys):
    peers = [p for p in PEERS if any(p in data[k] for k in keys)]
    peers += sorted({p for k in keys for p in data[k]} - set(peers))
    others = [p for p in peers if p != "cprime"]
    header = ["workload", "unit", "threads"] + [f"{p} median [min–max] (n)" for p in peers]
    header += [f"×{p}" for p in others] + ["target"]
    rows = []
    rank = {w: i for i, w in enumerate(WORKLOADS)}
    for key in sorted(keys, key=lambda k: (rank.get(k[0], len(rank)), k[0], k[1], k[2])):
        w, u, t = key
        row = [w, u + (" (higher is better)" if u in HIGHER_IS_BETTER else ""), str(t)]
        med = {}
        for p in peers:
            vals = data[key].get(p)
            if not vals:
                row.append("—")
                continue
            med[p] = statistics.median(vals)
            row.append(f"{fmt(med[p])} [{fmt(min(vals))}–{fmt(max(vals))}] ({len(vals)})")
        ratios = {}
        for p in others:
            if "cprime" in med and p in med and med[p] > 0:
                ratios[p] = med["cprime"] / med[p]
                row.append(f"{ratios[p]:.2f}")
            else:
                row.append("—")
        recv = data.get((WITHOUT_DEADLINE, u, t), {}).get("cprime")
        row.append(target(w, u, ratios, med, statistics.median(recv) if recv else None))
        rows.append(row)
    return header, rows


def render_text(header, rows):
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    out = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(header))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(widths[i]) for i, c in enumerate(r)) for r in rows]
    return "\n".join(out)


def render_md(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    kernel = subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores (nproc), {model}{mem}, Linux {kernel}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--md")
    ap.add_argument("--command", action="append", default=[])
    ap.add_argument("--note", action="append", default=[])
    a = ap.parse_args()
    data, keys, failures = load(a.results)
    header, rows = build_rows(data, keys)
    print(render_text(header, rows))
    for f in failures:
        print("FAILED:", f)
    if not a.md:
        return
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    md = [
        "# Benchmarks",
        "",
        "Generated by `scripts/bench`; do not edit by hand. The workloads, the",
        "peers, the targets and how each peer program works: docs/bench-peers.md.",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        "- Command: " + "; then ".join(f"`{c}`" for c in a.command),
    ]
    md += [f"- {n}" for n in a.note]
    md += [
        "",
        "Each cell: median [min–max] (number of runs). A ×peer column is CPrime's",
        "median over that peer's: for times, memory and compile times below 1.0 means CPrime",
        "is better; for req/s (echo) above 1.0 means CPrime is better. `plain` is",
        "the compile workload without the plugin. The machine is shared and noisy:",
        "trust ratios taken in the same run over absolute figures.",
        "",
        render_md(header, rows),
    ]
    if failures:
        md += ["", "Failed or skipped runs:", ""] + [f"- {f}" for f in failures]
    with open(a.md, "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
