#!/usr/bin/env bash
# Sets everything up and runs the whole test suite (the README's second Quick start command; CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# The code as `swift format` writes it (.swift-format), and the module graph as ARCHITECTURE.md draws it.
swift format lint --strict --recursive Sources Tests Package.swift
python3 scripts/check-module-arrows.py
# A file may import only the modules its target declares (no import that works by accident).
swift build --build-tests --explicit-target-dependency-import-check error
swift test --skip-build "$@"
# The Python client (clients/python) against the debug agent just built, in a virtual environment of its own.
# Only pytest is installed: the pandas and scikit-learn tests skip, saying so.
venv=.build-venv/python-client
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if [ clients/python/pyproject.toml -nt "$venv/.installed" ] || ! "$venv/bin/python" -c 'import driftwatch, pytest' 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e clients/python pytest
  touch "$venv/.installed"
fi
DRIFTWATCH_BIN="$PWD/.build/debug/driftwatch" "$venv/bin/python" -m pytest -q -rs -p no:cacheprovider clients/python/tests
