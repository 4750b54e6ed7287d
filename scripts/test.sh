#!/usr/bin/env bash
# Sets everything up and runs the whole test suite (the README's second Quick start command; CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
