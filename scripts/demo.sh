#!/usr/bin/env bash
# Sets everything up and runs the demo (the README's first Quick start command): the agent monitors the
# car-loan model in accelerated event time (drift and F1 alerts to a local webhook receiver, retraining by
# itself), then writes report.html and prints what happened. Options go to `driftwatch demo` (--speed,
# --label-delay, --until, --keep-running; see `driftwatch demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product driftwatch
bin="$(swift build -c release --show-bin-path)/driftwatch"
exec "$bin" demo "$@"
