#!/usr/bin/env python3
"""Counts what the layout issue tracks, for a tree of Swift sources (default: Sources):
public and package declarations, `@unchecked Sendable`, error types, and functions longer than a limit
(default 60 lines, body included), listed longest first. Usage: python3 scripts/audit.py [DIR] [--limit N]
"""
import pathlib
import re
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 60
if "--limit" in sys.argv:
    args = [a for a in args if a != str(limit)]
root = pathlib.Path(args[0] if args else "Sources")
decl = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(public|package)\s")
func = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|private|fileprivate|internal|static|class|"
                  r"final|override|mutating|nonisolated|convenience|required)\s+)*(func\s+[^\s(<]+|init[?!]?|subscript)"
                  r"\s*[(<]")
error_type = re.compile(r"^\s*(?:[a-z]+\s+)*(?:struct|enum|class|actor)\s+(\w+)[^{]*:\s*[^{]*\bError\b")


def code_of(line, in_string):
    """The line without string contents and comments; tracks multi-line string literals."""
    out, i = "", 0
    while i < len(line):
        if line.startswith('"""', i):
            in_string = not in_string
            i += 3
            continue
        if in_string:
            i += 1
            continue
        if line.startswith("//", i):
            break
        if line[i] == '"':
            j = i + 1
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            continue
        out += line[i]
        i += 1
    return out, in_string


counts = {"public": 0, "package": 0, "unchecked": 0, "errors": []}
long_functions = []
for path in sorted(root.rglob("*.swift")):
    lines = path.read_text().split("\n")
    in_string = False
    codes = []
    for line in lines:
        code, in_string = code_of(line, in_string)
        codes.append(code)
    for n, (line, code) in enumerate(zip(lines, codes)):
        if line.lstrip().startswith("//"):
            continue
        m = decl.match(code)
        if m:
            counts[m.group(1)] += 1
        counts["unchecked"] += code.count("@unchecked Sendable")
        e = error_type.match(code)
        if e:
            counts["errors"].append(f"{path}:{n + 1} {e.group(1)}")
        f = func.match(code)
        if not f:
            continue
        depth, start, end = 0, None, None
        for k in range(n, len(lines)):
            c = codes[k]
            if start is None and "{" not in c and k > n and (c.strip() == "" or c.strip().startswith("}")):
                break  # a requirement without a body
            for ch in c:
                if ch == "{":
                    depth += 1
                    start = k if start is None else start
                elif ch == "}":
                    depth -= 1
                    if start is not None and depth == 0:
                        end = k
                        break
            if end is not None:
                break
        if end is not None and end - n + 1 > limit:
            name = f.group(1).replace("func ", "")
            long_functions.append((end - n + 1, f"{path}:{n + 1} {name}"))

print(f"public declarations: {counts['public']}")
print(f"package declarations: {counts['package']}")
print(f"@unchecked Sendable: {counts['unchecked']}")
print(f"error types: {len(counts['errors'])}")
for e in counts["errors"]:
    print(f"  {e}")
print(f"functions over {limit} lines: {len(long_functions)}")
for length, where in sorted(long_functions, reverse=True):
    print(f"  {length:4d}  {where}")
