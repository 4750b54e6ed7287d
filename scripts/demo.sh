#!/usr/bin/env bash
# Sets everything up and runs the demo (the README's first Quick start command): an offline drift
# comparison of the car-loan reference period with the monitored period, printed and written as a report.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product driftwatch
bin="$(swift build -c release --show-bin-path)/driftwatch"
exec "$bin" demo "$@"
