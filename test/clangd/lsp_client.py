#!/usr/bin/env python3
"""A scripted editor session against cprime-clangd (JSON-RPC over stdio).

    lsp_client.py --server <cprime-clangd> --repo <repo> --work <dir>
                  [--transcript <file>]

Copies Inputs/*.cpp into <dir> with a compile_commands.json (C++20, the
repository's include/), starts the server with <dir> as the workspace root,
and drives it as an editor would: open, hover, definition, references,
semantic tokens, document symbols, completion, edits. Every check compares
positions with the place of the text in the user's file (UTF-16 columns,
as LSP counts them). Prints one line per check and exits 1 on the first
failure. --transcript writes every message sent and received.
"""

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import threading

# A guard against a hung server, not a speed check: clangd builds the
# runtime headers' preamble once (seconds), sanitizer builds are slower.
WAIT = 600


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print("ok:", what.split("\n")[0])


def utf16_col(line, index):
    return len(line[:index].encode("utf-16-le")) // 2


def find(text, needle, nth=0, line_hint=None, offset=0):
    """(line, utf16 col) of the nth occurrence of needle (+offset chars)."""
    lines = text.split("\n")
    seen = 0
    for ln, line in enumerate(lines):
        if line_hint is not None and line_hint not in line:
            continue
        start = 0
        while True:
            i = line.find(needle, start)
            if i < 0:
                break
            if seen == nth:
                return ln, utf16_col(line, i + offset)
            seen += 1
            start = i + 1
    raise Failure("test input lacks %r" % needle)


def slice16(text, rng):
    """The text a Range covers, for a single-line range."""
    s, e = rng["start"], rng["end"]
    if s["line"] != e["line"]:
        return None
    line = text.split("\n")[s["line"]].encode("utf-16-le")
    return line[2 * s["character"]:2 * e["character"]].decode("utf-16-le")


class Client:
    def __init__(self, argv, cwd, transcript):
        self.proc = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(os.path.join(cwd, "server.log"), "wb"))
        self.transcript = transcript
        self.inbox = queue.Queue()
        self.next_id = 1
        self.diagnostics = {}  # uri -> (version, list)
        threading.Thread(target=self._read, daemon=True).start()

    def _log(self, direction, msg):
        if self.transcript:
            self.transcript.write("%s %s\n" % (direction, json.dumps(msg, ensure_ascii=False)))
            self.transcript.flush()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    if length is not None:
                        break
                    continue
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def send(self, msg):
        msg["jsonrpc"] = "2.0"
        self._log(">>", msg)
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _next(self):
        try:
            msg = self.inbox.get(timeout=WAIT)
        except queue.Empty:
            raise Failure("no message from the server in %d s" % WAIT)
        if msg is None:
            raise Failure("the server closed its output")
        self._log("<<", msg)
        if msg.get("method") == "textDocument/publishDiagnostics":
            p = msg["params"]
            self.diagnostics[p["uri"]] = (p.get("version"), p["diagnostics"])
        elif "method" in msg and "id" in msg:
            # A request from the server (progress tokens...): accept it.
            self.send({"id": msg["id"], "result": None})
        return msg

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"id": rid, "method": method, "params": params})
        while True:
            msg = self._next()
            if msg.get("id") == rid and "method" not in msg:
                if "error" in msg:
                    raise Failure("%s failed: %s" % (method, msg["error"]))
                return msg.get("result")

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def diagnostics_for(self, uri, version):
        while True:
            got = self.diagnostics.get(uri)
            if got and got[0] == version:
                return got[1]
            self._next()


def pos(line, col):
    return {"line": line, "character": col}


def hover_text(result):
    if not result:
        return ""
    c = result["contents"]
    if isinstance(c, dict):
        return c.get("value", "")
    if isinstance(c, list):
        return "\n".join(x if isinstance(x, str) else x.get("value", "") for x in c)
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--transcript")
    args = ap.parse_args()

    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    inputs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs")
    texts, uris = {}, {}
    db = []
    shutil.copy(os.path.join(inputs, "worker.h"), work)
    for name in ("good.cpp", "bad.cpp", "plain.cpp"):
        path = os.path.join(work, name)
        shutil.copy(os.path.join(inputs, name), path)
        with open(path, encoding="utf-8") as f:
            texts[name] = f.read()
        uris[name] = "file://" + path
        db.append({"directory": work, "file": path,
                   "arguments": ["clang++-19", "-std=c++20",
                                 "-I" + os.path.join(args.repo, "include"),
                                 "-c", path]})
    with open(os.path.join(work, "compile_commands.json"), "w") as f:
        json.dump(db, f, indent=2)

    transcript = open(args.transcript, "w", encoding="utf-8") if args.transcript else None
    # No background index: the session needs only the open files' index.
    # clangd-19 aborts when its exit outlasts its shutdown timeout, which one
    # session did on a machine loaded by sanitizer builds while it indexed.
    c = Client([os.path.abspath(args.server), "--log=error", "--background-index=false"], work, transcript)
    try:
        session(c, texts, uris, work)
    except Failure as e:
        print("FAIL:", e)
        print("(server log: %s)" % os.path.join(work, "server.log"))
        c.proc.kill()
        return 1
    return 0


def session(c, texts, uris, work):
    init = c.request("initialize", {
        "processId": os.getpid(),
        "rootUri": "file://" + work,
        "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "hover": {"contentFormat": ["plaintext"]},
                "completion": {"completionItem": {"snippetSupport": False}},
                "publishDiagnostics": {"versionSupport": True},
                "semanticTokens": {"requests": {"full": {"delta": True}},
                                   "tokenTypes": [], "tokenModifiers": [],
                                   "formats": ["relative"]},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
            },
        },
    })
    caps = init["capabilities"]
    check(caps.get("semanticTokensProvider", {}).get("full") is True,
          "semantic token deltas are not offered (they cannot be mapped)")
    c.notify("initialized", {})

    good, g = uris["good.cpp"], texts["good.cpp"]
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": good, "languageId": "cpp", "version": 1, "text": g}})
    d = c.diagnostics_for(good, 1)
    check(d == [], "a correct CPrime file has no diagnostics: %s" % d)

    # Hover inside a spawn body (after non-ASCII text on the same line) and
    # inside a select arm.
    ln, col = find(g, "origin.x + origin.y", line_hint="spawn {")
    h = hover_text(c.request("textDocument/hover", {
        "textDocument": {"uri": good}, "position": pos(ln, col + 2)}))
    check("origin" in h and "point" in h,
          "hover on 'origin' in a spawn body names its type 'point':\n" + h)
    h = hover_text(c.request("textDocument/hover", {
        "textDocument": {"uri": good}, "position": pos(*find(g, "v + origin", offset=0))}))
    check("int" in h and "v" in h, "hover on 'v' in a select arm says int:\n" + h)
    h = hover_text(c.request("textDocument/hover", {
        "textDocument": {"uri": good}, "position": pos(*find(g, "origin.y;", offset=1))}))
    check("point" in h, "hover on 'origin' in a select arm names 'point':\n" + h)
    h = hover_text(c.request("textDocument/hover", {
        "textDocument": {"uri": good}, "position": pos(*find(g, "hits += origin", offset=1))}))
    check("int" in h and "hits" in h,
          "hover on 'hits' in a spawn inside parallel says int:\n" + h)
    h = hover_text(c.request("textDocument/hover", {
        "textDocument": {"uri": good}, "position": pos(*find(g, "total, hits", offset=1))}))
    check("long" in h, "hover on 'total' in a defer statement says long:\n" + h)

    # Go to definition and references map to the user's columns.
    decl = find(g, "origin{1, 2}")
    locs = c.request("textDocument/definition", {
        "textDocument": {"uri": good}, "position": pos(ln, col + 2)})
    locs = locs if isinstance(locs, list) else [locs]
    check(len(locs) == 1 and locs[0]["uri"] == good and
          (locs[0]["range"]["start"]["line"], locs[0]["range"]["start"]["character"]) == decl,
          "definition of 'origin' from a spawn body is %d:%d: %s" % (decl[0] + 1, decl[1] + 1, locs))
    # Into an enabled header, past a spawn on the same line.
    with open(os.path.join(work, "worker.h"), encoding="utf-8") as f:
        header = f.read()
    locs = c.request("textDocument/definition", {
        "textDocument": {"uri": good}, "position": pos(*find(g, "twice(job", offset=1))})
    locs = locs if isinstance(locs, list) else [locs]
    twice = find(header, "twice(int")
    check(len(locs) == 1 and locs[0]["uri"] == "file://" + os.path.join(work, "worker.h") and
          (locs[0]["range"]["start"]["line"], locs[0]["range"]["start"]["character"]) == twice and
          slice16(header, locs[0]["range"]) == "twice",
          "definition of 'twice' is in worker.h at %d:%d, after its spawn: %s" % (
              twice[0] + 1, twice[1] + 1, locs))
    h = hover_text(c.request("textDocument/hover", {
        "textDocument": {"uri": good}, "position": pos(*find(g, "job.join", offset=1))}))
    check("task<int>" in h,
          "hover on 'job' = make_task() says task<int>: the header's spawn was lowered:\n" + h)
    refs = c.request("textDocument/references", {
        "textDocument": {"uri": good}, "position": pos(*decl),
        "context": {"includeDeclaration": True}})
    where = sorted((r["range"]["start"]["line"], r["range"]["start"]["character"]) for r in refs)
    texts_at = [slice16(g, r["range"]) for r in refs]
    check(len(refs) == 5 and all(t == "origin" for t in texts_at),
          "5 references to 'origin' (declaration, spawn twice, select arm, parallel), each range covers 'origin': %s" % where)

    # Semantic tokens: every one covers the user's token text.
    toks = c.request("textDocument/semanticTokens/full", {"textDocument": {"uri": good}})
    data, line, ch, found = toks["data"], 0, 0, []
    lines = g.split("\n")
    bad = []
    for i in range(0, len(data), 5):
        dl, dc, length = data[i], data[i + 1], data[i + 2]
        ch = dc if dl else ch + dc
        line += dl
        t = slice16(g, {"start": pos(line, ch), "end": pos(line, ch + length)})
        found.append((line, ch, t))
        # A name or an (overloaded) operator: never blank, never half a word.
        if not t or t != t.strip() or " " in t:
            bad.append((line + 1, ch + 1, t))
    spawn_line = find(g, "origin.x + origin.y")[0]
    on_spawn = [t for (l, _, t) in found if l == spawn_line]
    check(not bad and on_spawn == ["std", "puts", "moved", "origin", "x", "+", "origin",
                                   "y", "ch", "send", "moved"],
          "%d semantic tokens, each on a token; on the spawn line exactly the user's: %s%s" %
          (len(found), on_spawn, (" BAD: %s" % bad) if bad else ""))

    hints = c.request("textDocument/inlayHint", {
        "textDocument": {"uri": good},
        "range": {"start": pos(0, 0), "end": pos(len(lines), 0)}})
    labels = []
    for hnt in hints:
        lab = hnt["label"]
        lab = lab if isinstance(lab, str) else "".join(p_["value"] for p_ in lab)
        labels.append("%d:%d %s" % (hnt["position"]["line"] + 1, hnt["position"]["character"] + 1, lab))
    # Exactly the hints plain C++ would get: none for the runtime calls the
    # lowering inserted (their parameters are where:, f:, fn:, op:).
    want = ["12:27 capacity:", "13:16 .x=", "13:19 .y=", "15:21 s:", "15:86 v:",
            "20:28 s:", "20:93 x:", "26:21 format:"]
    check(labels == want, "inlay hints are the user's only: %s" % labels)

    syms = c.request("textDocument/documentSymbol", {"textDocument": {"uri": good}})
    names = {s["name"]: s for s in syms}
    mainsel = names.get("main", {}).get("selectionRange")
    check(mainsel and slice16(g, mainsel) == "main" and "point" in names,
          "document symbols point, main at the user's columns: %s" % sorted(names))

    # Completion after `ch.` typed on a new line of a select arm body, and at
    # the operand `ch.recv()` of the arm.
    arm = find(g, "total += v")[0]
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": good, "version": 2},
        "contentChanges": [{"range": {"start": pos(arm, 0), "end": pos(arm, 0)},
                            "text": "      ch.\n"}]})
    comp = c.request("textDocument/completion", {
        "textDocument": {"uri": good}, "position": pos(arm, 9)})
    items = comp["items"] if isinstance(comp, dict) else comp
    labels = sorted({i.get("filterText") or i["label"].strip() for i in items})
    check(any(l.startswith("recv") for l in labels),
          "completion after 'ch.' in a select arm offers recv: %s" % labels[:12])
    rng = [i["textEdit"]["range"] for i in items if "textEdit" in i]
    check(all(r["start"] == pos(arm, 9) for r in rng),
          "completion edits replace at the user's column %d:%d" % (arm + 1, 10))
    op = find(g, "ch.recv() =>", offset=3)
    comp = c.request("textDocument/completion", {
        "textDocument": {"uri": good}, "position": pos(op[0] + 1, op[1])})
    items = comp["items"] if isinstance(comp, dict) else comp
    labels = sorted({i.get("filterText") or i["label"].strip() for i in items})
    check(any(l.startswith("recv") for l in labels),
          "completion at a select arm's operand 'ch.|recv()' offers recv")

    # Edits: the diagnostics follow.
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": good, "version": 3},
        "contentChanges": [{"range": {"start": pos(arm, 0), "end": pos(arm + 1, 0)},
                            "text": ""}]})
    d = c.diagnostics_for(good, 3)
    check(d == [], "after removing the 'ch.' line: no diagnostics")
    ln2, col2 = find(g, "origin.y;", line_hint="total += v")
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": good, "version": 4},
        "contentChanges": [{"range": {"start": pos(ln2, col2 + 6), "end": pos(ln2, col2 + 8)},
                            "text": ""}]})
    d = c.diagnostics_for(good, 4)
    starts = [(x["range"]["start"]["line"], x["range"]["start"]["character"]) for x in d]
    # clang puts "invalid operands" at the operator.
    plus = find(g, "+ origin.y", line_hint="total += v")
    check(len(d) == 1 and starts[0] == plus,
          "a type error typed into a select arm is reported at %d:%d: %s" %
          (ln2 + 1, starts[0][1] + 1 if starts else 0, [x["message"] for x in d]))
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": good, "version": 5},
        "contentChanges": [{"text": g}]})
    d = c.diagnostics_for(good, 5)
    check(d == [], "after the whole text is restored: no diagnostics")

    # A CPrime syntax error and C++ type errors, at the user's line:column.
    bad, b = uris["bad.cpp"], texts["bad.cpp"]
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": bad, "languageId": "cpp", "version": 1, "text": b}})
    d = c.diagnostics_for(bad, 1)
    got = sorted(((x["range"]["start"]["line"], x["range"]["start"]["character"]),
                  x.get("source"), x["message"], slice16(b, x["range"])) for x in d)
    # The rewriter reports `spawn;` at the `;` where the call or block was
    # expected; clangd reports a bad initializer at the variable's name, as
    # it does outside any construct (line 8).
    want = [find(b, "spawn;", offset=5), find(b, "number ="), find(b, "inside =")]
    check([g_[0] for g_ in got] == sorted(want) and
          got[0][1] == "cprime" and "expected a call or '{' after 'spawn'" in got[0][2] and
          got[1][3] == "number" and got[2][3] == "inside",
          "bad.cpp: the CPrime error and both type errors at %s:\n%s" % (
              ", ".join("%d:%d" % (l + 1, c_ + 1) for l, c_ in want),
              "\n".join("  %d:%d [%s] %s" % (p[0] + 1, p[1] + 1, s, m) for p, s, m, _ in got)))

    # An edit that leaves clangd's text as it was (here: `;` typed over
    # `;` on the blanked line) still gets diagnostics for its version.
    l7, c7 = find(b, "spawn;")
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": bad, "version": 2},
        "contentChanges": [{"range": {"start": pos(l7, c7 + 5), "end": pos(l7, c7 + 6)},
                            "text": ";"}]})
    d = c.diagnostics_for(bad, 2)
    again = sorted((x["range"]["start"]["line"], x["range"]["start"]["character"]) for x in d)
    check(again == sorted(want), "an edit clangd does not see republishes the same 3 diagnostics")

    # Fixing the CPrime error leaves the C++ ones.
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": bad, "version": 3},
        "contentChanges": [{"range": {"start": pos(l7, c7 + 5), "end": pos(l7, c7 + 6)},
                            "text": " ch.close();"}]})
    d = c.diagnostics_for(bad, 3)
    got = sorted((x["range"]["start"]["line"], x["range"]["start"]["character"]) for x in d)
    check(got == sorted(want[1:]),
          "after 'spawn;' becomes 'spawn ch.close();' only the type errors stay")

    # A file that does not opt in is clangd's business alone.
    plain, p = uris["plain.cpp"], texts["plain.cpp"]
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": plain, "languageId": "cpp", "version": 1, "text": p}})
    d = c.diagnostics_for(plain, 1)
    errs = [x for x in d if x.get("severity") == 1]
    check(len(errs) == 1 and errs[0]["range"]["start"]["line"] == 2 and
          slice16(p, errs[0]["range"]) == 'parallel + "x"' and
          all(x.get("source") != "cprime" for x in d),
          "plain.cpp: clangd's own error on 'return parallel + \"x\"'")
    h = hover_text(c.request("textDocument/hover", {
        "textDocument": {"uri": plain}, "position": pos(*find(p, "spawn(2)", offset=1))}))
    check("int spawn(int x)" in h, "plain.cpp: 'spawn' is the user's function")

    c.request("shutdown", None)
    c.notify("exit", None)
    check(c.proc.wait(timeout=WAIT) == 0, "shutdown and exit: status 0")


if __name__ == "__main__":
    sys.exit(main())
