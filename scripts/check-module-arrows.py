#!/usr/bin/env python3
"""Fails when Package.swift and the module graph in ARCHITECTURE.md disagree.

A source target may depend on a target of this package (Swift or C) only when the Mermaid graph under
"## Modules" leads from the one to the other (a module may use what lies below it), and every arrow drawn
must be such a dependency: the map is the rule, and stays true. Test targets, and the helpers they share
(targets under Tests/, like DriftTestSupport), may depend on whatever they test.
Usage: python3 scripts/check-module-arrows.py
"""
import json
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
text = (root / "ARCHITECTURE.md").read_text()
section = text.split("## Modules", 1)[1]
graph = section.split("```mermaid", 1)[1].split("```", 1)[0]
drawn = set()
for line in graph.splitlines():
    match = re.match(r"\s*(\w+)(?:\[[^\]]*\])?\s*-->\s*(.+)$", line)
    if match:
        for target in match.group(2).split("&"):
            drawn.add((match.group(1), re.sub(r"\[.*", "", target).strip()))

manifest = json.loads(
    subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True, capture_output=True, text=True).stdout)
names = {t["name"] for t in manifest["targets"]}
declared = set()
for target in manifest["targets"]:
    if target["type"] == "test" or (target.get("path") or "").startswith("Tests/"):
        continue
    for dependency in target.get("dependencies", []):
        kind, value = next(iter(dependency.items()))
        name = value[0]
        if kind in ("byName", "target") and name in names:
            declared.add((target["name"], name))



def reachable(start):
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        for a, b in drawn:
            if a == node and b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


missing = sorted((a, b) for a, b in declared if b not in reachable(a))
extra = sorted(drawn - declared)
for a, b in missing:
    print(f"Package.swift: {a} depends on {b}, which ARCHITECTURE.md does not place below it (draw the arrow, or drop the dependency)")
for a, b in extra:
    print(f"ARCHITECTURE.md: the arrow {a} --> {b} is not a dependency in Package.swift")
if missing or extra:
    sys.exit(1)
print(f"module arrows: {len(declared)} dependencies, all drawn in ARCHITECTURE.md")
