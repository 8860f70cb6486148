#!/usr/bin/env python3
"""api_names.py: list the public names of CPrime's headers, or check that the
API reference mentions each of them.

  api_names.py --clang CLANG --include DIR list
  api_names.py --clang CLANG --include DIR check DOCS_API_DIR

Names come from Clang's own AST (-ast-dump=json) of <cprime/cprime.hpp>: every
declaration in namespace cprime and its public sub-namespaces (not `detail`),
and the public members of its classes, grouped by the header that declares
them. `check` fails if docs/api/<header>.md does not mention a name of that
header as `name` (in backticks, optionally qualified or followed by `(`, `<`).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

KINDS = {"CXXRecordDecl", "ClassTemplateDecl", "FunctionDecl",
         "FunctionTemplateDecl", "TypeAliasDecl", "TypeAliasTemplateDecl",
         "TypedefDecl", "VarDecl", "EnumDecl", "ConceptDecl",
         "CXXMethodDecl", "FieldDecl", "EnumConstantDecl"}


class Walker:
    def __init__(self, include_dir):
        self.include_dir = include_dir
        self.file = None
        self.names = {}  # header -> set of names

    def track(self, node):
        # Clang's JSON prints "file" only when it changes; follow document order.
        for key in ("loc", "range"):
            v = node.get(key)
            if not isinstance(v, dict):
                continue
            for part in ([v] if key == "loc" else [v.get("begin", {}), v.get("end", {})]):
                for sub in (part, part.get("spellingLoc", {}), part.get("expansionLoc", {})):
                    if isinstance(sub, dict) and "file" in sub:
                        self.file = sub["file"]

    def header(self):
        if not self.file:
            return None
        f = os.path.normpath(self.file)
        inc = os.path.normpath(os.path.join(self.include_dir, "cprime"))
        if not f.startswith(inc + os.sep) and not re.search(r"(^|/)include/cprime/[^/]+\.hpp$", f):
            return None
        if "/detail/" in f:
            return None
        return os.path.basename(f)

    def add(self, name):
        h = self.header()
        if (h and name and not name.startswith("_") and not name.startswith("operator")
                and "<" not in name and not name.endswith("_")):
            self.names.setdefault(h, set()).add(name)

    def walk(self, node, public_scope):
        self.track(node)
        kind = node.get("kind")
        name = node.get("name", "")
        if kind == "NamespaceDecl":
            if name == "detail" or not public_scope:
                self.skip(node)
                return
            for c in node.get("inner", []):
                self.walk(c, True)
            return
        if node.get("isImplicit"):
            self.skip(node)
            return
        if kind in KINDS and public_scope and node.get("access", "public") == "public":
            self.add(name)
        if kind == "ClassTemplateDecl" and public_scope:
            for c in node.get("inner", []):
                if c.get("kind") == "CXXRecordDecl":
                    self.walk_record(c)
                else:
                    self.skip(c)
            return
        if kind == "CXXRecordDecl" and public_scope:
            self.walk_record(node)
            return
        if kind == "EnumDecl" and public_scope:
            for c in node.get("inner", []):
                self.walk(c, True)
            return
        self.skip(node)

    def walk_record(self, node):
        # Access follows the access specifiers in order; JSON only names them.
        access = "private" if node.get("tagUsed") == "class" else "public"
        for c in node.get("inner", []):
            if c.get("kind") == "AccessSpecDecl":
                access = c.get("access", access)
                self.track(c)
                continue
            if c.get("kind") == "CXXRecordDecl" and c.get("isImplicit"):
                self.skip(c)
                continue
            if access != "public":
                self.skip(c)
                continue
            self.walk_member(c)

    def walk_member(self, node):
        self.track(node)
        kind = node.get("kind")
        if kind == "CXXRecordDecl" and "inner" in node and node.get("tagUsed") and node.get("name") is None:
            self.skip(node)
            return
        if node.get("isImplicit"):
            self.skip(node)
            return
        if kind == "CXXRecordDecl":
            self.walk(node, True)
            return
        if kind in ("CXXMethodDecl", "FunctionTemplateDecl", "FieldDecl", "TypeAliasDecl",
                    "VarDecl", "EnumDecl"):
            self.add(node.get("name", ""))
            if kind == "EnumDecl":
                for c in node.get("inner", []):
                    self.walk(c, True)
                return
        self.skip(node)

    def skip(self, node):
        # Still follow the file changes inside, so later nodes get the right file.
        stack = [node]
        while stack:
            n = stack.pop()
            self.track(n)
            stack.extend(reversed(n.get("inner", [])))


def collect(clang, include_dir):
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
        f.write("#include <cprime/cprime.hpp>\n")
        src = f.name
    try:
        out = subprocess.run(
            [clang, "-std=c++20", "-I", include_dir, "-fsyntax-only", "-Xclang",
             "-ast-dump=json", src],
            check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(src)
    tu = json.loads(out)
    w = Walker(include_dir)
    for top in tu.get("inner", []):
        w.track(top)
        if top.get("kind") == "NamespaceDecl" and top.get("name") == "cprime":
            w.walk(top, True)
        else:
            w.skip(top)
    return w.names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--include", required=True)
    ap.add_argument("cmd", choices=["list", "check"])
    ap.add_argument("docs", nargs="?")
    a = ap.parse_args()
    names = collect(a.clang, os.path.abspath(a.include))
    if a.cmd == "list":
        for h in sorted(names):
            print(f"{h}: {' '.join(sorted(names[h]))}")
        return 0
    missing = []
    for h in sorted(names):
        page = os.path.join(a.docs, h.replace(".hpp", ".md"))
        text = open(page).read() if os.path.exists(page) else ""
        if not text:
            missing.append(f"{page}: page missing ({len(names[h])} public names)")
            continue
        for n in sorted(names[h]):
            if not re.search(r"`[^`\n]*\b" + re.escape(n) + r"\b[^`\n]*`", text):
                missing.append(f"{page}: public name '{n}' of {h} is not documented")
    for m in missing:
        print(m)
    total = sum(len(v) for v in names.values())
    print(f"api-reference: {total} public names in {len(names)} headers, {len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
