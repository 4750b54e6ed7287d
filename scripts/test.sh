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
