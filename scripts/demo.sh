#!/usr/bin/env bash
# Sets everything up and runs the demo (the README's first Quick start command):
# the agent on the car-loan model (events and labels streamed to it, its windows printed), then the offline
# comparison of the two periods, printed and written as a report.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product driftwatch
bin="$(swift build -c release --show-bin-path)/driftwatch"
exec "$bin" demo "$@"
